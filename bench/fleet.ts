/**
 * `npm run bench:fleet` (issue 21): the spread claim case (--packets packets of --shares shares,
 * --clients concurrent claimers over keep-alive connections) in ONE run against
 *   (1) one `redpkt serve` process,
 *   (2) `redpkt serve --cores 2`: the supervisor's gateway in front of 2 core processes,
 *   (3) 2 core processes behind the real HAProxy (deploy/haproxy/haproxy.cfg),
 * each on a fresh MariaDB database (dropped at the end): claims/s, p50/p99, errors, CPU µs per
 * claim of the service's processes (summed), of the claimers and of MariaDB, and each variant's
 * claims/s as a ratio to (1). Every variant's claims are counted in its database afterwards (must
 * equal the 200s). Writes --out (JSON). Flags: --mysql URL, --packets 2000, --shares 2,
 * --clients 200, --out bench/results/fleet.json, --variants one,gateway,haproxy (a subset),
 * --cpu-prof-dir DIR (V8 CPU profiles of the processes it starts, for diagnosis), --cores N (2: the
 * core processes of (2) and (3)).
 *
 * Issue 21's diagnosis (./fleet-diagnosis.ts), printed per variant: each process's CPU per claim,
 * MariaDB's counters per claim, the transfers the workers made during the run, and CPU per claim
 * until every claim is transferred (the same work in every variant: a slower variant's run
 * otherwise holds more of the workers' transfers, and looks dearer per claim for it).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { readEnv } from '../src/config/env.js';
import { createStore } from '../src/storage/create-store.js';
import { makePackets } from './bench-packets.js';
import { runHttp } from './claim-http.js';
import type { ClaimJob, RunResult } from './claim-load.js';
import { startDiagnosis, type Diagnosis } from './fleet-diagnosis.js';
import { behindHaproxy, oneProcess, supervised, type FleetServer } from './fleet-processes.js';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: readEnv().REDPKT_TEST_MYSQL },
    packets: { type: 'string', default: '2000' },
    shares: { type: 'string', default: '2' },
    clients: { type: 'string', default: '200' },
    out: { type: 'string', default: 'bench/results/fleet.json' },
    /** Which variants to run, e.g. `gateway,haproxy` (default all three). */
    variants: { type: 'string', default: 'one,gateway,haproxy' },
    /** Core processes in (2) and (3): on a bigger box, one per CPU left after the router, MariaDB and the claimers. */
    cores: { type: 'string', default: '2' },
    /** Diagnosis: V8 CPU profiles of every service process, written here when they exit. */
    'cpu-prof-dir': { type: 'string' },
  },
});
const packets = Number(values.packets);
const shares = Number(values.shares);
const clients = Number(values.clients);
const cores = Number(values.cores);
if (!Number.isInteger(cores) || cores < 1)
  throw new Error(`--cores ${values.cores}: a whole number of core processes, 1 or more`);
const run = randomBytes(3).toString('hex');

function dbUrl(name: string): string {
  const u = new URL(values.mysql);
  u.pathname = `/${name}`;
  return u.toString();
}

const prof = values['cpu-prof-dir'];
const VARIANTS: { key: string; label: string; start: (url: string) => Promise<FleetServer> }[] = [
  { key: 'one', label: '(1) one process', start: (url) => oneProcess(url, prof) },
  {
    key: 'gateway',
    label: `(2) --cores ${cores}, our gateway`,
    start: (url) => supervised(url, cores, prof),
  },
  {
    key: 'haproxy',
    label: `(3) ${cores} cores behind HAProxy`,
    start: (url) => behindHaproxy(url, cores, prof),
  },
];

const admin = await mysql.createConnection({ uri: values.mysql });
const results: Record<string, RunResult & { claimsInDb: number; diagnosis: Diagnosis }> = {};
try {
  const chosen = new Set(values.variants.split(','));
  for (const v of VARIANTS.filter((x) => chosen.has(x.key))) {
    const name = `redpkt_bench_fleet_${run}_${v.key}`;
    const url = dbUrl(name);
    process.stderr.write(`${v.label}: starting on ${name}\n`);
    const server = await v.start(url); // creates and migrates the database
    try {
      const store = await createStore({ kind: 'mysql', urls: [url] });
      const ids = await makePackets(store, packets, shares, v.key);
      await store.close();
      const jobs: ClaimJob[] = ids.flatMap((packetId, p) =>
        Array.from({ length: shares }, (_, k) => ({ packetId, uid: `u${p}-${k}` })),
      );
      const diagnose = await startDiagnosis(admin, server);
      const result = await runHttp(server, jobs, clients);
      const diagnosis = await diagnose(result.claims);
      const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.claims`);
      const claimsInDb = Number((rows as { n: number }[])[0]!.n);
      // the claims transferred meanwhile, counted in the database (the /metrics count behind our
      // gateway is the gateway's own, which has no claim counts)
      const transfersPerClaim = diagnosis.transfersPerClaim ?? result.transfersPerClaim;
      results[v.key] = {
        ...result,
        ...(transfersPerClaim === undefined ? {} : { transfersPerClaim }),
        claimsInDb,
        diagnosis,
      };
      process.stderr.write(
        `  ${result.claimsPerSec} claims/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, errors ${JSON.stringify(result.errors)}, cpu/claim ${JSON.stringify(result.cpuUsPerClaim)}, in db ${claimsInDb}\n  per claim (warm-up included): ${JSON.stringify(diagnosis)}\n`,
      );
    } finally {
      await server.stop();
      for (const suffix of ['', '_finance', '_shadow', '_finance_shadow'])
        await admin.query(`DROP DATABASE IF EXISTS \`${name}${suffix}\``);
    }
  }
} finally {
  await admin.end();
}

const base = results.one?.claimsPerSec ?? 0;
const report = {
  startedAt: new Date().toISOString(),
  config: { packets, shares, clients },
  variants: Object.fromEntries(
    Object.entries(results).map(([k, r]) => [
      k,
      { ...r, ratioToOne: base ? Math.round((r.claimsPerSec / base) * 100) / 100 : null },
    ]),
  ),
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  'variant                      claims/s  ratio  p50 ms  p99 ms  cpu µs/claim (service+claimers+db)',
);
for (const v of VARIANTS) {
  const r = report.variants[v.key];
  if (!r) continue;
  const c = r.cpuUsPerClaim;
  console.log(
    `${v.label.padEnd(28)} ${String(r.claimsPerSec).padStart(8)}  ${String(r.ratioToOne).padStart(5)}  ${String(r.latencyMs.p50).padStart(6)}  ${String(r.latencyMs.p99).padStart(6)}  ${c?.service}+${c?.claimers}+${c?.database} = ${c?.total}`,
  );
}
console.log(
  'CPU µs per claim until every claim was transferred (service + MariaDB), and per process meanwhile:',
);
for (const v of VARIANTS) {
  const d = results[v.key]?.diagnosis;
  if (!d?.settled) continue;
  console.log(
    `${v.label.padEnd(28)} ${d.settled.service}+${d.settled.database} in ${d.settled.seconds} s; transfers per claim in the run ${d.transfersPerClaim}; ${JSON.stringify(d.processes)}`,
  );
}
const bad = Object.entries(results).filter(([, r]) => r.claimsInDb !== r.claims);
if (bad.length > 0) {
  console.error(`claims in the database differ from the 200s: ${bad.map(([k]) => k).join(', ')}`);
  process.exitCode = 2;
}
