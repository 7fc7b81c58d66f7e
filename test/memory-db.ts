import {DuckDBInstance, type DuckDBConnection} from "@duckdb/node-api";
import {afterAll, beforeAll} from "vitest";

/**
 * An in-memory DuckDB connection for the tests of the calling file or describe block: opened before them,
 * closed after them. Call the returned function inside a test to get it.
 */
export function memoryDb(): () => DuckDBConnection {
  let instance: DuckDBInstance | undefined;
  let db: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(":memory:");
    db = await instance.connect();
  });
  afterAll(() => {
    db?.closeSync();
    instance?.closeSync();
  });
  return () => {
    if (!db) throw new Error("memoryDb(): the connection is open only while the tests run");
    return db;
  };
}
