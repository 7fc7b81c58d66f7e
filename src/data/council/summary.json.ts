// Framework data loader for council/summary.json: every council's years and rank (see CouncilsSummary in pipeline/compact/council.ts).
import {councilsSummary} from "../../../pipeline/compact/council.ts";

process.stdout.write(JSON.stringify(await councilsSummary()));
