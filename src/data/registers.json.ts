// registers.json: the charity registers the store's suppliers were classified with, for the Methodology and Data pages.
import {storedRegisters} from "../../pipeline/store/store.ts";
import {siteStore} from "../../pipeline/compact/site-store.ts";

process.stdout.write(JSON.stringify(storedRegisters(siteStore())));
