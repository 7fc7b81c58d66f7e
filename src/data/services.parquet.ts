// services.parquet: see pipeline/compact/services.ts.
import {services} from "../../pipeline/compact/services.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await services("parquet", siteStore()));
