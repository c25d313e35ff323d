/**
 * Issue 22: DuckDB embedded (`@duckdb/node-api`), the engine `redpkt recon` runs its SQL on. A
 * memory limit and a temporary directory of its own are always set, so a big window spills to disk
 * instead of failing; the directory is removed on close.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import { RedpktError } from '../../domain/errors.js';
import { createTableSql, LAYOUT, type ColumnType, type Row, type TableName } from './layout.js';

export interface EngineOptions {
  /** DuckDB's memory_limit, e.g. `1GB` (default). */
  memoryLimit?: string;
  /** Where DuckDB spills; default a fresh directory under the OS temp dir, removed on close. */
  tempDir?: string;
  threads?: number;
}

export type SqlRow = Record<string, unknown>;

export interface Engine {
  run(sql: string): Promise<void>;
  rows(sql: string): Promise<SqlRow[]>;
  /** Creates the layout's tables (empty). */
  createTables(tables?: readonly TableName[]): Promise<void>;
  /** Appends rows (in the layout's column order) to a layout table; returns how many. */
  append(table: TableName, rows: AsyncIterable<Row> | Iterable<Row>): Promise<number>;
  close(): Promise<void>;
}

export const DUCK_TYPE: Record<ColumnType, string> = {
  STRING: 'VARCHAR',
  BIGINT: 'BIGINT',
  BOOLEAN: 'BOOLEAN',
};

const MEMORY = /^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

function appendValue(a: DuckDBAppender, type: ColumnType, v: Row[number]): void {
  if (v === null) return a.appendNull();
  if (type === 'BIGINT') return a.appendBigInt(BigInt(v as number));
  if (type === 'BOOLEAN') return a.appendBoolean(v === true);
  a.appendVarchar(String(v));
}

export async function openEngine(opts: EngineOptions = {}): Promise<Engine> {
  const memoryLimit = opts.memoryLimit ?? '1GB';
  if (!MEMORY.test(memoryLimit))
    throw new RedpktError('USAGE', `--memory-limit must be a size like 512MB or 2GB (got "${memoryLimit}")`);
  const ownTemp = opts.tempDir === undefined;
  const tempDir = opts.tempDir ?? (await mkdtemp(join(tmpdir(), 'redpkt-duckdb-')));
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      memory_limit: memoryLimit,
      temp_directory: tempDir,
      threads: String(opts.threads ?? 2),
      preserve_insertion_order: 'false',
    });
    conn = await instance.connect();
  } catch (err) {
    if (ownTemp) await rm(tempDir, { recursive: true, force: true });
    throw new RedpktError('DEPENDENCY_FAILED', `cannot start DuckDB: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return {
    async run(sql) {
      await conn.run(sql);
    },
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRowObjectsJS() as SqlRow[];
    },
    async createTables(tables = Object.keys(LAYOUT) as TableName[]) {
      for (const t of tables) await conn.run(createTableSql(t, (c) => DUCK_TYPE[c]));
    },
    async append(table, rows) {
      const columns = LAYOUT[table].columns;
      const appender = await conn.createAppender(table);
      let n = 0;
      try {
        for await (const row of rows) {
          for (let i = 0; i < columns.length; i++) appendValue(appender, columns[i]!.type, row[i] ?? null);
          appender.endRow();
          n += 1;
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      return n;
    },
    async close() {
      conn.closeSync();
      instance.closeSync();
      if (ownTemp) await rm(tempDir, { recursive: true, force: true });
    },
  };
}
