/** The shapes of the council pages' data: one council's page (CouncilDetail) and the Councils list. */
import type {ComparabilityBreak} from "../sources/manifest.ts";
/** A council as the pages name and group it. */
export interface CouncilIdentity {
  code: string;
  /** As in the manifest: "Trafford Metropolitan Borough Council". */
  name: string;
  /** mySociety's short name: "Trafford". */
  short_name: string;
  /** CTY, NMD, UA, MD, LBO */
  type: string | null;
  /** "Metropolitan district" */
  type_name: string | null;
  /** "metropolitan districts", for "3rd of 9 metropolitan districts". */
  type_plural: string | null;
  region: string | null;
  /** ISO date the council was abolished, if it was. */
  end_date: string | null;
}

/** One financial year of a council, as the overview computes it (councilYearsFullSql), summed over sectors. */
export interface CouncilYear {
  financial_year: string;
  /** Months of the year covered by the council's published files (0..12); see coverageMonthsSql. */
  months: number;
  /** All twelve months covered. */
  full: boolean;
  /** "2019-04": first and last covered month, or null. */
  first_month: string | null;
  last_month: string | null;
  /** Pounds, cash, net of credit notes. */
  vcse: number;
  /** Spending outside the public sector: every payment to a supplier that is not a public body, pounds. */
  total: number;
  /** vcse / total, or null when total is not positive. */
  share: number | null;
  /** vcse in base-year prices (HM Treasury GDP deflator), or null when the year has no deflator. */
  vcse_real: number | null;
  /** ONS mid-year estimate, or null. */
  population: number | null;
  /** VCSE transactions (supplier-month totals are not counted). */
  vcse_payments: number;
  /** Distinct VCSE recipients. */
  vcse_recipients: number;
}

export interface CouncilRank {
  /** 1 = the most; competition ranking (1, 2, 2, 4). Null when the council has no full year. */
  by_vcse: number | null;
  by_share: number | null;
  /** Councils of the same type in the data with a full year in `year` (this one included). */
  peers: number;
  /** The financial year ranked: the council's latest full year; null when it has none. */
  year: string | null;
}

export interface CouncilSummary extends CouncilIdentity {
  years: CouncilYear[];
  /** The latest financial year with 12 months of data, or null. */
  latest_full: string | null;
  /** The latest financial year with any data, or null. */
  latest: string | null;
  /**
   * The year a headline reports: latest_full, or failing that the year with the most months of data (the
   * latest of equals), or null.
   */
  headline_year: string | null;
  rank: CouncilRank;
}

export interface CouncilsSummary {
  /** ISO date the store last changed (store/state.json). */
  data_updated: string | null;
  /** Real-terms figures are in this financial year's prices. */
  base_year: string;
  councils: CouncilSummary[];
}

export type MonthStatus = "covered" | "gap" | "other_period";

export interface CouncilMonth {
  /** "2019-04" */
  month: string;
  financial_year: string;
  status: MonthStatus;
  payments: number;
  /** Pounds: all spending and VCSE spending dated in the month. */
  amount: number;
  vcse: number;
}

/** A VCSE recipient with its amount in each of CouncilDetail.years (null: no payment that year). */
export interface Recipient {
  /** The normalised supplier key, which links the same organisation across councils. */
  key: string;
  /** The name the council used most recently. */
  name: string;
  kind: string | null;
  /** What its classification rests on (the basis of most of its pounds) and the register id, name or rule matched. */
  basis: string;
  matched_id: string | null;
  amounts: (number | null)[];
}

export interface RecipientChangeList {
  count: number;
  /** Pounds: what the gained recipients were paid in the later year, or the lost ones in the earlier. */
  amount: number;
  top: {key: string; name: string; amount: number}[];
}

/** VCSE recipients paid in one full year and not in the next full year (lost), or the reverse (gained). */
export interface RecipientChange {
  from: string;
  to: string;
  gained: RecipientChangeList;
  lost: RecipientChangeList;
  continuing: {count: number; amount_from: number; amount_to: number};
}

export interface ServiceRow {
  financial_year: string;
  /** The council's own service or department label; "Not stated" when blank, "All other service areas" for the rest. */
  service: string;
  vcse: number;
  total: number;
}

export interface SourceFileRow {
  path: string;
  url: string | null;
  period: string;
  /** Payments kept in the store and their amount (pounds), duplicates included. */
  payments: number;
  amount: number;
  /** Rows rejected while reading (see the ingest report) and the amount of those that had one. */
  rejected: number;
  rejected_amount: number;
  /** Payments found again in an earlier file (pipeline/store/duplicates.ts) and left out of every total. */
  duplicates: number;
  duplicate_amount: number;
}

/** Everything one council page shows. Amounts are pounds, cash, summed exactly in pence first. */
export interface CouncilDetail {
  council: CouncilIdentity;
  /** Among councils of the same type in the data; see CouncilsSummary. */
  rank: CouncilRank;
  data_updated: string | null;
  base_year: string;
  source: {publisher: string; licence: string; landing_page: string | null; threshold: number | null; notes: string[]; comparability_breaks: ComparabilityBreak[]};
  years: CouncilYear[];
  latest_full: string | null;
  latest: string | null;
  headline_year: string | null;
  months: CouncilMonth[];
  /**
   * The PAGE_RECIPIENTS largest VCSE recipients in the headline year; every one is in the council's
   * <code>-recipients.json (CouncilsData.recipients), which the page fetches only for its download.
   */
  recipients: Recipient[];
  /** How many VCSE recipients the council paid in any year. */
  recipients_count: number;
  changes: RecipientChange[];
  services: ServiceRow[];
  /** Year-on-year changes that one payee or service area accounts for more than a quarter of. */
  streams: NamedStreams[];
  /** Service-area years that paid large sums to withheld names (likely providers, not people). */
  withheld_services: WithheldService[];
  files: SourceFileRow[];
  /** Sums over every year. */
  quality: {
    individuals: {payments: number; amount: number};
    other_period: {payments: number; amount: number};
    duplicates: {payments: number; amount: number};
    rejected: {rows: number; amount: number};
  };
}

export type StreamScope = "vcse" | "non_public";

export interface StreamRow {
  to_year: string;
  kind: "payee" | "service";
  scope: StreamScope;
  /** The payee's last published name or the service area; null for payments to withheld names. */
  name: string | null;
  /** Pounds: the stream's amount in the later year minus the earlier. */
  delta: number;
}

/** A change between two full years that one stream (or a few) accounts for more than a quarter of. */
export interface NamedStreams {
  from: string;
  to: string;
  scope: StreamScope;
  /** Pounds: the council's change in that scope. */
  change: number;
  streams: {kind: "payee" | "service"; name: string | null; delta: number; share: number}[];
}

export interface WithheldService {
  financial_year: string;
  service: string;
  /** Pounds paid to withheld names through the service area that year, and how many payments. */
  amount: number;
  payments: number;
  large_payments: number;
  /** Pounds: everything the service area paid that year. */
  total: number;
}
