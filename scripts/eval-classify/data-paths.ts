import {join} from "node:path";

export const DATA = "data";
export const SPENDING = join(DATA, "sample/spending");
export const GRANTS = join(DATA, "grants/trafford/trafford_council_voluntary_sector_grants.csv");
