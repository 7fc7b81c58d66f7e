/**
 * Observable Framework configuration. The site builds with no network: `npm run build` first fills the
 * npm cache from node_modules (scripts/fill-npm-cache.ts), the DuckDB extensions are switched off
 * (DuckDB-WASM gets Arrow tables decoded by parquet-wasm instead), and no stylesheet, font or icon is
 * fetched from elsewhere.
 */

import {readFileSync, readdirSync} from "node:fs";

interface Page {
  name: string;
  path: string;
}

interface Section {
  name: string;
  open?: boolean;
  pages: Page[];
}

/** The subset of Framework's (untyped) configuration this site uses. */
interface FrameworkConfig {
  root: string;
  output: string;
  dynamicPaths: string[];
  title: string;
  pages: Array<Page | Section>;
  style: string;
  globalStylesheets: string[];
  head: string;
  header: string | null;
  footer: string;
  toc: boolean | {show?: boolean; label?: string};
  pager: boolean;
  search: boolean;
  duckdb: {extensions: Record<string, null>};
}

const pages: Page[] = [
  {name: "Overview", path: "/"},
  {name: "Compare", path: "/compare"},
  {name: "Councils", path: "/councils"},
  {name: "Recipients", path: "/recipients"},
  {name: "Services", path: "/services"},
  {name: "Data", path: "/data"},
  {name: "Methodology", path: "/methodology"}
];

/** One page per council in the manifests: /council/E08000009 and so on. */
function councilPaths(): string[] {
  const dir = "data/sources";
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => `/council/${JSON.parse(readFileSync(`${dir}/${f}`, "utf8")).council.code}`);
}

const config: FrameworkConfig = {
  root: "src",
  // scripts/build-site.ts builds into a new folder, then switches dist to it.
  output: process.env.VCSE_BUILD_OUT ?? "dist",
  // Council pages, each council's chart-only embed page, and the trend chart as a JavaScript module other sites can import (Framework's embed export).
  dynamicPaths: [...councilPaths(), ...councilPaths().map((p) => `/embed${p}`), "/embed/vcse-trend.js"],
  title: "VCSE spend",
  pages,
  // src/style.css imports Framework's default layout and sets system fonts and print rules.
  style: "style.css",
  // The default is a font stylesheet on a CDN.
  globalStylesheets: [],
  // Without an icon every page logs a 404 for /favicon.ico. Framework's layout has no skip link: the script puts
  // one first in the page, before the sidebar's links, and lets the content take focus from it.
  head:
    '<link rel="icon" href="data:,">' +
    '<script>addEventListener("DOMContentLoaded",()=>{const m=document.getElementById("observablehq-main");if(!m)return;' +
    'm.tabIndex=-1;const a=document.createElement("a");a.className="skip-link";a.href="#observablehq-main";' +
    'a.textContent="Skip to content";document.body.prepend(a)})</script>',
  // No header: null, not Framework's default "", which it still parses as HTML once per page.
  header: null,
  footer:
    "Data: councils’ spending transparency files (Local Government Transparency Code 2015; thresholds differ by council), " +
    'published under the <a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/">Open Government Licence v3.0</a>.',
  toc: false,
  pager: false,
  search: false,
  // DuckDB-WASM would fetch its json and parquet extensions from the internet: pages decode Parquet with
  // parquet-wasm and give DuckDB Arrow tables instead.
  duckdb: {extensions: {json: null, parquet: null}}
};

export default config;
