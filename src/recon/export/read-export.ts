/**
 * Issue 22: `redpkt recon --from DIR`: an export verified against its manifest (every file's size
 * and SHA-256, then every table's rows and fen as DuckDB reads them), its Parquet files put under
 * the layout's table names, and the same recon SQL run over them.
 */
import { join } from 'node:path';
import { openEngine, type EngineOptions } from '../duck/engine.js';
import { LAYOUT, TABLES, type TableName } from '../duck/layout.js';
import { reconcileLoaded, type ReconReport, type ReconRequest } from '../run-recon.js';
import { manifestMismatch, readManifest, verifyFiles, type Manifest } from './manifest.js';

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** DuckDB's view of one exported table: exactly the manifest's files, the layout's columns. */
export function duckSource(dir: string, m: Manifest, table: TableName): string {
  const files = m.tables[table].files.map((f) => quote(join(dir, f.path)));
  const cols = LAYOUT[table].columns.map((c) => c.name).join(', ');
  return `CREATE VIEW ${table} AS SELECT ${cols} FROM read_parquet([${files.join(', ')}], hive_partitioning = false)`;
}

export async function reconFromExport(
  dir: string,
  req: Omit<ReconRequest, 'window' | 'type' | 'lane' | 'cutoffMs'>,
  engineOpts: EngineOptions = {},
): Promise<{ manifest: Manifest; report: ReconReport }> {
  const manifest = await readManifest(dir);
  await verifyFiles(dir, manifest);
  const engine = await openEngine(engineOpts);
  try {
    for (const t of TABLES) {
      await engine.run(duckSource(dir, manifest, t));
      const fen = LAYOUT[t].fen ?? '0';
      const [r = {}] = await engine.rows(
        `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(${fen}), 0) AS BIGINT) AS fen FROM ${t}`,
      );
      const want = manifest.tables[t];
      if (Number(r.n) !== want.rows || Number(r.fen) !== want.fen)
        throw manifestMismatch(
          dir,
          `${t}: ${Number(r.n)} rows / ${Number(r.fen)} fen read, the manifest says ${want.rows} / ${want.fen}`,
        );
    }
    const report = await reconcileLoaded(engine, {
      ...req,
      window: manifest.window,
      type: manifest.type,
      lane: manifest.lane,
      cutoffMs: manifest.cutoffMs,
    });
    return { manifest, report };
  } finally {
    await engine.close();
  }
}
