// council.zip: every council page's data (council/<GSS code>.json, see CouncilDetail) and the Councils page's list
// (council/summary.json), computed in one pass over the store (pipeline/compact/council-pages.ts). Framework serves
// data/council/*.json from this archive, unpacking each in its own process: no process or query per council.
import {councilPagesArchive} from "../../pipeline/compact/council-pages.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(await councilPagesArchive(siteStore()));
