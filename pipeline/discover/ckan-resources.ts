import type {PageLink} from "./page-links.ts";
import {DiscoverError, type PoliteClient} from "./polite-client.ts";

/** A CKAN resource as data.gov.uk's API gives it (only what discovery reads). */
interface Resource {
  url?: string;
  format?: string;
  name?: string;
  description?: string;
  created?: string;
  last_modified?: string;
  /** The date the file's data is for, as data.gov.uk has named it over the years. */
  datafile_date?: string;
  "datafile-date"?: string;
  date?: string;
}

interface Package {
  name: string;
  title?: string;
  resources?: Resource[];
}

/** API_BASE/action/NAME, whether API_BASE is given with or without the trailing /action or /3. */
function actionUrl(apiBase: string, action: string, query: Record<string, string>): string {
  const base = apiBase.replace(/\/+$/, "").replace(/\/action$/, "");
  return `${base}/action/${action}?${new URLSearchParams(query)}`;
}

async function call<T>(client: PoliteClient, url: string): Promise<T> {
  const page = (await client.get(url, "application/json"))!;
  let body: {success?: boolean; result?: T; error?: {message?: string}};
  try {
    body = JSON.parse(page.text);
  } catch {
    throw new DiscoverError(url, "not a CKAN API answer (not JSON)");
  }
  if (!body.success || body.result === undefined) throw new DiscoverError(url, `CKAN error: ${body.error?.message ?? "no result"}`);
  return body.result;
}

/** A dataset's resources as links, so they are kept and dated by the rules a page's links go through. */
function resourceLinks(pkg: Package): PageLink[] {
  return (pkg.resources ?? [])
    .filter((r) => r.url)
    .map((r) => {
      const given = [r.datafile_date, r["datafile-date"], r.date].find((d) => d && /^20\d\d-(0[1-9]|1[0-2])/.test(d));
      const date = given ? ` ${given.slice(0, 7)}` : "";
      return {
        url: r.url!,
        text: `${r.name ?? ""} ${r.format ? `(${r.format})` : ""}`.trim(),
        context: `${r.description ?? ""}${date}`.trim(),
        headings: [pkg.title ?? pkg.name, "spending"],
        rel: ""
      };
    });
}

/** One dataset by its id or name (package_show). */
export async function ckanDataset(client: PoliteClient, apiBase: string, id: string): Promise<{links: PageLink[]; page: string}> {
  const url = actionUrl(apiBase, "package_show", {id});
  const pkg = await call<Package>(client, url);
  return {links: resourceLinks(pkg), page: url};
}

/** Every spending dataset an organisation publishes (package_search), their resources together. */
export async function ckanOrganisation(client: PoliteClient, apiBase: string, organisation: string): Promise<{links: PageLink[]; page: string}> {
  const url = actionUrl(apiBase, "package_search", {fq: `organization:${organisation}`, rows: "1000"});
  const found = await call<{results: Package[]}>(client, url);
  const spending = found.results.filter((p) => /spend|payment|expenditure|over\s*£?\s*(500|250)/i.test(`${p.title ?? ""} ${p.name}`));
  return {links: spending.flatMap(resourceLinks), page: url};
}
