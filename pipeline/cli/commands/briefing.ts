import type {Command} from "../args.ts";
import {councilCode, inputFolder, outputFile} from "../validate.ts";
import {DATA, text} from "./options.ts";

export const briefingCommand: Command = {
  name: "briefing",
  summary: "a council's page from the built site as an A4 PDF",
  details: "The site must be built first (npm run build); the page is printed by a local Chromium with no network.",
  options: [
    {name: "out", type: "string", value: "FILE.pdf", required: true, description: "the PDF to write"},
    {name: "dist", type: "string", value: "DIR", default: "dist", description: "the built site"},
    DATA
  ],
  positionals: {name: "CODE", description: "the council's GSS code (or exact name)", min: 1, max: 1},
  example: "vcse-spend briefing E08000035 --out leeds.pdf",
  exits: {1: "the built site has no page for the council, Chromium is missing, or the page failed"},
  async run({values, positionals}) {
    const dataDir = inputFolder(text(values.data)!, "--data");
    const code = councilCode(positionals[0]!, dataDir, "CODE");
    const out = outputFile(text(values.out)!, "--out");
    const dist = inputFolder(text(values.dist)!, "--dist");
    const {briefing} = await import("../briefing.ts");
    await briefing(code, out, {dist, dataDir});
    process.stderr.write(`wrote ${out}\n`);
    return 0;
  }
};
