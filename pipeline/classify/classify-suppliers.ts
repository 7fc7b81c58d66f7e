import type {UnclassifiedPayment} from "../conform/conform.ts";
import type {Classifier} from "./classify.ts";
import {supplierKey} from "./supplier-key.ts";
import type {Classification, Payment} from "../types.ts";

type Identity = Classification & {supplier_key: string};

const WITHHELD: Classification = {sector: "individual", kind: null, basis: "name_rule", confidence: 0.95, matched_id: "redacted"};

/** Classifies each distinct supplier once (not once per payment) and attaches the result to its payments. */
export function classifySuppliers(payments: UnclassifiedPayment[], c: Classifier): Payment[] {
  const seen = new Map<string, Identity>();
  const identify = (p: UnclassifiedPayment): Identity => {
    if (p.redacted) return {...WITHHELD, supplier_key: supplierKey(p.supplier_name)};
    const input = {name: p.supplier_name, supplier_id: p.supplier_id, charity_number: p.charity_number, company_number: p.company_number, council_flag: p.council_flag};
    return {...c.classify(input), supplier_key: supplierKey(p.supplier_name)};
  };
  return payments.map((p) => {
    const id = `${p.supplier_name}\u0000${p.charity_number}\u0000${p.company_number}\u0000${p.council_flag}`;
    let identity = seen.get(id);
    if (!identity) seen.set(id, (identity = identify(p)));
    return Object.assign(p, identity);
  });
}
