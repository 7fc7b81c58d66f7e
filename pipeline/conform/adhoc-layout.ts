import type {InferOptions} from "./infer-layout.ts";
import type {Layout} from "../sources/manifest.ts";
import {SYNONYMS} from "./synonyms.ts";
import type {Field} from "../types.ts";

/**
 * How a file no manifest describes is read: columns inferred from header words and cells (`map` ones first),
 * and the repairs that are safe without knowing the council. Ingest and inspect both read through it, so what
 * inspect shows is what ingest would do.
 */
export function adhocLayout(map: Partial<Record<Field, string>> = {}): Omit<Layout, "from"> & {infer: InferOptions} {
  return {columns: SYNONYMS, repairs: ["date_amount_merged", "thousands_split"], infer: {forced: map}};
}
