// council-years.json: the overview's council x year figures as compact JSON (see councilYearsOverview).
import {councilYearsOverview} from "../../pipeline/compact/council-years.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(await councilYearsOverview(siteStore())));
