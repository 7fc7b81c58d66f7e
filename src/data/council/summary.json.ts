// Framework data loader for council/summary.json: every council's years and rank (see CouncilsSummary in loaders/compact-council.ts).
import {councilsSummary} from "../../../loaders/compact-council.ts";

process.stdout.write(JSON.stringify(await councilsSummary()));
