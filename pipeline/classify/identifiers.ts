const NOTHING = /^(?:N\/?A|NONE|NIL|NULL|NOT (?:YET )?(?:AVAILABLE|APPLICABLE|KNOWN|REGISTERED)|UNKNOWN|REDACTED|EXEMPT|EXCEPTED|PENDING|TBC|-+|0+)$/;

/**
 * A charity number as "1234567" (England and Wales, without a subsidiary suffix), "SC012345" (Scotland)
 * or "NIC100005" (Northern Ireland); null for placeholders such as "N/A", "Not yet available", "Redacted".
 */
export function normaliseCharityNumber(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/^\d{6,7}$/.test(value)) {
    const n = Number(value);
    return n >= 200000 && n <= 1999999 ? String(n) : null;
  }
  let s = value.trim().toUpperCase();
  // A find-and-replace of 0 by "N/A" in Wakefield's 2017 files turned 1107623 into "11N/A7623".
  if (/^[\dN/A]+$/.test(s) && /\d/.test(s) && s.includes("N/A")) s = s.replaceAll("N/A", "0");
  if (s === "" || NOTHING.test(s)) return null;
  s = s.replace(/^(?:GB-CHC-|GB-SC-|GB-NIC-|(?:REG(?:ISTERED)?\.?\s*)?(?:CHARITY|CHARITIES)\s*(?:NO\.?|NUMBER|NUM\.?|REG(?:ISTRATION)?\.?)?\s*(?:NO\.?|NUMBER)?[:.#\s]*|RCN\s*)/, "");
  const scottish = /^SC\s?(\d{6})$/.exec(s);
  if (scottish) return `SC${scottish[1]}`;
  const ni = /^(?:NIC|XN|NI)\s?(\d{5,6})$/.exec(s);
  if (ni) return `NIC${ni[1]}`;
  const ew = /^(\d{6,7})(?:\s*[-/.]\s*\d{1,3})?$/.exec(s);
  if (!ew) return null;
  const n = Number(ew[1]);
  return n >= 200000 && n <= 1999999 ? String(n) : null;
}

/** The 360Giving org id for a normalised charity number. */
export function charityOrgId(normalised: string): string {
  if (normalised.startsWith("SC")) return `GB-SC-${normalised}`;
  if (normalised.startsWith("NIC")) return `GB-NIC-${normalised.slice(3)}`;
  return `GB-CHC-${normalised}`;
}

/** A Companies House number as eight characters ("2206442" -> "02206442", "sc 123456" -> "SC123456"); null for placeholders. */
export function normaliseCompanyNumber(value: string | null | undefined): string | null {
  if (!value) return null;
  if (/^(?:[A-Z]{2}\d{6}|\d{8})$/.test(value)) return /^0+$|^[A-Z]{2}0+$/.test(value) || NOTHING.test(value) ? null : value;
  const s = value.trim().toUpperCase().replace(/^GB-COH-/, "").replace(/[\s.]/g, "");
  if (s === "" || NOTHING.test(s)) return null;
  // A registered society's number as Companies House gives it ("IP16791R", "IP00189C", "SP1935RS") keeps its suffix.
  if (/^(?:IP|SP|NP|RS)\d{1,6}(?:R|C|RS)$/.test(s)) return s;
  const m = /^([A-Z]{2})?(\d{1,8})$/.exec(s);
  if (!m) return null;
  const prefix = m[1] ?? "";
  const digits = m[2]!;
  if (prefix.length + digits.length > 8 || Number(digits) === 0) return null;
  return prefix + digits.padStart(8 - prefix.length, "0");
}

/** An org id in 360Giving form with its scheme upper-cased and its number normalised; null if it is not one. */
export function normaliseOrgId(value: string | null | undefined): string | null {
  if (!value) return null;
  const s = value.trim();
  const m = /^((?:GB|XI|IE|US)-[A-Z]+)-(.+)$/i.exec(s);
  if (!m) return /^360G-\S+$/i.test(s) ? s : null;
  const scheme = m[1]!.toUpperCase();
  const rest = m[2]!.trim();
  if (scheme === "GB-CHC" || scheme === "GB-SC" || scheme === "GB-NIC") {
    const n = normaliseCharityNumber(scheme === "GB-NIC" ? `NIC${rest}` : rest);
    return n ? charityOrgId(n) : null;
  }
  if (scheme === "GB-COH") {
    const n = normaliseCompanyNumber(rest);
    return n ? `GB-COH-${n}` : null;
  }
  return `${scheme}-${rest.toUpperCase()}`;
}
