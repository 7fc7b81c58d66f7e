// coverage.parquet: one row per council x month with its coverage status (see pipeline/compact/coverage.ts).
import {coverage} from "../../pipeline/compact/coverage.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await coverage("parquet", siteStore()));
