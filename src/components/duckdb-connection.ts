/**
 * One connection to the DuckDB-WASM database behind Framework's DuckDBClient, for a page that prepares its
 * statements once (DuckDBClient.query opens a connection and prepares its statement on every call). Framework
 * keeps the database as the client's private `_db` (its client/stdlib/duckdb.js): this is the only place that
 * reads it, and test/duckdb-connection.test.ts checks it against Framework's own module.
 */
export interface DuckDBConnection {
  query(sql: string): Promise<unknown>;
  prepare(sql: string): Promise<{query(...params: unknown[]): Promise<unknown>}>;
  close(): Promise<void>;
}

export async function openConnection(client: object): Promise<DuckDBConnection> {
  const db = (client as {_db?: {connect?: () => Promise<DuckDBConnection>}})._db;
  if (typeof db?.connect !== "function") {
    throw new Error("Framework's DuckDBClient no longer keeps its AsyncDuckDB as _db: see src/components/duckdb-connection.ts");
  }
  return db.connect();
}
