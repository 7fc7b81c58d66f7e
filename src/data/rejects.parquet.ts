// rejects.parquet: rows left out of the totals, per council and reason (see pipeline/compact/rejects.ts).
import {rejects} from "../../pipeline/compact/rejects.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await rejects("parquet", siteStore()));
