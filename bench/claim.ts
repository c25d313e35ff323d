/**
 * `npm run bench:claim`: the claim path against MariaDB, in ONE run on one machine.
 *   (a) raw ceiling: the bare claim transaction with mysql2 (best of several concurrencies)
 *   (b) plain row lock over HTTP (no queue, no limiter)
 *   (c) limiter + per-packet queue, one claimer per transaction
 *   (d0) limiter + coalescing queue, each packet its own transaction (before issue 6's group commit)
 *   (d) limiter + coalescing queue with cross-packet group commit (what `redpkt serve` runs)
 *   (e) the HTTP floor: GET /healthz, same clients and server as (d), no claim at all; its rounds
 *       taken turn about with (d)'s (a floor round just before each claim round)
 *   (dh) (d) with claims through Hono's router and middleware (before issue 25's fast path); only
 *        when asked for (`--variants deh`), for a before/after in one run
 * each on one hot packet claimed by --clients concurrent claimers, and spread over --packets
 * packets; claims/s, p50/p99, errors by code, and each as a ratio to (a). Writes --out (JSON).
 * Every HTTP variant gets a database of its own (`redpkt_bench_*_<letter>`, dropped at the end): the
 * service's worker transfers the claims of its own run only, never a previous variant's backlog.
 * Flags: --mysql URL (server; fresh redpkt_bench_* databases are made and dropped),
 * --clients 1000, --hot-shares 10000, --packets 10000, --shares 2, --out bench/results/claim.json;
 * After each variant its database gets a money check (./money-check.ts: every packet's claims and
 * remainder add up to what was sent, no uid twice, every claimer answered with exactly the claim
 * recorded for them; for HTTP variants, once the worker has settled, every claim transferred once
 * at finance for its fen); a failed check is printed and makes the run exit 2.
 * --rounds 3 and --min-seconds 10 (issue 25): every HTTP case and the floor is run in rounds, each on
 * jobs of its own (a fresh hot packet, fresh spread packets), until there are at least --rounds and
 * --min-seconds of measured time; the figures are the rounds' medians. The report ends with the
 * issue 25 goal ratios of (d) against the floor (e).
 * --max-groups N: the coalescer's group transactions at once in the service (default: the service's).
 * for diagnosis only (the report needs all of them): --variants abc0de (a subset, e.g. ad; 0 is d0),
 * --cases hot,spread (one of them), --cpu-prof DIR (the service's V8 CPU profiles go there).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { readEnv } from '../src/config/env.js';
import type { PacketStore } from '../src/domain/ports.js';
import { createStore } from '../src/storage/create-store.js';
import type { ClaimPath } from './claim-http.js';
import { runHttpRounds, serverSettled, startBenchServer, type Rounds } from './claim-http.js';
import type { ClaimJob, RunResult } from './claim-load.js';
import { runRaw } from './claim-raw.js';
import { makePackets } from './bench-packets.js';
import { checkMoney, newAnswered, type MoneyCheck } from './money-check.js';

const { values } = parseArgs({
  options: {
    mysql: { type: 'string', default: readEnv().REDPKT_TEST_MYSQL },
    clients: { type: 'string', default: '1000' },
    'hot-shares': { type: 'string', default: '10000' },
    packets: { type: 'string', default: '10000' },
    shares: { type: 'string', default: '2' },
    out: { type: 'string', default: 'bench/results/claim.json' },
    variants: { type: 'string', default: 'abc0de' },
    cases: { type: 'string', default: 'hot,spread' },
    'cpu-prof': { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'max-groups': { type: 'string' },
    'min-seconds': { type: 'string', default: '10' },
  },
});
/** Issue 25: every HTTP case (and the floor) in rounds, at least this many and this long in all. */
const rounds: Rounds = { min: Number(values.rounds), minSeconds: Number(values['min-seconds']) };
const runVariant = (letter: string) => values.variants.includes(letter);
const runHot = values.cases.split(',').includes('hot');
const runSpread = values.cases.split(',').includes('spread');
const NOT_RUN: RunResult = {
  claims: 0,
  seconds: 0,
  claimsPerSec: 0,
  latencyMs: { p50: 0, p99: 0, max: 0 },
  limited: { claims: 0, retries: 0 },
  latencyMsFirstTry: { p50: 0, p99: 0, max: 0 },
  errors: {},
};
const clients = Number(values.clients);
const hotShares = Number(values['hot-shares']);
const spreadPackets = Number(values.packets);
const spreadShares = Number(values.shares);

const database = `redpkt_bench_${randomBytes(4).toString('hex')}`;
const serverUrl = new URL(values.mysql);
serverUrl.pathname = '/';
const urlOf = (db: string) => {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
};
const dbUrl = urlOf(database);
/** Every database this run made (the service adds `_finance` beside each). */
const made: string[] = [];

async function withServer<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  const conn = await mysql.createConnection({ uri: serverUrl.toString() });
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Claims made before an HTTP variant's clock starts: two a claimer, on packets of 20 shares (so
 * the coalescer's batches and cross-packet groups are both exercised), and not measured. Without
 * them the first second of a run is the service's JIT compiling the claim path: in the hot run
 * that second had p50 160–190 ms against 85–95 ms once warm, and made the run's p99.
 */
async function warmJobsFor(store: PacketStore, tag: string): Promise<ClaimJob[]> {
  const ids = await makePackets(store, Math.max(1, Math.ceil(clients / 10)), 20, `${tag}-warm`);
  return shuffle(
    ids.flatMap((packetId, p) =>
      Array.from({ length: 20 }, (_, s) => ({ packetId, uid: `${tag}w${p}x${s}` })),
    ),
  );
}

const hotJobs = async (store: PacketStore, tag: string): Promise<ClaimJob[]> => {
  const [hotId] = await makePackets(store, 1, hotShares, `${tag}-hot`);
  return Array.from({ length: hotShares }, (_, i) => ({ packetId: hotId!, uid: `${tag}h${i}` }));
};

async function spreadJobs(store: PacketStore, tag: string): Promise<ClaimJob[]> {
  const ids = await makePackets(store, spreadPackets, spreadShares, `${tag}-spread`);
  return shuffle(
    ids.flatMap((packetId, p) =>
      Array.from({ length: spreadShares }, (_, s) => ({ packetId, uid: `${tag}s${p}x${s}` })),
    ),
  );
}

async function jobsFor(store: PacketStore, tag: string): Promise<{ hot: ClaimJob[]; spread: ClaimJob[] }> {
  return {
    hot: runHot ? await hotJobs(store, tag) : [],
    spread: runSpread ? await spreadJobs(store, tag) : [],
  };
}

interface Variant {
  name: string;
  hot: RunResult;
  spread: RunResult;
  /** The variant's database after its runs (none for the HTTP floor, which claims nothing). */
  money?: MoneyCheck;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function logMoney(m: MoneyCheck): void {
  log(
    `  money check: ${m.ok ? 'ok' : 'FAILED'}: ${m.claims} claims, ${m.claimedFen} fen over ${m.packets} packets` +
      (m.answered ? `, answered ${m.answered.claims} claims / ${m.answered.fen} fen` : '') +
      (m.transferred === undefined ? '' : `, ${m.transferred} transferred at finance`) +
      (m.ok ? '' : `: ${m.problems.join('; ')}`),
  );
}

/** One line of CPU per request by process (HTTP variants), and the ceiling it puts on the rate. */
function logCpu(label: string, r: RunResult): void {
  const cpu = r.cpuUsPerClaim;
  if (!cpu) return;
  log(
    `  ${label} (${r.rounds ?? 1} rounds, ${r.seconds} s, medians) CPU µs/request: claimers ${cpu.claimers}, service ${cpu.service ?? '?'}, database ${cpu.database ?? '?'}` +
      (cpu.databaseOwn === undefined ? '' : ` (its own connections ${cpu.databaseOwn ?? '?'})`) +
      (cpu.ceilingPerSec ? ` -> at most ${cpu.ceilingPerSec}/s on this machine's cores` : '') +
      (r.transfersPerClaim === undefined
        ? ''
        : `; the worker made ${r.transfersPerClaim} transfers a claim meanwhile`),
  );
}

async function freshStore(db: string): Promise<PacketStore> {
  made.push(db);
  await withServer((c) => c.query(`CREATE DATABASE \`${db}\``));
  const fresh = await createStore({ kind: 'mysql', urls: [urlOf(db)] });
  await fresh.migrate();
  return fresh;
}

const store = await freshStore(database);
const variants: Variant[] = [];
try {
  // (a) raw ceiling: best of several concurrencies, each on fresh packets
  if (runVariant('a')) {
    let bestHot = NOT_RUN;
    let bestSpread = NOT_RUN;
    const pool = mysql.createPool({ uri: dbUrl, connectionLimit: 64 });
    const rawAnswered = newAnswered();
    for (const concurrency of [4, 16, 64]) {
      const jobs = await jobsFor(store, `raw${concurrency}`);
      const hot = runHot ? await runRaw(pool, jobs.hot, concurrency, rawAnswered) : NOT_RUN;
      const spread = runSpread ? await runRaw(pool, jobs.spread, concurrency, rawAnswered) : NOT_RUN;
      log(`(a) raw c=${concurrency}: hot ${hot.claimsPerSec}/s, spread ${spread.claimsPerSec}/s`);
      if (hot.claimsPerSec > bestHot.claimsPerSec) bestHot = hot;
      if (spread.claimsPerSec > bestSpread.claimsPerSec) bestSpread = spread;
    }
    await pool.end();
    const money = await checkMoney(dbUrl, { answered: rawAnswered });
    logMoney(money);
    variants.push({ name: '(a) raw mysql2 transaction', hot: bestHot, spread: bestSpread, money });
  }

  const http: Array<[string, string, ClaimPath, boolean, boolean?]> = [
    ['(b) plain row lock over HTTP', 'b', 'direct', false],
    ['(c) limiter + queue', 'c', 'queue', true],
    ['(d0) limiter + coalescing queue, per packet', '0', 'coalesce-per-packet', true],
    ['(d) limiter + coalescing queue + group commit', 'd', 'coalesce', true],
    ['(dh) (d), claims through Hono (no fast path)', 'h', 'coalesce', true, false],
  ];
  let floor: Variant | undefined;
  for (const [name, letter, path, limiter, fastPath = true] of http) {
    if (!runVariant(letter)) continue;
    const own = await freshStore(`${database}_${letter}`);
    const server = await startBenchServer(
      urlOf(`${database}_${letter}`),
      path,
      limiter,
      values['cpu-prof'],
      'batch',
      values['max-groups'] === undefined ? undefined : Number(values['max-groups']),
      fastPath,
    );
    try {
      // (e), the floor, on (d)'s server: a floor round just before each claim round (see
      // runHttpRounds), the same number of requests as the claim round has claims
      const withFloor = letter === 'd' && runVariant('e');
      const warm = await warmJobsFor(own, path);
      const answered = newAnswered();
      const measured = (
        jobsOf: (round: number) => Promise<ClaimJob[]>,
        warmJobs: ClaimJob[],
        floorRequests: number,
      ) =>
        runHttpRounds(
          server,
          jobsOf,
          clients,
          warmJobs,
          answered,
          rounds,
          withFloor ? floorRequests : undefined,
        );
      const hotRun = runHot
        ? await measured((r) => hotJobs(own, `${path}r${r}`), warm, hotShares)
        : { claims: NOT_RUN };
      const spreadRun = runSpread
        ? await measured(
            (r) => spreadJobs(own, `${path}r${r}`),
            runHot ? [] : warm,
            spreadPackets * spreadShares,
          )
        : { claims: NOT_RUN };
      const [hot, spread] = [hotRun.claims, spreadRun.claims];
      if (withFloor) {
        const [floorHot, floorSpread] = [hotRun.floor ?? NOT_RUN, spreadRun.floor ?? NOT_RUN];
        log(`(e) HTTP floor: ${floorHot.claimsPerSec}/s, p99 ${floorHot.latencyMs.p99} ms`);
        logCpu('hot', floorHot);
        logCpu('spread', floorSpread);
        floor = { name: '(e) HTTP floor: GET /healthz', hot: floorHot, spread: floorSpread };
      }
      log(`${name}: hot ${hot.claimsPerSec}/s, spread ${spread.claimsPerSec}/s`);
      logCpu('hot', hot);
      logCpu('spread', spread);
      // the money check covers finance too: every claim transferred, once, for its fen
      const settleStart = performance.now();
      await serverSettled(server);
      log(
        `  transfers settled ${((performance.now() - settleStart) / 1000).toFixed(1)} s after the last claim`,
      );
      const money = await checkMoney(urlOf(`${database}_${letter}`), { answered, transfers: true });
      logMoney(money);
      variants.push({ name, hot, spread, money });
      if (floor) variants.push(floor);
      floor = undefined; // listed once, after (d) (whose server it ran on)
    } finally {
      await server.stop();
      await own.close();
    }
  }
} finally {
  await store.close();
  await withServer(async (c) => {
    // with the service's finance store and shadow lane, if made (see src/runtime/storage-config.ts)
    for (const db of made) {
      for (const suffix of ['', '_finance', '_shadow', '_finance_shadow']) {
        await c.query(`DROP DATABASE IF EXISTS \`${db}${suffix}\``);
      }
    }
  });
}

const raw = variants.find((v) => v.name.startsWith('(a)'));
const ratio = (n: number | null | undefined, of: number | null | undefined) =>
  of && n !== null && n !== undefined ? Math.round((n / of) * 100) / 100 : null;

/** Issue 25's goals as ratios of (d) to the floor (e), and (d)'s own CPU figures; null: not run. */
function goalsOf(d: Variant | undefined, e: Variant | undefined) {
  // the service's own connections where they can be told apart (a shared server), else the server's
  const db = (r: RunResult | undefined) =>
    r?.cpuUsPerClaim?.databaseOwn ?? r?.cpuUsPerClaim?.database ?? null;
  return {
    hotRate: ratio(d?.hot.claimsPerSec, e?.hot.claimsPerSec),
    hotP99: ratio(d?.hot.latencyMs.p99, e?.hot.latencyMs.p99),
    hotServiceCpuUs: d?.hot.cpuUsPerClaim?.service ?? null,
    spreadRate: ratio(d?.spread.claimsPerSec, e?.spread.claimsPerSec),
    dbCpuSpreadOverHot: ratio(db(d?.spread), db(d?.hot)),
    dbCpuUs: { hot: db(d?.hot), spread: db(d?.spread) },
  };
}
const report = {
  bench: 'claim',
  at: new Date().toISOString(),
  config: {
    clients,
    hotShares,
    spreadPackets,
    spreadShares,
    variants: values.variants,
    cases: values.cases,
    rounds,
  },
  goals: goalsOf(
    variants.find((v) => v.name.startsWith('(d)')),
    variants.find((v) => v.name.startsWith('(e)')),
  ),
  variants: variants.map((v) => ({
    ...v,
    hotRatio: ratio(v.hot.claimsPerSec, raw?.hot.claimsPerSec),
    spreadRatio: ratio(v.spread.claimsPerSec, raw?.spread.claimsPerSec),
  })),
};
await mkdir(dirname(values.out), { recursive: true });
await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  '| variant | hot claims/s | x raw | p50 ms | p99 ms | p99 first try | 429ed | spread claims/s | x raw | p99 ms | errors | money |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const v of report.variants) {
  const errors = {
    ...v.hot.errors,
    ...Object.fromEntries(Object.entries(v.spread.errors).map(([k, n]) => [`spread ${k}`, n])),
  };
  console.log(
    `| ${v.name} | ${v.hot.claimsPerSec} | ${v.hotRatio} | ${v.hot.latencyMs.p50} | ${v.hot.latencyMs.p99} | ${v.hot.latencyMsFirstTry.p99} | ${v.hot.limited.claims} | ${v.spread.claimsPerSec} | ${v.spreadRatio} | ${v.spread.latencyMs.p99} | ${JSON.stringify(errors)} | ${v.money ? (v.money.ok ? 'ok' : 'FAILED') : '-'} |`,
  );
}
const g = report.goals;
const show = (n: number | null, goal: string) => `${n ?? '?'} (goal ${goal})`;
console.log(
  `\nIssue 25 goals, (d) against the floor (e) in this run:\n` +
    `  hot claims/s ÷ floor: ${show(g.hotRate, '≥ 0.6')}; hot p99 ÷ floor p99: ${show(g.hotP99, '≤ 1.5')}; ` +
    `service CPU µs per hot claim: ${show(g.hotServiceCpuUs, '≤ 70')}\n` +
    `  spread claims/s ÷ floor: ${show(g.spreadRate, '≥ 0.5')}; MariaDB CPU spread ÷ hot: ${show(g.dbCpuSpreadOverHot, '≤ 2')} ` +
    `(${g.dbCpuUs.hot ?? '?'} vs ${g.dbCpuUs.spread ?? '?'} µs a claim)`,
);
// a money check that failed fails the run (exit 2), whatever the speed
if (report.variants.some((v) => v.money && !v.money.ok)) process.exitCode = 2;
