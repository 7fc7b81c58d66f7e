// coverage.parquet: one row per council x month with its coverage status (see loaders/compact-coverage.ts).
import {coverage} from "../../loaders/compact-coverage.ts";

process.stdout.write(await coverage("parquet"));
