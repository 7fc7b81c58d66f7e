// What a supplier's classification rests on, in words, for the Recipients page and council pages.
const REGISTER_NAMES = {
  "charity-names-2016": "the 2016 register of charities",
  "cic-names-2016": "the 2016 register of community interest companies",
  cascs: "HMRC’s list of community amateur sports clubs",
  "mutual-companies": "the FCA’s register of mutual societies",
  "organisation-company-numbers": "the register of schools and NHS bodies"
};

/** "Charity number GB-CHC-216250", "Name in the 2016 register of charities", "Name rule: federated charity". */
export function evidenceText(basis, matchedId) {
  const id = matchedId ?? "";
  const [register, name] = id.includes(":") ? [id.slice(0, id.indexOf(":")), id.slice(id.indexOf(":") + 1)] : [null, null];
  const ids = id.split("|").filter((x) => /^GB-[A-Z]+-/.test(x));
  switch (basis) {
    case "override": return "Reviewed by hand (data/overrides.csv)";
    case "council_flag": return "The council’s own label";
    case "registry_id": return `Register number ${ids.join(", ") || id}`;
    case "registry_name":
      return register ? `Name in ${REGISTER_NAMES[register] ?? register} (“${name}”)` : `Name in the register, ${ids.length > 1 ? `one of ${ids.join(", ")}` : ids[0] ?? id}`;
    case "registry_name_prefix": return `A name cut short, completed from the register (${register ? `“${name}”` : id})`;
    case "name_rule": return `Name rule: ${id.replaceAll("_", " ")}`;
    case "council_coding": return `Most of its pounds coded by the council as “${id}”`;
    default: return "No evidence";
  }
}
