// sources.json: every source file with licence, link and reconciliation; each council's coverage.
import {sources} from "../../pipeline/compact/sources.ts";

process.stdout.write(JSON.stringify(await sources()));
