// payment-types.parquet: see pipeline/compact/services.ts.
import {paymentTypes} from "../../pipeline/compact/services.ts";

process.stdout.write(await paymentTypes());
