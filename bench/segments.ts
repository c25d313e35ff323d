/**
 * `npm run bench:segments`: the request rate of one run split over 2 generator processes
 * (`--segment 1/2`, `2/2`, one --start-at, merged by `redpkt load merge`) against the same run from
 * 1 generator process, in one run against one `redpkt serve` (the built binary, embedded store).
 * Printed: requests per second of each (all steps but flow) and their ratio. Closed model, c2c;
 * flags: --seconds S (8), --concurrency C (8).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoadReport } from '../src/scenarios/report.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, concurrency: { type: 'string', default: '8' } },
});
/** The built binary (npm run build), from the repository root the npm script runs in. */
const BIN = join(process.cwd(), 'dist/bin/redpkt.js');

async function startServe(args: string[], serveEnv: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], {
    env: serveEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) =>
        child.exitCode === null ? (child.once('exit', () => resolve()), child.kill('SIGTERM')) : resolve(),
      ),
  };
}

const SECRET = 'bench-segments-secret-0123456789';
const { REDPKT_SECRET: _s, ...env } = process.env;
const redpkt = (args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [BIN, ...args], { env }, (err, _out, stderr) =>
      err && !/exit code 1\b/.test(String(err)) && (err as { code?: number }).code !== 1
        ? reject(new Error(stderr))
        : resolve(),
    ),
  );
const rate = async (file: string) => {
  const r = JSON.parse(await readFile(file, 'utf8')) as LoadReport;
  const requests = r.steps.filter((s) => s.name !== 'flow').reduce((n, s) => n + s.count, 0);
  return { requests, rps: (requests * 1000) / r.durationMs };
};

const dir = await mkdtemp(join(tmpdir(), 'redpkt-bench-seg-'));
const serve = await startServe(['--port', '0', '--data-dir', join(dir, 'serve'), '--secret', SECRET], {
  ...env,
  REDPKT_LOG_LEVEL: 'error',
});
try {
  const run = [
    'c2c',
    '--target',
    serve.url,
    '--secret',
    SECRET,
    '--duration',
    `${values.seconds}s`,
    '--concurrency',
    values.concurrency!,
    '--shares',
    '5',
    '--claimers',
    '8',
  ];
  await redpkt(['load', ...run, '--json', join(dir, 'one.json')]);
  const startAt = new Date(Date.now() + 30_000).toISOString();
  await Promise.all(
    [1, 2].map((i) =>
      redpkt([
        'load',
        ...run,
        '--segment',
        `${i}/2`,
        '--start-at',
        startAt,
        '--out',
        join(dir, `seg-${i}.json`),
      ]),
    ),
  );
  await redpkt([
    'load',
    'merge',
    join(dir, 'seg-1.json'),
    join(dir, 'seg-2.json'),
    '--json',
    join(dir, 'merged.json'),
  ]);
  const one = await rate(join(dir, 'one.json'));
  const two = await rate(join(dir, 'merged.json'));
  console.log(`1 generator:             ${one.requests} requests, ${one.rps.toFixed(0)} req/s`);
  console.log(`2 generators, merged:    ${two.requests} requests, ${two.rps.toFixed(0)} req/s`);
  console.log(`ratio (2 merged / 1):    ${(two.rps / one.rps).toFixed(2)}x`);
} finally {
  await serve.stop();
  await rm(dir, { recursive: true, force: true });
}
