import {unwrapExcelText} from "./excel-text.ts";

export type AmountResult =
  | {ok: true; pence: number; repair?: "float_rounded"}
  | {ok: false; reason: "missing_amount" | "bad_amount"; detail: string};

const NUMBER = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

/**
 * Parses a published amount into integer pence: "£1,234.50", "(1,234.50)", "-1234.5", "1234.50CR",
 * "1234.50-", " 500 ", ="1234.50" (a spreadsheet's text). Anything it does not understand is refused, never coerced.
 */
export function parseAmount(text: string): AmountResult {
  let s = unwrapExcelText(text).replace(/[\s\u00a0]+/g, "");
  if (s === "" || s === "-" || /^(?:£|€|GBP|EUR)$/i.test(s)) return {ok: false, reason: "missing_amount", detail: "empty amount"};
  let negative = false;
  const unwrap = (re: RegExp): boolean => {
    const m = re.exec(s);
    if (!m) return false;
    s = m[1]!;
    negative = !negative;
    return true;
  };
  s = s.replace(/DR$/i, "");
  const signed = [/^\((.*)\)$/, /^(.*)CR$/i, /^-(.*)$/, /^(.*)-$/].some(unwrap);
  // "Â£" is a UTF-8 pound sign read as Windows-1252; a sign may also trail ("9.99£") or follow the minus.
  s = s.replace(/^(?:Â?£|€|GBP|EUR)/i, "").replace(/(?:Â?£|€|GBP|EUR)$/i, "").replace(/^\+/, "");
  if (!signed) unwrap(/^-(.*)$/);
  const m = NUMBER.exec(s);
  if (!m || (m[1] === undefined && !m[2])) return {ok: false, reason: "bad_amount", detail: `not an amount: ${JSON.stringify(text)}`};
  const whole = (m[1] ?? "0").replaceAll(",", "");
  let fraction = m[2] ?? "";
  let carry = 0;
  let repair: "float_rounded" | undefined;
  if (fraction.length > 2) {
    const rest = fraction.slice(2);
    if (/[^0]/.test(rest)) {
      // A binary float printed in full (1230.3600000000001, 4999.999999999): within a thousandth of a penny of whole pence.
      if (rest.length >= 4 && /^000/.test(rest)) repair = "float_rounded";
      else if (rest.length >= 4 && /^999/.test(rest)) [repair, carry] = ["float_rounded", 1];
      else return {ok: false, reason: "bad_amount", detail: `more than two decimal places: ${JSON.stringify(text)}`};
    }
    fraction = fraction.slice(0, 2);
  }
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, "0")) + carry;
  if (!Number.isSafeInteger(pence)) return {ok: false, reason: "bad_amount", detail: `amount too large: ${JSON.stringify(text)}`};
  const signedPence = negative && pence !== 0 ? -pence : pence;
  return repair ? {ok: true, pence: signedPence, repair} : {ok: true, pence: signedPence};
}

/** Exact pounds string for integer pence: -123456 -> "-1234.56". */
export function formatPence(pence: number | bigint): string {
  const p = BigInt(pence);
  const abs = p < 0n ? -p : p;
  const pounds = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, "0");
  return `${p < 0n ? "-" : ""}${pounds}.${rest}`;
}
