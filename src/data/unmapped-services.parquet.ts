// unmapped-services.parquet: see pipeline/compact/services.ts.
import {unmappedServices} from "../../pipeline/compact/services.ts";

process.stdout.write(await unmappedServices());
