// last-update.json: the last line of the update's audit log (pipeline/update/audit-log.ts), or null, for the Data page.
import {readAudit} from "../../pipeline/update/audit-log.ts";

process.stdout.write(JSON.stringify(readAudit("store").at(-1) ?? null));
