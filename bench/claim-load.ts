/** Shared by the claim benchmark's variants: the job list, the worker loop and the summary. */
export interface ClaimJob {
  packetId: string;
  uid: string;
}

export interface RunResult {
  claims: number;
  seconds: number;
  claimsPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `concurrency` workers take jobs from one shared list until it is empty. `attempt` returns null
 * for a successful claim or an error code; latency is recorded per job, retries included.
 */
export async function runJobs(
  jobs: ClaimJob[],
  concurrency: number,
  attempt: (job: ClaimJob, worker: number) => Promise<string | null>,
  take: () => number,
): Promise<RunResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let claims = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = take(); i < jobs.length; i = take()) {
        const t0 = performance.now();
        const code = await attempt(jobs[i]!, worker);
        latencies.push(performance.now() - t0);
        if (code === null) claims++;
        else errors[code] = (errors[code] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    claims,
    seconds: round(seconds),
    claimsPerSec: Math.round(claims / seconds),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
    errors,
  };
}
