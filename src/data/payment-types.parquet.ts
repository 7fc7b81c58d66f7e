// payment-types.parquet: see pipeline/compact/services.ts.
import {paymentTypes} from "../../pipeline/compact/services.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await paymentTypes("parquet", siteStore()));
