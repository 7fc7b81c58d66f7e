// council-years.parquet: one row per council x financial year x sector (see loaders/compact-council-years.ts).
import {councilYearsFull} from "../../loaders/compact-council-years.ts";

process.stdout.write(await councilYearsFull("parquet"));
