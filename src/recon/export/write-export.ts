/**
 * Issue 22: `redpkt recon export`: both sides of a window (plus the cut-off margin) from our store
 * and from finance, streamed page by page into DuckDB (bounded memory: it spills to its temp
 * directory), the look-ups answered, then written as Parquet in Hive partitions of the window's
 * zone (`orders/dt=2026-02-11/hour=20/part-0.parquet`) with a manifest (docs/recon-layout.md).
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { RedpktError } from '../../domain/errors.js';
import { openEngine, type Engine, type EngineOptions } from '../duck/engine.js';
import { LAYOUT, TABLES, type TableName } from '../duck/layout.js';
import { answerLookups, loadWindow, type LiveSides } from '../duck/load-live.js';
import { sqlParams, type ReconRequest } from '../run-recon.js';
import { PAGE_SIZE } from '../sources.js';
import { FORMAT, MANIFEST, sha256, type ExportFile, type Manifest } from './manifest.js';

const quote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** One partition per hour of the window's zone, from the window's start to its end plus the cut-off. */
function hourParts(req: ReconRequest): { start: number; dt: string; hour: number }[] {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone: req.window.tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const parts: { start: number; dt: string; hour: number }[] = [];
  for (let t = req.window.fromMs; t < req.window.toMs + req.cutoffMs; t += 3_600_000) {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    parts.push({ start: t, dt: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) });
  }
  return parts;
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.name.endsWith('.parquet')) out.push(p);
  }
  return out.sort();
}

async function writeTable(
  engine: Engine,
  outDir: string,
  table: TableName,
  req: ReconRequest,
): Promise<void> {
  const spec = LAYOUT[table];
  const dir = join(outDir, table);
  await mkdir(dir, { recursive: true });
  const at = spec.partition;
  if (at === null) {
    await engine.run(
      `COPY (SELECT * FROM ${table}) TO ${quote(join(dir, 'part-0.parquet'))} (FORMAT parquet)`,
    );
    return;
  }
  const human = at.replace(/_ms$/, '_at');
  const [{ n = 0 } = {}] = await engine.rows(`SELECT COUNT(*) AS n FROM ${table}`);
  const first = hourParts(req)[0]!;
  if (Number(n) === 0) {
    // an empty table still has its schema on disk, in the window's first partition
    const empty = join(dir, `dt=${first.dt}`, `hour=${first.hour}`);
    await mkdir(empty, { recursive: true });
    await engine.run(
      `COPY (SELECT *, epoch_ms(${at}) AS ${human} FROM ${table}) TO ${quote(join(empty, 'part-0.parquet'))} (FORMAT parquet)`,
    );
    return;
  }
  await engine.run(
    `COPY (SELECT t.*, epoch_ms(t.${at}) AS ${human},
             COALESCE(p.dt, ${quote(first.dt)}) AS dt, COALESCE(p.hour, ${first.hour}) AS hour
           FROM ${table} t LEFT JOIN recon_parts p ON t.${at} >= p.start_ms AND t.${at} < p.start_ms + 3600000)
     TO ${quote(dir)} (FORMAT parquet, PARTITION_BY (dt, hour), FILENAME_PATTERN 'part-{i}', OVERWRITE_OR_IGNORE)`,
  );
}

export async function exportWindow(
  sides: LiveSides,
  req: ReconRequest,
  outDir: string,
  engineOpts: EngineOptions = {},
): Promise<Manifest> {
  await mkdir(outDir, { recursive: true });
  if ((await readdir(outDir)).length > 0)
    throw new RedpktError('USAGE', `--out ${outDir} is not empty: give a new or empty directory`);
  const engine = await openEngine(engineOpts);
  try {
    const params = sqlParams(req);
    await loadWindow(engine, sides, { ...params, pageSize: req.pageSize ?? PAGE_SIZE });
    await answerLookups(engine, sides, params);
    await engine.run(`CREATE TABLE recon_parts (start_ms BIGINT, dt VARCHAR, hour BIGINT)`);
    const values = hourParts(req).map((p) => `(${p.start}, ${quote(p.dt)}, ${p.hour})`);
    await engine.run(`INSERT INTO recon_parts VALUES ${values.join(', ')}`);
    const tables = {} as Manifest['tables'];
    for (const t of TABLES) {
      await writeTable(engine, outDir, t, req);
      const fen = LAYOUT[t].fen;
      const files: ExportFile[] = [];
      for (const file of await filesUnder(join(outDir, t))) {
        const [r = {}] = await engine.rows(
          `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(${fen ?? '0'}), 0) AS BIGINT) AS fen FROM read_parquet(${quote(file)}, hive_partitioning = false)`,
        );
        const { size } = await stat(file);
        files.push({
          path: relative(outDir, file).split(sep).join('/'),
          rows: Number(r.n),
          fen: Number(r.fen),
          bytes: size,
          sha256: await sha256(file),
        });
      }
      tables[t] = {
        rows: files.reduce((s, f) => s + f.rows, 0),
        fen: files.reduce((s, f) => s + f.fen, 0),
        files,
      };
    }
    const manifest: Manifest = {
      format: FORMAT,
      window: { ...req.window },
      type: req.type,
      lane: req.lane ?? 'real',
      cutoffMs: req.cutoffMs,
      exportedAt: new Date(req.now).toISOString(),
      tables,
    };
    await writeFile(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  } finally {
    await engine.close();
  }
}
