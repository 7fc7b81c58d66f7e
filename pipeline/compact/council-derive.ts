/** Pure derivations over a council's years and recipients: headline year, ranks, recipients gained and lost. */
import type {CouncilRank, CouncilSummary, CouncilYear, Recipient, RecipientChange, RecipientChangeList, SourceFileRow} from "./council-types.ts";
import type {Manifest} from "../sources/manifest.ts";
import type {FileStats, RecipientYear} from "./council-queries.ts";

const CHANGES_TOP = 10;

export function sum<T>(items: T[], value: (t: T) => number): number {
  return items.reduce((s, t) => s + value(t), 0);
}

/** Rounds a sum of pounds computed in floating point back to whole pence. */
export function pounds(x: number): number {
  return Math.round(x * 100) / 100;
}

export function latestYears(years: CouncilYear[]): {latest_full: string | null; latest: string | null; headline_year: string | null} {
  const sorted = [...years].sort((a, b) => a.financial_year.localeCompare(b.financial_year));
  const latest_full = sorted.filter((y) => y.full).at(-1)?.financial_year ?? null;
  const most = Math.max(0, ...sorted.map((y) => y.months));
  return {
    latest_full,
    latest: sorted.filter((y) => y.months > 0).at(-1)?.financial_year ?? sorted.at(-1)?.financial_year ?? null,
    headline_year: latest_full ?? (most > 0 ? sorted.filter((y) => y.months === most).at(-1)!.financial_year : null)
  };
}

/**
 * Competition ranks (1, 2, 2, 4) of each council's latest full year among councils of the same type with a
 * full year in that same year: councils are never ranked across years.
 */
export function rankCouncils(councils: Omit<CouncilSummary, "rank">[]): Map<string, CouncilRank> {
  const out = new Map<string, CouncilRank>();
  const full = (c: Omit<CouncilSummary, "rank">, fy: string | null) => c.years.find((y) => y.full && y.financial_year === fy);
  for (const c of councils) {
    const mine = full(c, c.latest_full);
    const peers = mine ? councils.filter((p) => p.type === c.type && full(p, c.latest_full)) : [];
    const rank = (value: (y: CouncilYear) => number | null): number | null => {
      const v = mine ? value(mine) : null;
      if (v === null) return null;
      return 1 + peers.filter((p) => (value(full(p, c.latest_full)!) ?? -Infinity) > v).length;
    };
    out.set(c.code, {by_vcse: rank((y) => y.vcse), by_share: rank((y) => y.share), peers: peers.length, year: mine ? c.latest_full : null});
  }
  return out;
}

/** Every VCSE recipient of a council with its amount per year, largest in the headline year first. */
export function vcseRecipients(found: RecipientYear[], years: string[], headlineYear: string | null): Recipient[] {
  const byKey = new Map<string, Recipient>();
  for (const r of found) {
    let recipient = byKey.get(r.key);
    if (!recipient) {
      recipient = {key: r.key, name: r.name, kind: r.kind, basis: r.basis, matched_id: r.matched_id, amounts: years.map(() => null)};
      byKey.set(r.key, recipient);
    }
    recipient.amounts[years.indexOf(r.financial_year)] = r.amount;
  }
  const h = headlineYear ? years.indexOf(headlineYear) : -1;
  const total = (r: Recipient) => r.amounts.reduce<number>((s, a) => s + (a ?? 0), 0);
  return [...byKey.values()].sort(
    (a, b) => (b.amounts[h] ?? -Infinity) - (a.amounts[h] ?? -Infinity) || total(b) - total(a) || a.name.localeCompare(b.name)
  );
}

/** Gained and lost VCSE recipients between consecutive financial years that both have 12 months of data. */
export function recipientChanges(recipients: Recipient[], years: string[], fullYears: Set<string>): RecipientChange[] {
  const out: RecipientChange[] = [];
  const paid = (a: number | null | undefined): a is number => a !== null && a !== undefined && a > 0;
  for (let i = 1; i < years.length; i++) {
    const from = years[i - 1]!;
    const to = years[i]!;
    if (!fullYears.has(from) || !fullYears.has(to) || Number(to.slice(0, 4)) !== Number(from.slice(0, 4)) + 1) continue;
    const pick = (r: Recipient, j: number) => ({key: r.key, name: r.name, amount: r.amounts[j]!});
    const gained = recipients.filter((r) => paid(r.amounts[i]) && !paid(r.amounts[i - 1])).map((r) => pick(r, i));
    const lost = recipients.filter((r) => paid(r.amounts[i - 1]) && !paid(r.amounts[i])).map((r) => pick(r, i - 1));
    const continuing = recipients.filter((r) => paid(r.amounts[i]) && paid(r.amounts[i - 1]));
    const list = (items: {key: string; name: string; amount: number}[]): RecipientChangeList => ({
      count: items.length,
      amount: pounds(sum(items, (r) => r.amount)),
      top: items.sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name)).slice(0, CHANGES_TOP)
    });
    out.push({
      from,
      to,
      gained: list(gained),
      lost: list(lost),
      continuing: {
        count: continuing.length,
        amount_from: pounds(sum(continuing, (r) => r.amounts[i - 1]!)),
        amount_to: pounds(sum(continuing, (r) => r.amounts[i]!))
      }
    });
  }
  return out;
}

export function sourceFiles(manifest: Manifest, stats: Map<string, FileStats>, reports: Map<string, {rejected: number; amount_rejected: string}>): SourceFileRow[] {
  return manifest.files.map((f) => {
    const s = stats.get(f.path);
    const report = reports.get(f.path);
    return {
      path: f.path,
      url: f.url ?? null,
      period: f.period,
      payments: s?.payments ?? 0,
      amount: s?.amount ?? 0,
      rejected: report?.rejected ?? 0,
      rejected_amount: report ? Number(report.amount_rejected) : 0,
      duplicates: s?.duplicates ?? 0,
      duplicate_amount: s?.duplicate_amount ?? 0
    };
  });
}
