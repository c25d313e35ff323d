/** The HTTP variants of `bench:claim`: the real service in a child process, claimed over keep-alive. */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { issueToken } from '../src/auth/tokens.js';
import { NODE_FLAGS } from '../src/runtime/node-flags.js';
import type { ClaimPath } from '../src/core/claim-coalescer.js';
import { createHttpClient, type HttpClient } from '../src/scenarios/http-client.js';
import type { Attempt, ClaimJob, RunResult } from './claim-load.js';
import { cpuAccount } from './cpu-account.js';
import { dbThreadCpu } from './db-thread-cpu.js';
import { medianOf, runJobs } from './claim-load.js';
import { newAnswered, recordAnswer, type Answered } from './money-check.js';

export type { ClaimPath };

export interface BenchServer {
  url: string;
  pid: number | undefined;
  /** Issue 21: every process of a service made of several (their CPU is summed); default [pid]. */
  pids?: readonly number[];
  secret: string;
  /** Issue 25: the database server and the service's database on it (its connections' CPU is counted). */
  database?: { serverUrl: string; name: string };
  stop(): Promise<void>;
}

export async function startBenchServer(
  mysqlUrl: string,
  path: ClaimPath,
  limiter: boolean,
  cpuProfDir?: string,
  transfers: 'batch' | 'one' = 'batch',
  /** Issue 25: the coalescer's group transactions at once (the service's default when absent). */
  maxGroups?: number,
  /** Issue 25: false sends claims through Hono's router, not the claim's fast path (before/after). */
  claimFastPath = true,
): Promise<BenchServer> {
  const script = new URL('./claim-server.js', import.meta.url);
  const prof = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  // started as `redpkt serve` starts: with the binary's V8 flags
  const args = [
    ...NODE_FLAGS,
    ...prof,
    script.pathname,
    mysqlUrl,
    path,
    limiter ? 'on' : 'off',
    transfers,
    maxGroups === undefined ? '' : String(maxGroups),
    claimFastPath ? 'fast' : 'hono',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  const { url, secret } = JSON.parse(line) as { url: string; secret: string };
  const dbUrl = new URL(mysqlUrl);
  const name = decodeURIComponent(dbUrl.pathname.slice(1));
  dbUrl.pathname = '/';
  return {
    url,
    pid: child.pid,
    secret,
    database: { serverUrl: dbUrl.toString(), name },
    // A clean stop can wait a long time on the service's worker (transfer retries against a finance
    // that already stopped listening): after 10 s the server is killed, its run is already measured.
    stop: () =>
      new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Before the clock starts: every connection opened, and the server's HTTP path run a few thousand
 * times (JIT), so that no variant pays for being the first on a fresh server process.
 */
async function warmUp(client: HttpClient, concurrency: number, rounds = 5): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < rounds; i++) await client.send({ method: 'GET', path: '/healthz' });
    }),
  );
}

/**
 * The claimers' client: `redpkt load`'s own (its HTTP/1.1 client on `net.Socket` for the bench
 * server's http URL, bodies read to the end), without the shadow mark, since the bench server's
 * packets are in its real lane.
 */
export const benchClient = (server: BenchServer, connections: number) =>
  createHttpClient({ url: server.url, connections, timeoutMs: 60_000, shadow: false });

/**
 * Polls the service's /metrics until every claim is transferred (`redpkt_claims` by status: some
 * counted, all of them `transferred`), at most `timeoutMs`: the warm-up's claims are transferred
 * before the clock starts, not by the worker during the measured run.
 */
export async function transfersSettled(client: HttpClient, timeoutMs = 120_000, pollMs = 200): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const byStatus = await claimsByStatus(client);
    const all = [...(byStatus?.values() ?? [])].reduce((n, k) => n + k, 0);
    // settled: claims are counted at all (a failed count leaves the gauge out) and all transferred
    if (byStatus && all > 0 && byStatus.get('transferred') === all) return;
    await sleep(pollMs);
  }
  throw new Error(`the service still had claims to transfer after ${timeoutMs} ms`);
}

/** The service's `redpkt_claims` gauge by status, from /metrics; undefined when it did not answer. */
export async function claimsByStatus(client: HttpClient): Promise<Map<string, number> | undefined> {
  const res = await client.send({ method: 'GET', path: '/metrics' });
  if (res.status !== 200 || typeof res.body !== 'string') return undefined;
  const claims = /^redpkt_claims\{[^}]*status="(\w+)"[^}]*\} (\d+)/gm;
  return new Map([...res.body.matchAll(claims)].map((m) => [m[1]!, Number(m[2])]));
}

/** `transfersSettled` on a connection of its own (before the money check of a variant). */
export async function serverSettled(server: BenchServer, timeoutMs = 300_000): Promise<void> {
  const client = benchClient(server, 1);
  try {
    await transfersSettled(client, timeoutMs);
  } finally {
    await client.close();
  }
}

/**
 * Issue 25: how long a variant's case is measured: rounds one after another (each on jobs of its
 * own, e.g. a fresh hot packet) until at least `min` rounds and `minSeconds` of measured time.
 * The result is the rounds' medians (`medianOf`).
 */
export interface Rounds {
  min: number;
  minSeconds: number;
}
const ONE_ROUND: Rounds = { min: 1, minSeconds: 0 };
/** However short the rounds, a case stops after this many. */
const MAX_ROUNDS = 200;

const moreRounds = (done: readonly RunResult[], rounds: Rounds) =>
  done.length < MAX_ROUNDS &&
  (done.length < rounds.min || done.reduce((n, r) => n + r.seconds, 0) < rounds.minSeconds);

async function tokensFor(server: BenchServer, jobs: readonly ClaimJob[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const { uid } of jobs) if (!tokens.has(uid)) tokens.set(uid, await issueToken(server.secret, uid));
  return tokens;
}

/**
 * `concurrency` claimers over as many keep-alive connections; 429s are retried as clients do (10
 * times). `warm` claims are made first, unmeasured (see `warmJobsFor` in claim.ts). Every 200's
 * answer is recorded in `answered` (the money check compares it with the database).
 */
export function runHttp(
  server: BenchServer,
  jobs: ClaimJob[],
  concurrency: number,
  warm: ClaimJob[] = [],
  answered: Answered = newAnswered(),
): Promise<RunResult> {
  const jobsOf = () => Promise.resolve(jobs);
  return runHttpRounds(server, jobsOf, concurrency, warm, answered, ONE_ROUND).then((r) => r.claims);
}

/**
 * `runHttp` in rounds (issue 25): `jobsOf(round)` gives each round's jobs (made before its clock
 * starts); between rounds the worker transfers the last round's claims (not measured), so every
 * round starts as the first did. The medians of the rounds.
 *
 * With `floorRequests`, the HTTP floor's rounds (that many `GET /healthz` each, the same client
 * and connections) are taken turn about with the claim rounds (issue 25, fifth session): run
 * one after the other, the floor's first rounds met a server process minutes younger than the
 * claims' (10,000 requests a round answered at 14,114/s before the hot claims, 21,157/s before
 * the spread ones in one run), so the ratios compared two moments of a drifting machine. Taken
 * turn about, each claim round has a floor round just before it, on the same warm server with
 * the same backlog settled; each side goes on until it has its own `rounds`.
 */
export async function runHttpRounds(
  server: BenchServer,
  jobsOf: (round: number) => Promise<ClaimJob[]>,
  concurrency: number,
  warm: ClaimJob[],
  answered: Answered,
  rounds: Rounds,
  floorRequests?: number,
): Promise<{ claims: RunResult; floor?: RunResult }> {
  const client = benchClient(server, concurrency);
  try {
    // Open every connection before the clock starts: 1,000 TCP handshakes and a cold server
    // otherwise land in the first claims' latency (they were the whole p99 of a hot packet).
    await warmUp(client, concurrency);
    if (warm.length > 0) {
      const result = await claimAll(client, warm, concurrency, await tokensFor(server, warm), answered);
      if (Object.keys(result.errors).length > 0)
        throw new Error(`warm-up claims failed: ${JSON.stringify(result.errors)}`);
      const settleStart = performance.now();
      await transfersSettled(client);
      const seconds = (performance.now() - settleStart) / 1000;
      // the worker's transfer rate at full speed (nothing else to do), for the record
      process.stderr.write(
        `  warm-up: ${warm.length} claims transferred within ${seconds.toFixed(1)} s (~${Math.round(warm.length / seconds)}/s)\n`,
      );
    }
    const done: RunResult[] = [];
    const floor: RunResult[] = [];
    const floorLeft = () => floorRequests !== undefined && moreRounds(floor, rounds);
    for (let round = 0; moreRounds(done, rounds) || floorLeft(); round++) {
      const claimsLeft = moreRounds(done, rounds);
      const jobs = claimsLeft ? await jobsOf(round) : [];
      const tokens = await tokensFor(server, jobs);
      if (round > 0) await transfersSettled(client);
      // the waits can outlast the server's keep-alive (5 s): connections it closed are opened again
      if (round > 0 || warm.length > 0) await warmUp(client, concurrency, 1);
      if (floorLeft()) floor.push(await floorRound(server, client, floorRequests!, concurrency));
      const claim = () => claimAll(client, jobs, concurrency, tokens, answered);
      if (claimsLeft) done.push(await claimRound(server, client, claim));
    }
    return { claims: medianOf(done), ...(floor.length > 0 ? { floor: medianOf(floor) } : {}) };
  } finally {
    await client.close();
  }
}

/** One measured round of claims (`claim`), with each process's CPU a claim and the worker's trickle. */
async function claimRound(
  server: BenchServer,
  client: HttpClient,
  claim: () => Promise<RunResult>,
): Promise<RunResult> {
  const before = (await claimsByStatus(client))?.get('transferred') ?? 0;
  const dbOwn = server.database
    ? await dbThreadCpu(server.database.serverUrl, server.database.name)
    : undefined;
  const account = cpuAccount(server.pids ?? server.pid, availableParallelism());
  const result = await claim();
  const cpu = account(result.claims);
  const ownMs = dbOwn ? await dbOwn() : undefined;
  if (ownMs !== undefined)
    cpu.databaseOwn = ownMs === null ? null : Math.round((ownMs * 1000) / Math.max(1, result.claims));
  // issue 25: the worker's trickle during the round is part of its CPU figures (about one
  // transfer costs what several claims do): how many, per claim
  const after = (await claimsByStatus(client))?.get('transferred') ?? before;
  const transfersPerClaim = Math.round(((after - before) / Math.max(1, result.claims)) * 1000) / 1000;
  return { ...result, cpuUsPerClaim: cpu, transfersPerClaim };
}

function claimAll(
  client: HttpClient,
  jobs: ClaimJob[],
  concurrency: number,
  tokens: Map<string, string>,
  answered: Answered,
): Promise<RunResult> {
  let next = 0;
  return runJobs(
    jobs,
    concurrency,
    async (job): Promise<Attempt> => {
      for (let retry = 0; ; retry++) {
        const res = await client.send({
          method: 'POST',
          path: `/v1/packets/${job.packetId}/claims`,
          headers: { authorization: `Bearer ${tokens.get(job.uid)}` },
        });
        if (res.status === 200) {
          recordAnswer(
            answered,
            job.packetId,
            job.uid,
            (res.body as { amount?: unknown } | undefined)?.amount,
          );
          return { code: null, retries: retry };
        }
        if (res.transportError) return { code: res.transportError, retries: retry };
        const body = res.body as { error?: { code: string; retryAfterMs?: number } } | undefined;
        const code = body?.error?.code ?? `HTTP_${res.status}`;
        if (code !== 'RATE_LIMITED' || retry === 10)
          return { code: res.status >= 500 ? `HTTP_5xx_${code}` : code, retries: retry };
        await sleep(body?.error?.retryAfterMs ?? 50);
      }
    },
    () => next++,
  );
}

/**
 * One measured round of the HTTP floor: the same claimers, connections and server, each asking
 * `GET /healthz` (no identity, no store), `requests` times in all. No claim can be answered faster
 * than this over HTTP on this machine; its p99 bounds what the claim path's p99 can reach.
 */
async function floorRound(
  server: BenchServer,
  client: HttpClient,
  requests: number,
  concurrency: number,
): Promise<RunResult> {
  const jobs = Array.from({ length: requests }, () => ({ packetId: '', uid: '' }));
  const hit = async (): Promise<Attempt> => {
    const res = await client.send({ method: 'GET', path: '/healthz' });
    return { code: res.status === 200 ? null : (res.transportError ?? `HTTP_${res.status}`), retries: 0 };
  };
  let next = 0;
  const account = cpuAccount(server.pid, availableParallelism());
  const result = await runJobs(jobs, concurrency, hit, () => next++);
  return { ...result, cpuUsPerClaim: account(result.claims) };
}
