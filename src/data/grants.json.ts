// grants.json: each council's 360Giving grants register beside its payments (see pipeline/compact/grants.ts).
import {grantsComparisons} from "../../pipeline/compact/grants.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(await grantsComparisons(siteStore())));
