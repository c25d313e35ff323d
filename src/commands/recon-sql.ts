import { withExamples } from '../cli/help.js';
/**
 * Issue 22: `redpkt recon sql --engine duckdb|spark --date D …` prints the recon statements for a
 * window, in the engine's dialect: the sources (views over an export), the categories and
 * invariants, and the queries that read the result tables. `spark-sql -f` or `duckdb <` runs them.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { RedpktError } from '../domain/errors.js';
import { OUTPUT_QUERIES, sourceStatements, toDialect, type SqlEngine } from '../recon/dialect.js';
import { MANIFEST, readManifest, type Manifest } from '../recon/export/manifest.js';
import { parseReconFlags } from '../recon/recon-flags.js';
import { sqlParams } from '../recon/run-recon.js';
import { RECON_FILES, statementsOf } from '../recon/sql-statements.js';
import { windowFlags, withParentFlags, type ReconIo } from './recon.js';

export async function reconSqlStatements(flags: Record<string, unknown>, now: number): Promise<string[]> {
  const engine = (flags.engine ?? 'duckdb') as SqlEngine;
  if (engine !== 'duckdb' && engine !== 'spark')
    throw new RedpktError('USAGE', `--engine must be duckdb or spark (got "${String(flags.engine)}")`);
  const dir = typeof flags.from === 'string' ? flags.from : './recon-export';
  let manifest: Manifest | undefined;
  const hasManifest = await access(join(dir, MANIFEST)).then(
    () => true,
    () => false,
  );
  if (hasManifest) manifest = await readManifest(dir);
  const opts = parseReconFlags({ ...flags, from: manifest ? dir : undefined });
  const params = manifest
    ? sqlParams({
        window: manifest.window,
        type: manifest.type,
        lane: manifest.lane,
        cutoffMs: manifest.cutoffMs,
        now,
      })
    : sqlParams({ window: opts.window, type: opts.type, lane: opts.lane, cutoffMs: opts.cutoffMs, now });
  return [
    ...sourceStatements(dir, engine, manifest),
    ...statementsOf(RECON_FILES, params).map((s) => toDialect(s, engine)),
    ...OUTPUT_QUERIES.map((q) => q.sql),
  ];
}

export function registerReconSql(recon: Command, io: ReconIo): void {
  const cmd = windowFlags(
    recon.command('sql').description("print the recon SQL for a window, in DuckDB's or Spark's dialect"),
    false,
  )
    .option('--engine <engine>', 'duckdb | spark', 'duckdb')
    .option(
      '--from <dir>',
      'the export the statements read (its manifest gives the window)',
      './recon-export',
    )
    .action(async (flags: Record<string, unknown>, c: Command) => {
      const statements = await reconSqlStatements(withParentFlags(flags, c), io.now());
      io.write(`${statements.map((s) => `${s};`).join('\n\n')}\n`);
    });
  withExamples(cmd, [
    'redpkt recon sql --engine spark --from ./export-2026-02-11 > recon.sql && spark-sql -f recon.sql',
    'redpkt recon sql --engine duckdb --date 2026-02-11 --from ./export-2026-02-11 | duckdb',
  ]);
}
