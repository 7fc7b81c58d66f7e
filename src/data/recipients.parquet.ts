// Framework data loader for recipients.parquet: organisation x council x financial year (see pipeline/compact/recipients.ts).
import {recipients} from "../../pipeline/compact/recipients.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await recipients("parquet", siteStore()));
