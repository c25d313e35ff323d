/**
 * Issue 22: the result tables of the recon SQL in one engine-neutral shape, to compare engines
 * row for row: every OUTPUT_QUERIES table with its column names, each column's kind (integer,
 * string or boolean: money is integer fen, so a DECIMAL, HUGEINT or DOUBLE column is named as
 * `other:<type>` and fails the comparison) and its rows in the query's fixed order.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { reconSqlStatements } from '../../src/commands/recon-sql.js';
import { OUTPUT_QUERIES } from '../../src/recon/dialect.js';

export type SqlValue = number | string | boolean | null;
export interface TableOutput {
  columns: string[];
  types: string[];
  rows: SqlValue[][];
}
export type Outputs = Record<string, TableOutput>;

const INTEGER = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

function kindOf(duckType: string): string {
  if (INTEGER.has(duckType)) return 'integer';
  if (duckType === 'VARCHAR') return 'string';
  if (duckType === 'BOOLEAN') return 'boolean';
  return `other:${duckType}`;
}

function valueOf(v: unknown): SqlValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
      throw new Error(`an integer past 2^53 in a recon result: ${v}`);
    return Number(v);
  }
  return `other:${String(v)}`;
}

/** The statements `redpkt recon sql --engine <engine> --from <dir>` prints, split into the two parts. */
export async function statementsFor(
  engine: 'duckdb' | 'spark',
  dir: string,
  now: number,
): Promise<{ statements: string[]; queries: typeof OUTPUT_QUERIES }> {
  const all = await reconSqlStatements({ engine, from: dir }, now);
  const statements = all.slice(0, all.length - OUTPUT_QUERIES.length);
  const tail = all.slice(statements.length);
  if (tail.some((s, i) => s !== OUTPUT_QUERIES[i]!.sql))
    throw new Error('recon sql no longer ends with the OUTPUT_QUERIES');
  return { statements, queries: OUTPUT_QUERIES };
}

/** Runs `recon sql --engine duckdb`'s statements over the export and reads every result table. */
export async function duckOutputs(dir: string, now: number): Promise<Outputs> {
  const { statements, queries } = await statementsFor('duckdb', dir, now);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
  const conn = await instance.connect();
  try {
    for (const s of statements) await conn.run(s);
    const out: Outputs = {};
    for (const q of queries) {
      const reader = await conn.runAndReadAll(q.sql);
      out[q.table] = {
        columns: reader.columnNames(),
        types: reader.columnTypes().map((t) => kindOf(t.toString())),
        rows: reader.getRowsJS().map((r) => r.map(valueOf)),
      };
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
