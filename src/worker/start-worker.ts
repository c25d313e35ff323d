/**
 * Issue 4: the worker role composed: the outbox worker, the sweeper and the alert sink over one
 * store and one payment provider. `startService` (all roles) and `startWorkerService` (`serve
 * --role worker`) both start it.
 */
import type { PacketStore, PaymentProvider, SubsidyIssuer } from '../domain/ports.js';
import { createAlertSink } from './alert-sink.js';
import { createSweeper, type Sweeper } from './create-sweeper.js';
import { createWorker, type Worker } from './create-worker.js';
import { createTaskBatchHandlers, createTaskHandlers } from './task-handlers.js';
import { workerTimings, type WorkerTimings } from './timings.js';

export interface BackgroundOptions {
  store: PacketStore;
  provider: PaymentProvider;
  notifyUrl: string;
  /** B2C: takes expired packets' remainders back into their campaigns. */
  issuer?: SubsidyIssuer | undefined;
  timings?: Partial<WorkerTimings> | undefined;
  alertWebhook?: string | undefined;
  now?: () => number;
  log?: (msg: string, err?: unknown) => void;
  /** Structured alert lines; default stderr. */
  writeLine?: (line: string) => void;
  /** The worker yields while this is true (the claim path of this process is saturated). */
  yieldTo?: () => boolean;
  /** false: transfer tasks run one at a time, as before batches (a benchmark's baseline). */
  transferBatches?: boolean;
}

export interface Background {
  worker: Worker;
  sweeper: Sweeper;
  timings: WorkerTimings;
  stop(): Promise<void>;
}

export function startBackground(opts: BackgroundOptions): Background {
  const timings = workerTimings(opts.timings);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? ((msg: string, err?: unknown) => console.error(msg, err ?? ''));
  const deps = {
    store: opts.store,
    provider: opts.provider,
    notifyUrl: opts.notifyUrl,
    now,
    paymentTimeoutMs: timings.paymentTimeoutMs,
    paymentRecheckDelayMs: timings.recheckAfterMs,
    retryMaxMs: timings.retryMaxMs,
    issuer: opts.issuer,
  };
  const worker = createWorker({
    store: opts.store,
    handlers: createTaskHandlers(deps),
    batchHandlers: opts.transferBatches === false ? {} : createTaskBatchHandlers(deps),
    timings,
    now,
    log,
    ...(opts.yieldTo ? { yieldTo: opts.yieldTo } : {}),
  });
  const alerts = createAlertSink({
    webhookUrl: opts.alertWebhook,
    groupMs: timings.alertGroupMs,
    now,
    log,
    ...(opts.writeLine ? { writeLine: opts.writeLine } : {}),
  });
  const sweeper = createSweeper({ store: opts.store, alerts, timings, now, log });
  worker.start();
  sweeper.start();
  let stopping: Promise<void> | undefined;
  return {
    worker,
    sweeper,
    timings,
    stop() {
      stopping ??= Promise.all([worker.stop(), sweeper.stop()]).then(() => undefined);
      return stopping;
    },
  };
}
