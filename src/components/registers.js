/** Which charity register the classification used, as a sentence, from registers.json (storedRegisters in pipeline/store/store.ts). */
import {formatDay} from "./format.js";

const dateText = (iso) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDay(iso) : iso);

function describe(r) {
  if (r.register === "embedded") return `the ${r.title} (${r.date})`;
  return `the ${r.title}${r.date === "unknown" ? ", of a date not recorded" : ` dated ${dateText(r.date)}`}, then the names embedded in the project`;
}

export function registerSentence(registers) {
  if (!registers.length) return "No supplier has been classified yet, so no charity register has been used.";
  if (registers.length === 1) return `Charity numbers and names were matched against ${describe(registers[0])}.`;
  const parts = registers.map((r) => `${describe(r)} for ${r.files} ${r.files === 1 ? "file" : "files"}`);
  return `Files were read at different times and matched against different registers: ${parts.join("; ")}.`;
}
