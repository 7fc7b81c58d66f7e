// Framework data loader for council-years.parquet (one row per council x financial year x sector).
import {councilYearsParquet} from "../../loaders/compact.ts";

process.stdout.write(await councilYearsParquet());
