/**
 * The little SQL the switch store needs, per dialect. The switch store keeps its OWN connection to
 * the packet service's database (same SQLite file, same MySQL URL) and its own tables (`ops_*`),
 * so it never touches the packet store's adapters or migrations.
 */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlRunner {
  all(sql: string, args?: readonly SqlValue[]): Promise<SqlRow[]>;
  run(sql: string, args?: readonly SqlValue[]): Promise<{ insertId: number; affected: number }>;
}

export interface SqlStatement {
  sql: string;
  args?: readonly SqlValue[];
}

export interface StatementResult {
  rows: SqlRow[];
  insertId: number;
  affected: number;
}

export interface SwitchDialect {
  reads: SqlRunner;
  /**
   * A sharded packet store's other shards (`reads` is the first): read only for the row counts of
   * `/metrics`, which add every shard's rows up.
   */
  shardReads?: readonly SqlRunner[];
  /**
   * The statements in one write transaction, all or nothing, with each one's result. A batch and
   * not a callback: on SQLite it runs in one synchronous call, so this connection never holds the
   * file's write lock across an await (see ./sqlite-switch-store.ts).
   */
  batch(statements: readonly SqlStatement[]): Promise<StatementResult[]>;
  /** `INSERT OR IGNORE` (SQLite) or `INSERT IGNORE` (MySQL). */
  insertIgnore: string;
  /** ` FOR UPDATE` on MySQL; SQLite's write transaction already holds the database lock. */
  forUpdate: string;
  /** CREATE TABLE IF NOT EXISTS … statements, in order. */
  migrations: readonly string[];
  close(): Promise<void>;
}

export const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
export const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
