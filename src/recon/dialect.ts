/**
 * Issue 22: the small shim between DuckDB and Spark SQL for the recon statements. The SQL files are
 * written in the common part of both (BIGINT money, BIGINT ms times, STRING casts, `||`,
 * concat_ws, row_number, no NULL ordering or collation relied on); what differs is only
 *   - where the tables come from: DuckDB views over the manifest's Parquet files, Spark temporary
 *     views over the table directories (`parquet.\`dir\``: partition discovery reads dt=/hour=).
 *     Both select exactly the layout's columns, so neither engine's tables carry the partition
 *     columns (Spark infers `dt` as a DATE) nor the export's `*_at` TIMESTAMPs (time zones);
 *   - how a result table is made: DuckDB `CREATE TABLE x AS`, Spark `CACHE TABLE x AS` (a cached
 *     temporary view: nothing is written to the warehouse); a `CREATE VIEW x AS` is Spark's
 *     `CREATE OR REPLACE TEMPORARY VIEW x AS`.
 */
import { LAYOUT, TABLES } from './duck/layout.js';
import { duckSource } from './export/read-export.js';
import type { Manifest } from './export/manifest.js';

export { OUTPUT_QUERIES } from './sql-statements.js';

export type SqlEngine = 'duckdb' | 'spark';

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const quotePath = (s: string): string => `\`${s.replaceAll('`', '``')}\``;

/** One recon statement in the engine's dialect. */
export function toDialect(statement: string, engine: SqlEngine): string {
  if (engine === 'duckdb') return statement;
  return statement
    .replace(/^CREATE TABLE (\w+) AS\b/, 'CACHE TABLE $1 AS')
    .replace(/^CREATE VIEW (\w+) AS\b/, 'CREATE OR REPLACE TEMPORARY VIEW $1 AS');
}

/**
 * The statements that put an export's tables under the layout's names. `dir` may be a URL the
 * engine reads (`s3a://bucket/export`, `hdfs://…`): it is kept as given, not normalised as a path.
 */
export function sourceStatements(dir: string, engine: SqlEngine, manifest?: Manifest): string[] {
  const under = (t: string) => `${dir.replace(/\/+$/, '')}/${t}`;
  return TABLES.map((t) => {
    if (engine === 'duckdb' && manifest) return duckSource(dir, manifest, t);
    const cols = LAYOUT[t].columns.map((c) => c.name).join(', ');
    if (engine === 'duckdb')
      return `CREATE VIEW ${t} AS SELECT ${cols} FROM read_parquet(${quote(`${under(t)}/**/*.parquet`)}, hive_partitioning = false)`;
    return `CREATE OR REPLACE TEMPORARY VIEW ${t} AS SELECT ${cols} FROM parquet.${quotePath(under(t))}`;
  });
}
