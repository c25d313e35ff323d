/**
 * `npm run bench:soak` (issue 21 part 6): --packets distinct C2C packets (default 1,000,000) through
 * ONE core on MySQL, each written active and paid straight into its database (./bulk-packets.ts,
 * 1,000 a transaction: the call-by-call path takes hours for 1M) and claimed
 * out over HTTP (--shares claimers each, --clients at a time, 429s retried), and every --every
 * packets (default 100,000) the core's V8 heap used after a full GC and its RSS. Per-packet state
 * in the core (limiter windows, claim queues, remaining counts, token and route caches) must be
 * bounded: the heap after GC flat from the first sample to the last. Each sample is taken once the
 * core's worker has transferred every claim so far (its transfers are work in flight, not state).
 * Writes --out (JSON), prints the samples, the last sample's heap as a ratio to the first and the
 * largest over the smallest from the first sample on. --mysql URL (a fresh
 * redpkt_bench_soak_* database is made and dropped).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { readEnv } from '../src/config/env.js';
import { NODE_FLAGS } from '../src/runtime/node-flags.js';
import { bulkPackets } from './bulk-packets.js';
import { benchClient, claimsByStatus, runHttp, type BenchServer } from './claim-http.js';
import type { ClaimJob } from './claim-load.js';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: readEnv().REDPKT_TEST_MYSQL },
    packets: { type: 'string', default: '1000000' },
    every: { type: 'string', default: '100000' },
    shares: { type: 'string', default: '1' },
    clients: { type: 'string', default: '200' },
    out: { type: 'string', default: 'bench/results/soak.json' },
  },
});
const total = Number(values.packets);
const every = Number(values.every);
const shares = Number(values.shares);
const clients = Number(values.clients);
const name = `redpkt_bench_soak_${randomBytes(3).toString('hex')}`;
const u = new URL(values.mysql);
u.pathname = `/${name}`;
const url = u.toString();

const child = spawn(
  process.execPath,
  [...NODE_FLAGS, '--expose-gc', new URL('./soak-server.js', import.meta.url).pathname, url],
  { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
);
const line = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once('line', resolve);
  child.once('exit', (code) => reject(new Error(`the soak server exited (${code})`)));
});
const { url: serverUrl, secret } = JSON.parse(line) as { url: string; secret: string };
const server: BenchServer = { url: serverUrl, pid: child.pid, secret, stop: async () => {} };
const sample = () =>
  new Promise<{ heapUsed: number; rss: number }>((resolve) => {
    child.once('message', (m) => resolve(m as { heapUsed: number; rss: number }));
    child.send('sample');
  });

/**
 * Until the worker has transferred every claim. Its rate is the machine's (~150 transfers/s with a
 * busy neighbour, so 100,000 claims may take many minutes): no deadline on the whole wait, only
 * on progress; 5 minutes without one more claim transferred is a failure, printed with the counts.
 */
async function transfersDone(s: BenchServer): Promise<void> {
  const client = benchClient(s, 1);
  try {
    let last = -1;
    let movedAt = performance.now();
    for (;;) {
      const byStatus = await claimsByStatus(client);
      const all = [...(byStatus?.values() ?? [])].reduce((n, k) => n + k, 0);
      const done = byStatus?.get('transferred') ?? 0;
      if (all > 0 && done === all) return;
      if (done > last) [last, movedAt] = [done, performance.now()];
      else if (performance.now() - movedAt > 300_000)
        throw new Error(
          `no claim transferred for 5 minutes: ${JSON.stringify(Object.fromEntries(byStatus ?? []))}`,
        );
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await client.close();
  }
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
const samples: { packets: number; heapUsedMb: number; rssMb: number; claimsPerSec: number }[] = [];
const bulk = bulkPackets(url);
const started = Date.now();
const errors: Record<string, number> = {};
let claimsInDb = 0;
// a run cut short still writes what it measured, with why it stopped (and exits 1)
let failure: string | undefined;
try {
  const s0 = await sample();
  samples.push({ packets: 0, heapUsedMb: mb(s0.heapUsed), rssMb: mb(s0.rss), claimsPerSec: 0 });
  for (let done = 0; done < total;) {
    const n = Math.min(every, total - done);
    let claimsPerSec = 0;
    // in chunks of 10,000 packets: the job list and tokens of a chunk only
    for (let c = 0; c < n; c += 10_000) {
      const k = Math.min(10_000, n - c);
      const ids = await bulk.make(k, shares, `soak-${done + c}`);
      const jobs: ClaimJob[] = ids.flatMap((packetId, p) =>
        Array.from({ length: shares }, (_, s) => ({ packetId, uid: `u${(done + c + p) % 50_000}-${s}` })),
      );
      const r = await runHttp(server, jobs, clients);
      if (Object.keys(r.errors).length > 0) process.stderr.write(`  errors: ${JSON.stringify(r.errors)}\n`);
      for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
      claimsPerSec = r.claimsPerSec;
    }
    done += n;
    // the worker's transfers of the claims just made are work in flight, not per-packet state:
    // sampled once they are done, the heap is what the core keeps of the packets it served
    await transfersDone(server);
    const s = await sample();
    samples.push({ packets: done, heapUsedMb: mb(s.heapUsed), rssMb: mb(s.rss), claimsPerSec });
    process.stderr.write(
      `${done} packets: heap after GC ${mb(s.heapUsed)} MB, RSS ${mb(s.rss)} MB, ${claimsPerSec} claims/s (${Math.round((Date.now() - started) / 1000)} s)\n`,
    );
  }
} catch (e) {
  failure = e instanceof Error ? e.message : String(e);
  process.stderr.write(`the soak stopped: ${failure}\n`);
} finally {
  await bulk.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const admin = await mysql.createConnection({ uri: values.mysql });
  // every claimer's share is in the database: the run claimed the packets out, not only answered
  const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.claims`).catch(() => [[{ n: 0 }]]);
  claimsInDb = Number((rows as { n: number }[])[0]!.n);
  for (const suffix of ['', '_finance', '_shadow', '_finance_shadow'])
    await admin.query(`DROP DATABASE IF EXISTS \`${name}${suffix}\``);
  await admin.end();
}
const first = samples[1];
const last = samples.at(-1)!;
const report = {
  startedAt: new Date(started).toISOString(),
  config: { packets: total, every, shares, clients },
  samples,
  claims: { expected: total * shares, inDb: claimsInDb, errors },
  ...(failure ? { failure } : {}),
  heapLastToFirst: first ? Math.round((last.heapUsedMb / first.heapUsedMb) * 100) / 100 : null,
  // flat means every sample from the first (--every packets) on, not only the last: max over min
  heapMaxToMin:
    samples.length > 1
      ? Math.round(
          (Math.max(...samples.slice(1).map((x) => x.heapUsedMb)) /
            Math.min(...samples.slice(1).map((x) => x.heapUsedMb))) *
            100,
        ) / 100
      : null,
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));
if (failure) process.exitCode = 1;
