// grants.json: each council's 360Giving grants register beside its payments (see pipeline/compact/grants.ts).
import {grantsComparisons} from "../../pipeline/compact/grants.ts";

process.stdout.write(JSON.stringify(await grantsComparisons()));
