#!/usr/bin/env node
// The pipeline is TypeScript; tsx compiles it on the fly so the command needs no build step.
import {register} from "tsx/esm/api";

register();
const {main} = await import("../pipeline/cli/cli.ts");
process.exitCode = await main(process.argv.slice(2));
