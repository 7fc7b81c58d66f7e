// suppliers.parquet: the supplier classification per council x supplier identity, for the Data page's downloads.
import {suppliers} from "../../pipeline/compact/suppliers.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await suppliers("parquet", siteStore()));
