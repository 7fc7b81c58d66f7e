// Framework data loader for recipients.parquet: organisation x council x financial year (see loaders/compact-recipients.ts).
import {recipients} from "../../loaders/compact-recipients.ts";

process.stdout.write(await recipients());
