// A small stand-in for `observable build` in the kill-point harness (test/kill-points.test.ts): it runs the site's
// compaction of the store (sources, suppliers, trend, as the data loaders do) and writes the results and a page, one
// file at a time, into $VCSE_BUILD_OUT. Usage: node stub-build.mjs STORE DATA
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {register} from "tsx/esm/api";

register();
const [store, data] = process.argv.slice(2);
const out = process.env.VCSE_BUILD_OUT;
const {sources} = await import("../../pipeline/compact/sources.ts");
const {suppliers} = await import("../../pipeline/compact/suppliers.ts");
const {trend} = await import("../../pipeline/compact/trend.ts");
const files = {
  "sources.json": JSON.stringify(await sources(store, data)),
  "suppliers.csv": await suppliers("csv", store),
  "trend.json": JSON.stringify(await trend(store))
};
for (const [name, body] of Object.entries(files)) writeFileSync(join(out, name), body);
writeFileSync(join(out, "index.html"), `<!doctype html><title>VCSE spend</title><p>${Object.keys(files).join(", ")}</p>\n`);
