// sources.json: every source file with licence, link and reconciliation; each council's coverage.
import {sources} from "../../pipeline/compact/sources.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(await sources(siteStore())));
