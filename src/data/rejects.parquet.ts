// rejects.parquet: rows left out of the totals, per council and reason (see loaders/compact-rejects.ts).
import {rejects} from "../../loaders/compact-rejects.ts";

process.stdout.write(await rejects("parquet"));
