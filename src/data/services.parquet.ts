// services.parquet: see pipeline/compact/services.ts.
import {services} from "../../pipeline/compact/services.ts";

process.stdout.write(await services());
