import {nameWords} from "./supplier-key.ts";
import type {Classification, Sector, VcseKind} from "../types.ts";

const CONFIDENCE = 0.97;

/** Values that say nothing about the supplier. */
const SILENT = /^(?:|N ?A|NONE|NIL|NULL|UNKNOWN|OTHER|OTHERS|NOT (?:YET )?(?:AVAILABLE|APPLICABLE|KNOWN|RECORDED|SPECIFIED|CLASSIFIED)|TBC|TBA|BLANK|MISC|MISCELLANEOUS|NO|N|FALSE|0|NON VCSE|NOT VCSE)$/;
const YES = /^(?:YES|Y|TRUE|1|VCSE GRANT|GRANT|VCSE)$/;

/** In order: the first pattern found in the value decides. Individuals before "private" ("Private Individual"). */
const LABELS: [RegExp, Sector, VcseKind | null][] = [
  [/\b(?:INDIVIDUALS?|PERSON|PERSONAL|PRIVATE PERSON|MEMBER OF (?:THE )?PUBLIC|EMPLOYEE|STAFF|FOSTER CARER|SERVICE USER|CLIENT|REDACTED)\b/, "individual", null],
  [/\b(?:HOUSING ASSOCIATIONS?|REGISTERED (?:SOCIAL )?(?:LANDLORD|PROVIDER)|RSL|SOCIAL LANDLORD)\b/, "housing_association", null],
  [/\b(?:CIC|COMMUNITY INTEREST COMPANY)\b/, "vcse", "cic"],
  [/\b(?:CHARITY|CHARITIES|CHARITABLE|CIO)\b/, "vcse", "charity"],
  [/\b(?:CO ?OPERATIVE|MUTUAL|COMMUNITY BENEFIT SOCIETY|CREDIT UNION)\b/, "vcse", "mutual"],
  [/\b(?:FAITH|CHURCH|RELIGIOUS)\b/, "vcse", "faith_group"],
  [/\b(?:SPORTS? CLUB)\b/, "vcse", "sports_club"],
  [/\b(?:COMMUNITY GROUP|COMMUNITY ORGANISATION|VOLUNTARY GROUP)\b/, "vcse", "community_group"],
  [/\b(?:VCSE|VCS|VOLUNTARY|THIRD SECTOR|SOCIAL ENTERPRISE|NOT FOR PROFIT|NON PROFIT|NONPROFIT|CIVIL SOCIETY)\b/, "vcse", null],
  [/\b(?:PUBLIC|LOCAL AUTHORITY|COUNCIL|GOVERNMENT|NHS|HEALTH BODY|POLICE|SCHOOL|ACADEMY|UNIVERSITY|EDUCATION)\b/, "public", null],
  [/\b(?:PRIVATE|COMPANY|COMPANIES|SOLE TRADER|PARTNERSHIP|SME|COMMERCIAL|BUSINESS|LIMITED|LTD|PLC|LLP|CORPORATE)\b/, "private", null]
];

/**
 * A council's own label for a supplier, from a "VCSE Grant", "Supplier (Beneficiary) Type", "Creditor Type"
 * or similar column. Yes/No values come only from VCSE yes/no columns: "Yes" means VCSE, while "No" says
 * what the supplier is not rather than what it is (and in a "VCSE Grant" column, only that this payment
 * was not a grant), so it gives null, as do placeholders such as "N/A" and "Not yet available".
 */
export function councilFlag(value: string | null | undefined): Classification | null {
  if (value == null) return null;
  const text = nameWords(value);
  if (SILENT.test(text)) return null;
  const flag = value.trim();
  if (YES.test(text)) return {sector: "vcse", kind: null, basis: "council_flag", confidence: CONFIDENCE, matched_id: flag};
  for (const [pattern, sector, kind] of LABELS) {
    if (pattern.test(text)) return {sector, kind, basis: "council_flag", confidence: CONFIDENCE, matched_id: flag};
  }
  return null;
}
