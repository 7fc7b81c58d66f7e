/**
 * The Recipients page prepares its statements on one connection to the database inside Framework's DuckDBClient,
 * which Framework keeps as the private `_db`. This loads Framework's own client module (the one pages get as
 * DuckDBClient) with DuckDB-WASM stubbed out, and checks that openConnection reaches the database the client itself
 * queries: when Framework renames or reshapes `_db`, this fails.
 */
import {join} from "node:path";
import {build} from "esbuild";
import {describe, expect, it} from "vitest";
import {openConnection} from "../src/components/duckdb-connection.js";

const FRAMEWORK_DUCKDB = join(import.meta.dirname, "../node_modules/@observablehq/framework/dist/client/stdlib/duckdb.js");

interface FrameworkModule {
  DuckDBClient: new (db: unknown) => {query(sql: string): Promise<unknown>};
}

async function frameworkDuckDB(): Promise<FrameworkModule> {
  const out = await build({
    entryPoints: [FRAMEWORK_DUCKDB],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    logLevel: "silent",
    define: {DUCKDB_MANIFEST: JSON.stringify({platforms: {}, extensions: {}})},
    plugins: [{
      name: "stub-npm",
      setup(b) {
        b.onResolve({filter: /^npm:/}, (args) => ({path: args.path, namespace: "stub"}));
        b.onLoad({filter: /.*/, namespace: "stub"}, () => ({
          contents: "export const selectBundle = async () => ({}); export class ConsoleLogger {} export const LogLevel = {WARNING: 2};",
          loader: "js"
        }));
      }
    }]
  });
  const code = out.outputFiles[0]!.text;
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as FrameworkModule;
}

/** A stand-in for DuckDB-WASM's AsyncDuckDB: counts connections and records what they are asked. */
function fakeDatabase() {
  const asked: string[] = [];
  let connections = 0;
  const connection = {
    query: async (sql: string) => (asked.push(sql), {rows: [sql]}),
    prepare: async (sql: string) => ({query: async () => (asked.push(sql), {rows: [sql]})}),
    close: async () => undefined
  };
  return {db: {connect: async () => (connections++, connection)}, connection, asked, connections: () => connections};
}

describe("openConnection on Framework's DuckDBClient", () => {
  it("opens a connection on the same database the client queries", async () => {
    const {DuckDBClient} = await frameworkDuckDB();
    const fake = fakeDatabase();
    const client = new DuckDBClient(fake.db);
    await client.query("SELECT 1");
    expect(fake.connections()).toBe(1);
    const connection = await openConnection(client);
    expect(connection).toBe(fake.connection);
    expect(fake.connections()).toBe(2);
    await connection.query("SELECT 2");
    expect(fake.asked).toEqual(["SELECT 1", "SELECT 2"]);
  });

  it("says where to look when a client has no such database", async () => {
    await expect(openConnection({})).rejects.toThrow(/DuckDBClient no longer keeps its AsyncDuckDB as _db/);
    await expect(openConnection({_db: {}})).rejects.toThrow(/src\/components\/duckdb-connection\.ts/);
  });
});
