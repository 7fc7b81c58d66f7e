// council-status.json: every English council with whether its data is in, its manifest, its known page and the last update.
import {councilStatus} from "../../pipeline/compact/council-status.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(await councilStatus(siteStore())));
