/** Issue 4: every delay of the worker and the sweeper. Production defaults; tests use milliseconds. */
export interface WorkerTimings {
  /** How often an idle worker looks for due tasks. */
  pollMs: number;
  /** How long a leased task is the worker's alone; then another worker may take it over. */
  leaseMs: number;
  /** Tasks leased per poll (run concurrently). */
  batchSize: number;
  /** Tasks of a batched kind (transfers) leased per poll, handed to one batch call. */
  bulkBatchSize: number;
  /** Batches of a batched kind run side by side per poll (their round trips overlap). */
  bulkBatchesAtOnce: number;
  /** The first retry of a failed task; each further one waits twice as long (jittered). */
  retryBaseMs: number;
  /** No retry or re-check waits longer than this. */
  retryMaxMs: number;
  /** The first re-check of a new payment at finance; later ones back off from it. */
  recheckAfterMs: number;
  /** How long a payer has to pay; then the packet and its payment order are closed. */
  paymentTimeoutMs: number;
  /** How often the sweeper scans for unsettled orders. */
  sweepEveryMs: number;
  /** An order still unsettled this long after creation (payments: after the payment timeout) is swept. */
  sweepAfterMs: number;
  /** A swept order whose task has run this many times (or died) raises its one alert. */
  alertAfterAttempts: number;
  /** Issue 19: at most one alert webhook call per cause this often (the alerts wait, grouped). */
  alertGroupMs: number;
}

export const DEFAULT_WORKER_TIMINGS: Readonly<WorkerTimings> = Object.freeze({
  pollMs: 500,
  leaseMs: 30_000,
  batchSize: 32,
  bulkBatchSize: 200,
  bulkBatchesAtOnce: 3,
  retryBaseMs: 1_000,
  retryMaxMs: 300_000,
  recheckAfterMs: 30_000,
  paymentTimeoutMs: 15 * 60_000,
  sweepEveryMs: 60_000,
  sweepAfterMs: 5 * 60_000,
  alertAfterAttempts: 5,
  alertGroupMs: 5 * 60_000,
});

export function workerTimings(overrides: Partial<WorkerTimings> = {}): WorkerTimings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const timings: WorkerTimings = { ...DEFAULT_WORKER_TIMINGS, ...defined };
  // a lane leasing nothing a poll would leave its kinds' tasks pending for ever
  for (const key of ['batchSize', 'bulkBatchSize', 'bulkBatchesAtOnce'] as const) {
    if (!Number.isInteger(timings[key]) || timings[key] < 1)
      throw new RangeError(`worker timing ${key} must be a whole number of at least 1, not ${timings[key]}`);
  }
  return timings;
}
