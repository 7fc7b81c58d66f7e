// registers.json: the charity registers the store's suppliers were classified with, for the Methodology and Data pages.
import {storedRegisters} from "../../pipeline/store/store.ts";

process.stdout.write(JSON.stringify(storedRegisters("store")));
