// classification-steps.json: pounds and suppliers decided at each step of the order of evidence, for the Methodology page.
import {classificationSteps} from "../../pipeline/compact/classification.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(await classificationSteps(siteStore())));
