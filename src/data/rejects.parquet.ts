// rejects.parquet: rows left out of the totals, per council and reason (see pipeline/compact/rejects.ts).
import {rejects} from "../../pipeline/compact/rejects.ts";

process.stdout.write(await rejects("parquet"));
