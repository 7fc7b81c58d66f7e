// council-years.parquet: one row per council x financial year x sector (see pipeline/compact/council-years.ts).
import {councilYearsFull} from "../../pipeline/compact/council-years.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await councilYearsFull("parquet", siteStore()));
