// last-update.json: the last line of the update's audit log (pipeline/update/audit-log.ts), or null, for the Data page.
import {lastAudit} from "../../pipeline/update/audit-log.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(lastAudit(siteStore())));
