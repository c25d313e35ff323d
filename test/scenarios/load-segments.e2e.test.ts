import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport, StepReport } from '../../src/scenarios/report.js';
import type { ResultFile } from '../../src/scenarios/result-file.js';
import { BIN, startServe } from '../support/serve-process.js';
import type { ServeProcess } from '../support/serve-process.js';

/**
 * Issue 20's done-means: one `redpkt serve`, the same c2c run once as one generator and once as
 * three `--segment i/3` generator processes (the built binary) started by one `--start-at`,
 * merged by `redpkt load merge`: the same totals, money and threshold verdicts, and the three
 * started together (at --start-at, never before it).
 */
const SECRET = 'segments-e2e-secret-0123456789';
let dir: string;
let serve: ServeProcess;

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

const {
  REDPKT_SECRET: _secret,
  REDPKT_SEGMENT: _segment,
  JOB_COMPLETION_INDEX: _index,
  ...cleanEnv
} = process.env;

const redpkt = (args: string[]): Promise<Cli> =>
  new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: cleanEnv }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-segments-'));
  serve = await startServe(['--port', '0', '--data-dir', join(dir, 'serve'), '--secret', SECRET], {
    ...process.env,
    REDPKT_LOG_LEVEL: 'error',
  });
});
afterAll(async () => {
  await serve?.stop();
  await rm(dir, { recursive: true, force: true });
});

const RUN = [
  'c2c',
  '--packets',
  '12',
  '--shares',
  '4',
  '--claimers',
  '6',
  '--concurrency',
  '3',
  '--seed',
  'seg',
];
// one that passes, one that fails: the exit code is 1 both ways, and the verdicts must agree
const THRESHOLDS = ['--threshold', 'claim.ok==48', '--threshold', 'flow.count>100'];

const totals = (r: LoadReport) => ({
  steps: r.steps.map((s: StepReport) => ({
    name: s.name,
    count: s.name === 'claim' ? undefined : s.count,
    ok: s.ok,
    errors: s.errors,
    // 429s depend on timing; the packet being gone does not
    exhausted: s.outcomes.PACKET_EXHAUSTED ?? 0,
  })),
  money: { packets: r.money.packets, checked: r.money.checked, mismatches: r.money.mismatches },
  verdicts: r.thresholds.map((t) => [t.expr, t.ok]),
});

/**
 * The three segment generators with one --start-at. The lead covers the processes' boot; a
 * machine so busy that one boots after the instant (a minute has been seen under a load average
 * of 25) gets the refusal (exit 3) the flag promises, and the run is tried again with a longer
 * lead (a new start-at is a new run).
 */
async function segmentsStartingTogether(): Promise<Cli[]> {
  let segs: Cli[] = [];
  for (const leadMs of [15_000, 60_000, 150_000]) {
    const startAt = new Date(Date.now() + leadMs).toISOString();
    segs = await Promise.all(
      [1, 2, 3].map((i) =>
        redpkt([
          'load',
          ...RUN,
          ...['--target', serve.url, '--secret', SECRET, ...THRESHOLDS],
          ...[
            '--segment',
            `${i}/3`,
            '--start-at',
            startAt,
            '--out',
            join(dir, `seg-${i}.json`),
            '--json',
            '-',
          ],
        ]),
      ),
    );
    const late = segs.filter((s) => s.code === 3 && /in the past/.test(s.stderr));
    if (late.length === 0) return segs;
  }
  return segs;
}

describe('one run over three generators, merged', () => {
  it(
    'gives the same totals, money and verdicts as one generator, from three segments started together',
    { timeout: 420_000 },
    async () => {
      // the generators boot (seconds on a busy machine) and wait for --start-at; the single run
      // goes meanwhile (its packets, order numbers and users are its own)
      const segsDone = segmentsStartingTogether();
      const one = join(dir, 'one.json');
      const single = await redpkt([
        'load',
        ...RUN,
        '--target',
        serve.url,
        '--secret',
        SECRET,
        ...THRESHOLDS,
        '--json',
        one,
      ]);
      expect(single.stderr).not.toMatch(/internal error/);
      expect(single.code).toBe(1);
      const singleReport = JSON.parse(await readFile(one, 'utf8')) as LoadReport;

      const segs = await segsDone;
      for (const s of segs) expect(s.stderr).not.toMatch(/internal error|USAGE/);
      const files = await Promise.all(
        [1, 2, 3].map(
          async (i) => JSON.parse(await readFile(join(dir, `seg-${i}.json`), 'utf8')) as ResultFile,
        ),
      );
      // the start-at instant lines them up: measured by each generator's own clock. Never early;
      // late by a timer's lateness only (a few ms on an idle machine, the run's table prints each
      // lag; 100+ ms with ten runnable processes a core), so the bound here is loose: it catches a
      // generator that ignores --start-at (seconds off), not the scheduler's noise
      const starts = files.map((f) => Date.parse(f.startedAt));
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(1000);
      for (const f of files) {
        expect(f.startLagMs).toBeGreaterThanOrEqual(0);
        expect(f.startLagMs).toBeLessThan(1000);
      }
      expect(new Set(files.map((f) => f.runId)).size).toBe(1);
      // exact shares: 12 packets over 3 segments
      expect(files.map((f) => f.iterations)).toEqual([4, 4, 4]);
      // disjoint users: no claimer is in two segments' sampled packets
      const users = files.map((f) => new Set(f.money.sample.flatMap((p) => [p.sender, ...p.claimers])));
      for (const u of users[0]!) expect(users[1]!.has(u) || users[2]!.has(u)).toBe(false);

      const merged = join(dir, 'merged.json');
      const html = join(dir, 'merged.html');
      const merge = await redpkt([
        'load',
        'merge',
        ...[1, 2, 3].map((i) => join(dir, `seg-${i}.json`)),
        ...THRESHOLDS,
        ...['--json', merged, '--html', html, '--target', serve.url, '--secret', SECRET],
      ]);
      expect(merge.stderr).not.toMatch(/internal error|USAGE/);
      expect(merge.code).toBe(single.code);
      const mergedReport = JSON.parse(await readFile(merged, 'utf8')) as LoadReport;
      expect(totals(mergedReport)).toEqual(totals(singleReport));
      expect(mergedReport.money).toEqual({ packets: 12, checked: 12, mismatches: [] });
      expect(mergedReport.moneyTotals?.recheckedOnTarget).toBe(12);
      expect(mergedReport.generators?.map((g) => g.segment)).toEqual(['1/3', '2/3', '3/3']);
      expect(merge.stdout).toMatch(/generator 2\/3 on /);
      expect(await readFile(html, 'utf8')).toContain('<svg');

      // a segment twice, another run's file: refused (3); a segment missing: 1 unless --allow-partial
      const seg = (i: number) => join(dir, `seg-${i}.json`);
      expect((await redpkt(['load', 'merge', seg(1), seg(1)])).code).toBe(3);
      const partial = await redpkt(['load', 'merge', seg(1), seg(2)]);
      expect(partial.code).toBe(1);
      expect(partial.stderr).toContain('segments missing: 3/3');
      // the run's own thresholds (flow.count>100) fail on any data: the verdict here is merge's own
      const allowed = ['--allow-partial', '--threshold', 'claim.ok>0'];
      expect((await redpkt(['load', 'merge', seg(1), seg(2), ...allowed])).code).toBe(0);

      // the folder: every result file in it (the JSON reports beside them are skipped)
      const folder = await redpkt(['load', 'merge', dir, ...THRESHOLDS]);
      expect(folder.stderr).not.toMatch(/internal error|USAGE/);
      expect(folder.code).toBe(single.code);
      expect(folder.stdout).toContain('merged 3 of 3 segments');

      // a checkpoint (its generator still running, or dead) is an unfinished segment: 1 unless --allow-partial
      const checkpoint = join(dir, 'checkpoint', 'seg-3.json');
      await mkdir(join(dir, 'checkpoint'));
      await writeFile(checkpoint, JSON.stringify({ ...files[2], complete: false }));
      const unfinished = await redpkt(['load', 'merge', seg(1), seg(2), checkpoint]);
      expect(unfinished.code).toBe(1);
      expect(unfinished.stderr).toContain('segments missing: 3/3 (unfinished)');
      expect((await redpkt(['load', 'merge', seg(1), seg(2), checkpoint, ...allowed])).code).toBe(0);
    },
  );

  it(
    'refuses a --start-at in the past and another run in a merge, as usage errors',
    { timeout: 120_000 },
    async () => {
      const late = await redpkt([
        'load',
        ...RUN,
        ...[
          '--target',
          serve.url,
          '--secret',
          SECRET,
          '--segment',
          '1/3',
          '--start-at',
          '2020-01-01T00:00:00Z',
        ],
      ]);
      expect(late.code).toBe(3);
      expect(late.stderr).toMatch(/--start-at .* in the past/);
      const other = join(dir, 'other.json');
      const run = await redpkt([
        'load',
        ...RUN,
        '--packets',
        '3',
        '--target',
        serve.url,
        '--secret',
        SECRET,
        '--out',
        other,
      ]);
      expect(run.code).toBe(0);
      const another = join(dir, 'another.json');
      const file = JSON.parse(await readFile(other, 'utf8')) as ResultFile;
      await writeFile(
        another,
        JSON.stringify({ ...file, runId: 'another', segment: { index: 1, count: 1 } }),
      );
      const mixed = await redpkt(['load', 'merge', other, another]);
      expect(mixed.code).toBe(3);
      expect(mixed.stderr).toMatch(/another run/);
    },
  );
});
