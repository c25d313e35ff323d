/**
 * Issue 22, `npm run test:spark` (opt-in, never in `npm test`): the recon SQL printed by
 * `redpkt recon sql --engine spark` runs in Spark local mode (pyspark, ./run_recon_sql.py) over a
 * `recon export` of a window with every category in it (test/recon/every-category-window.ts), and
 * gives DuckDB's result tables row for row: the same columns, the same column kinds (money an
 * integer in both: no DECIMAL), the same values in the same order. Skipped, saying what to
 * install, where pyspark or Java is missing.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildEveryCategoryExport } from '../recon/every-category-window.js';
import { duckOutputs, statementsFor, type Outputs } from '../recon/recon-sql-outputs.js';

const RUNNER = fileURLToPath(new URL('./run_recon_sql.py', import.meta.url));

/** Why Spark cannot run here (null: it can). */
function sparkMissing(): string | null {
  const missing: string[] = [];
  const py = spawnSync('python3', ['-c', 'import pyspark'], { encoding: 'utf8' });
  if (py.status !== 0)
    missing.push(
      `\`python3 -c "import pyspark"\` failed (${(py.stderr || String(py.error)).trim().split('\n').at(-1)})`,
    );
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.status !== 0)
    missing.push(`\`java -version\` failed (${String(java.error ?? java.stderr).trim()})`);
  if (missing.length === 0) return null;
  return (
    `the Spark comparison is skipped: ${missing.join('; ')}. To run it: \`pip install pyspark\` ` +
    '(Spark 3.5 or 4) and Java 17 (e.g. `apt-get install openjdk-17-jre-headless`), then `npm run test:spark`'
  );
}

const why = sparkMissing();
if (why) console.warn(`test:spark: ${why}`);

describe('the recon SQL on Spark (local mode)', () => {
  it.skipIf(why !== null)(
    "gives DuckDB's result tables row for row over an export with every category",
    async () => {
      const work = await mkdtemp(join(tmpdir(), 'redpkt-spark-'));
      const w = await buildEveryCategoryExport(work);
      try {
        const duck = await duckOutputs(w.dir, w.now);
        const spark = await statementsFor('spark', w.dir, w.now);
        const spec = join(work, 'spec.json');
        const outFile = join(work, 'spark-out.json');
        await writeFile(spec, JSON.stringify(spark));
        await promisify(execFile)('python3', [RUNNER, spec, outFile], {
          timeout: 600_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        const parsed = JSON.parse(await readFile(outFile, 'utf8')) as Record<string, unknown>;
        const { version } = parsed._spark as { version: string };
        delete parsed._spark;
        const fromSpark = parsed as Outputs;
        expect(Object.keys(fromSpark)).toEqual(Object.keys(duck));
        for (const table of Object.keys(duck)) expect(fromSpark[table], table).toEqual(duck[table]);
        const summary = Object.entries(duck).map(([t, o]) => `${t}: ${o.rows.length} rows`);
        console.log(`test:spark: Spark ${version} and DuckDB agree row for row (${summary.join(', ')})`);
      } finally {
        await w.h.stop();
        await rm(work, { recursive: true, force: true });
      }
    },
  );
});
