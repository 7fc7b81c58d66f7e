/** The council pages' data: computed from the store for every council at once (council-pages.ts keeps it, one file per council). */
import {existsSync, statSync} from "node:fs";
import {join} from "node:path";
import {DuckDBInstance} from "@duckdb/node-api";
import {latestYears, pounds, rankCouncils, recipientChanges, sourceFiles, sum, vcseRecipients} from "./council-derive.ts";
import {councilMonths, councilYearsSql, fileStatistics, groupBy, identities, qualityRows, rows, servicesByYear, toYear, vcseRecipientRows, YEAR_COLUMNS} from "./council-queries.ts";
import {namedStreams, streamRows, withheldServices} from "./council-streams.ts";
import type {CouncilDetail, CouncilsSummary, Recipient} from "./council-types.ts";
import {flaggedPaymentsFile, loadReferenceTables} from "./query.ts";
import {readDeflators} from "../reference/deflators.ts";
import {readManifests, type Manifest} from "../sources/manifest.ts";
import {AUTHORITY_CODE} from "../sources/authority-code.ts";
import {storedReports} from "../store/store.ts";
import {sqlLiteral} from "../sql.ts";

export type * from "./council-types.ts";
export {latestYears, rankCouncils, recipientChanges} from "./council-derive.ts";


/** The manifest of a council, or an error naming the known codes. */
export function manifestFor(code: string, dataDir = "data"): Manifest {
  const manifests = readManifests(dataDir);
  const manifest = manifests.find((m) => m.council.code === code);
  if (!manifest || !AUTHORITY_CODE.test(code)) {
    throw new Error(`unknown council code ${JSON.stringify(code)}: data/sources has ${manifests.map((m) => m.council.code).sort().join(", ")}`);
  }
  return manifest;
}

/** Everything the council pages and the Councils page show, for every council in data/sources. */
export interface CouncilsData {
  summary: CouncilsSummary;
  details: Record<string, CouncilDetail>;
  /** Every council's VCSE recipients, all of them (a council page carries the largest only). */
  recipients: Record<string, Recipient[]>;
}

/** How many of its largest VCSE recipients a council page's data carries. */
export const PAGE_RECIPIENTS = 15;

/** Computes CouncilsData from the store: every query runs once over all councils. */
export async function councilsData(storeDir = "store", dataDir = "data"): Promise<CouncilsData> {
  const manifests = readManifests(dataDir);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await loadReferenceTables(connection, dataDir);
    const file = await flaggedPaymentsFile(connection, storeDir);
    await connection.run(`CREATE TEMP TABLE flagged AS SELECT * FROM read_parquet(${sqlLiteral(file)})`);
    await connection.run("CREATE TEMP TABLE counted AS SELECT * EXCLUDE (duplicate) FROM flagged WHERE NOT duplicate");

    const ids = await identities(connection, manifests);
    const years = groupBy(
      await rows<Record<string, unknown>>(connection, `SELECT council_code, ${YEAR_COLUMNS} FROM (${councilYearsSql()}) ORDER BY financial_year`),
      (r) => r.council_code as string,
      toYear
    );
    const unranked = manifests.map((m) => {
      const y = years.get(m.council.code) ?? [];
      return {...ids.get(m.council.code)!, years: y, ...latestYears(y)};
    });
    const ranks = rankCouncils(unranked);
    const dataUpdated = storeUpdated(storeDir);
    const baseYear = readDeflators(dataDir).base_year;
    const summary: CouncilsSummary = {
      data_updated: dataUpdated,
      base_year: baseYear,
      councils: unranked.map((c) => ({...c, rank: ranks.get(c.code)!})).sort((a, b) => a.short_name.localeCompare(b.short_name))
    };

    const months = await councilMonths(connection);
    const recipientRows = await vcseRecipientRows(connection);
    const services = await servicesByYear(connection);
    const fileStats = await fileStatistics(connection);
    const quality = await qualityRows(connection);
    const streams = await streamRows(connection);
    const withheld = await withheldServices(connection);
    const reports = new Map(storedReports(storeDir).map((r) => [r.file, r]));

    const details: Record<string, CouncilDetail> = {};
    const allRecipients: Record<string, Recipient[]> = {};
    for (const manifest of manifests) {
      const code = manifest.council.code;
      const c = unranked.find((u) => u.code === code)!;
      const yearList = c.years.map((y) => y.financial_year);
      const recipients = vcseRecipients(recipientRows.get(code) ?? [], yearList, c.headline_year);
      allRecipients[code] = recipients;
      const councilMonthsList = months.get(code) ?? [];
      const other = councilMonthsList.filter((m) => m.status === "other_period");
      const q = quality.get(code);
      const files = sourceFiles(manifest, fileStats.get(code) ?? new Map(), reports);
      details[code] = {
        council: ids.get(code)!,
        rank: ranks.get(code)!,
        data_updated: dataUpdated,
        base_year: baseYear,
        source: {
          publisher: manifest.publisher,
          licence: manifest.licence,
          landing_page: manifest.landing_page ?? null,
          threshold: manifest.threshold ?? null,
          notes: manifest.notes ?? [],
          comparability_breaks: manifest.comparability_breaks ?? []
        },
        years: c.years,
        latest_full: c.latest_full,
        latest: c.latest,
        headline_year: c.headline_year,
        months: councilMonthsList,
        recipients: recipients.slice(0, PAGE_RECIPIENTS),
        recipients_count: recipients.length,
        changes: recipientChanges(recipients, yearList, new Set(c.years.filter((y) => y.full).map((y) => y.financial_year))),
        services: services.get(code) ?? [],
        streams: namedStreams(c.years, streams.get(code) ?? []),
        withheld_services: withheld.get(code) ?? [],
        files,
        quality: {
          individuals: {payments: q?.individual_payments ?? 0, amount: q?.individual_amount ?? 0},
          other_period: {payments: sum(other, (m) => m.payments), amount: pounds(sum(other, (m) => m.amount))},
          duplicates: {payments: q?.duplicate_payments ?? 0, amount: q?.duplicate_amount ?? 0},
          rejected: {rows: sum(files, (f) => f.rejected), amount: pounds(sum(files, (f) => f.rejected_amount))}
        }
      };
    }
    return {summary, details, recipients: allRecipients};
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}


function storeUpdated(storeDir: string): string | null {
  const path = join(storeDir, "state.json");
  return existsSync(path) ? statSync(path).mtime.toISOString().slice(0, 10) : null;
}
