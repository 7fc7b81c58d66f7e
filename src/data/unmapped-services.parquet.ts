// unmapped-services.parquet: see pipeline/compact/services.ts.
import {unmappedServices} from "../../pipeline/compact/services.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await unmappedServices("parquet", siteStore()));
