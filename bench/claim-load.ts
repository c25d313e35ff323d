import type { CpuPerClaim } from './cpu-account.js';

/** Shared by the claim benchmark's variants: the job list, the worker loop and the summary. */
export interface ClaimJob {
  packetId: string;
  uid: string;
}

/** One claimer's answer: null for a claim, else an error code; `retries` 429s were retried first. */
export interface Attempt {
  code: string | null;
  retries: number;
}

export interface RunResult {
  claims: number;
  seconds: number;
  claimsPerSec: number;
  /** Every claim, end to end, its 429 retries and their waits included. */
  latencyMs: { p50: number; p99: number; max: number };
  /** Claims the limiter turned away at least once (and that were retried), and 429s in all. */
  limited: { claims: number; retries: number };
  /** The claims that were never turned away: where the latency comes from without the limiter. */
  latencyMsFirstTry: { p50: number; p99: number; max: number };
  errors: Record<string, number>;
  /** CPU µs per claim by process (HTTP variants; see ./cpu-account.ts). */
  cpuUsPerClaim?: CpuPerClaim;
  /** Issue 25: transfers the service's worker completed during the measured run, per claim. */
  transfersPerClaim?: number;
  /** Issue 25: how many rounds were run; the figures above are then their medians (see `medianOf`). */
  rounds?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

function summary(latencies: number[]): { p50: number; p99: number; max: number } {
  latencies.sort((a, b) => a - b);
  return {
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? 0),
  };
}

/**
 * `concurrency` workers take jobs from one shared list until it is empty. `attempt` answers null
 * for a successful claim or an error code; latency is recorded per job, retries included.
 */
export async function runJobs(
  jobs: ClaimJob[],
  concurrency: number,
  attempt: (job: ClaimJob, worker: number) => Promise<Attempt>,
  take: () => number,
): Promise<RunResult> {
  const latencies: number[] = [];
  const firstTry: number[] = [];
  const errors: Record<string, number> = {};
  const limited = { claims: 0, retries: 0 };
  let claims = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = take(); i < jobs.length; i = take()) {
        const t0 = performance.now();
        const { code, retries } = await attempt(jobs[i]!, worker);
        const ms = performance.now() - t0;
        latencies.push(ms);
        if (retries === 0) firstTry.push(ms);
        else {
          limited.claims++;
          limited.retries += retries;
        }
        if (code === null) claims++;
        else errors[code] = (errors[code] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    claims,
    seconds: round(seconds),
    claimsPerSec: Math.round(claims / seconds),
    latencyMs: summary(latencies),
    limited,
    latencyMsFirstTry: summary(firstTry),
    errors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const medianOfNullable = (values: Array<number | null>): number | null =>
  values.some((v) => v === null) ? null : Math.round(median(values as number[]));

/**
 * Issue 25: rounds of one variant summed up. Claims, seconds, errors and 429s are summed; the
 * rate, every latency figure and every CPU figure is the median of the rounds' own (each figure's
 * median on its own, so a round slowed by a neighbour's burst moves none of them much).
 */
export function medianOf(rounds: readonly RunResult[]): RunResult {
  if (rounds.length === 1) return { ...rounds[0]!, rounds: 1 };
  const lat = (pick: (r: RunResult) => { p50: number; p99: number; max: number }) => ({
    p50: round(median(rounds.map((r) => pick(r).p50))),
    p99: round(median(rounds.map((r) => pick(r).p99))),
    max: round(Math.max(...rounds.map((r) => pick(r).max))),
  });
  const errors: Record<string, number> = {};
  for (const r of rounds)
    for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;
  const cpus = rounds.map((r) => r.cpuUsPerClaim).filter((c): c is CpuPerClaim => c !== undefined);
  const cpu: CpuPerClaim | undefined =
    cpus.length === rounds.length
      ? {
          claimers: Math.round(median(cpus.map((c) => c.claimers))),
          service: medianOfNullable(cpus.map((c) => c.service)),
          database: medianOfNullable(cpus.map((c) => c.database)),
          ...(cpus.every((c) => c.databaseOwn !== undefined)
            ? { databaseOwn: medianOfNullable(cpus.map((c) => c.databaseOwn ?? null)) }
            : {}),
          total: medianOfNullable(cpus.map((c) => c.total)),
          ceilingPerSec: medianOfNullable(cpus.map((c) => c.ceilingPerSec)),
        }
      : undefined;
  return {
    claims: rounds.reduce((n, r) => n + r.claims, 0),
    seconds: round(rounds.reduce((n, r) => n + r.seconds, 0)),
    claimsPerSec: Math.round(median(rounds.map((r) => r.claimsPerSec))),
    latencyMs: lat((r) => r.latencyMs),
    limited: {
      claims: rounds.reduce((n, r) => n + r.limited.claims, 0),
      retries: rounds.reduce((n, r) => n + r.limited.retries, 0),
    },
    latencyMsFirstTry: lat((r) => r.latencyMsFirstTry),
    errors,
    ...(cpu ? { cpuUsPerClaim: cpu } : {}),
    ...(rounds.every((r) => r.transfersPerClaim !== undefined)
      ? { transfersPerClaim: median(rounds.map((r) => r.transfersPerClaim!)) }
      : {}),
    rounds: rounds.length,
  };
}
