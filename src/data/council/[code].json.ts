// Framework data loader for council/<GSS code>.json: one council's page (see CouncilDetail in pipeline/compact/council.ts).
import {parseArgs} from "node:util";
import {councilDetail} from "../../../pipeline/compact/council.ts";

const {values} = parseArgs({options: {code: {type: "string"}}});
if (!values.code) throw new Error("usage: [code].json.ts --code E08000009");
process.stdout.write(JSON.stringify(await councilDetail(values.code)));
