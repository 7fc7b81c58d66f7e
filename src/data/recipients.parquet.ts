// Framework data loader for recipients.parquet: organisation x council x financial year (see pipeline/compact/recipients.ts).
import {recipients} from "../../pipeline/compact/recipients.ts";

process.stdout.write(await recipients());
