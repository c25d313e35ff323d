/**
 * Issue 22: plain SQL on one SQLite file through `libsql` itself (the engine under
 * @libsql/client), for the bulk reads of reconciliation. The client builds every row with two
 * `defineProperty` per column and prepares each statement anew; at a million orders that was
 * two thirds of a page's CPU (SQLite's own work the other third). Here a statement is prepared
 * once per text (a keyset page repeats its text) and rows come back as the engine's plain objects.
 * Integers are JS numbers, as with the client's default `intMode`.
 */
import { resolve } from 'node:path';
import Database from 'libsql';

export type SqliteValue = string | number | null;
export type SqliteRow = Record<string, unknown>;

export interface SqliteReader {
  all(sql: string, args: readonly SqliteValue[]): SqliteRow[];
  run(sql: string, args: readonly SqliteValue[]): void;
  close(): void;
}

/** Statements kept per connection; recon sends a handful of distinct texts. */
const CACHED = 32;

export function openSqliteReader(file: string, busyTimeoutMs = 5000): SqliteReader {
  const db = new Database(resolve(file), { timeout: busyTimeoutMs });
  const statements = new Map<string, ReturnType<typeof db.prepare>>();
  const prepared = (sql: string) => {
    let st = statements.get(sql);
    if (st === undefined) {
      if (statements.size >= CACHED) statements.delete(statements.keys().next().value as string);
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  return {
    all: (sql, args) => prepared(sql).all([...args]) as SqliteRow[],
    run(sql, args) {
      prepared(sql).run([...args]);
    },
    close: () => db.close(),
  };
}
