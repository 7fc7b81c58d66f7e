/** Quoting for SQL text built by the pipeline (DuckDB): every literal and identifier goes through one of these. */
import type {DuckDBConnection} from "@duckdb/node-api";

/** A string literal: `O'Brien` → `'O''Brien'`. */
export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted identifier (column or table name): `my "col"` → `"my ""col"""`. */
export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Appends rows to an existing table through DuckDB's appender; types[i] is column i's DuckDB type (INTEGER, BIGINT,
 * DOUBLE, BOOLEAN, BLOB; anything else is appended as text). null and undefined become NULL.
 */
export async function appendRows(db: DuckDBConnection, table: string, types: readonly string[], rows: Iterable<readonly unknown[]>): Promise<void> {
  const appender = await db.createAppender(table);
  for (const row of rows) {
    row.forEach((value, i) => {
      const type = types[i];
      if (value === null || value === undefined) appender.appendNull();
      else if (type === "INTEGER") appender.appendInteger(value as number);
      else if (type === "BIGINT") appender.appendBigInt(BigInt(value as number));
      else if (type === "DOUBLE") appender.appendDouble(value as number);
      else if (type === "BOOLEAN") appender.appendBoolean(value as boolean);
      else if (type === "BLOB") appender.appendBlob(value as Uint8Array);
      else appender.appendVarchar(String(value));
    });
    appender.endRow();
  }
  appender.closeSync();
}
