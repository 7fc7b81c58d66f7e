// reference.json: the deflator series and the populations used, for the Methodology page.
import {referenceData} from "../../pipeline/compact/reference.ts";

process.stdout.write(JSON.stringify(referenceData()));
