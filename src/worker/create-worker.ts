/**
 * Issue 4: the outbox worker. Each poll leases the due tasks (a lease with an expiry: the store
 * guarantees that two workers, in this process or another, never hold one task at once), runs them
 * concurrently, and records how each ended: done, retried after a backoff, or dead.
 *
 * A worker that dies mid-task (SIGKILL) leaves its leases behind; they expire after `leaseMs` and
 * another poll takes the tasks over. Handlers are idempotent, so running a task again is safe, also
 * when a slow run outlives its lease.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isRedpktError } from '../domain/errors.js';
import type { ErrorCode } from '../domain/errors.js';
import type { PacketStore, Task, TaskKind } from '../domain/ports.js';
import type { TaskOutcome } from '../services/settlement/task-outcome.js';
import { backoffMs } from './backoff.js';
import type { TaskHandlers } from './task-handlers.js';
import type { WorkerTimings } from './timings.js';

export interface WorkerOptions {
  store: Pick<PacketStore, 'leaseTasks' | 'completeTask' | 'rescheduleTask' | 'killTask'>;
  handlers: TaskHandlers;
  timings: Pick<WorkerTimings, 'pollMs' | 'leaseMs' | 'batchSize' | 'retryBaseMs' | 'retryMaxMs'>;
  now: () => number;
  /** Lease owner id; default host:pid:random. */
  owner?: string;
  random?: () => number;
  log: (msg: string, err?: unknown) => void;
  /**
   * True while this process's claim path is saturated (the all-in-one server). The worker then
   * yields: each poll leases at most `YIELD_BATCH` tasks and the next waits `YIELD_PAUSE_MS`, so
   * a burst of claimers is not slowed by the transfers of the claims it just made; once the burst
   * is over the backlog drains at full speed. Claims first (DESIGN §3.4: the claimer sees
   * "claimed" at once and "transferred" later); the trickle keeps settlement moving meanwhile.
   */
  yieldTo?: () => boolean;
}

/** While yielding: tasks per poll, and the pause between polls (at most ~40 tasks/s). */
export const YIELD_BATCH = 4;
export const YIELD_PAUSE_MS = 100;

export interface Worker {
  readonly owner: string;
  /** One poll: lease due tasks, run them, record how they ended. Resolves with how many ran. */
  runOnce(): Promise<number>;
  /** Polls until stop(); the first poll is immediate. */
  start(): void;
  /** Stops polling and waits for the tasks in hand. */
  stop(): Promise<void>;
}

/** Errors that no retry can fix: the task dies and the sweeper raises the order's alert. */
const PERMANENT: ReadonlySet<ErrorCode> = new Set(['IDEMPOTENCY_CONFLICT', 'VALIDATION_FAILED']);

function outcomeOf(error: unknown): TaskOutcome {
  const reason = isRedpktError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  if (isRedpktError(error) && PERMANENT.has(error.code)) return { kind: 'dead', reason };
  return { kind: 'retry', reason };
}

export function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(-128);
}

export function createWorker(opts: WorkerOptions): Worker {
  const { store, handlers, timings, now, log } = opts;
  const owner = opts.owner ?? defaultOwner();
  const random = opts.random ?? Math.random;
  const kinds = Object.keys(handlers) as TaskKind[];
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;

  async function record(task: Task, outcome: TaskOutcome): Promise<void> {
    const at = now();
    switch (outcome.kind) {
      case 'done':
        await store.completeTask(task.id, owner, at);
        return;
      case 'retry': {
        const dueAt =
          outcome.at ?? at + backoffMs(task.attempts, timings.retryBaseMs, timings.retryMaxMs, random);
        await store.rescheduleTask(task.id, owner, { dueAt, error: outcome.reason.slice(0, 1000), now: at });
        return;
      }
      case 'dead':
        log(`task ${task.kind} ${task.ref} is dead: ${outcome.reason}`);
        await store.killTask(task.id, owner, outcome.reason.slice(0, 1000), at);
        return;
    }
  }

  async function run(task: Task): Promise<void> {
    const handler = handlers[task.kind];
    let outcome: TaskOutcome;
    try {
      outcome = handler ? await handler(task) : { kind: 'retry', reason: `no handler for ${task.kind}` };
    } catch (e) {
      outcome = outcomeOf(e);
    }
    try {
      await record(task, outcome);
    } catch (e) {
      // the lease expires and the task runs again: every handler is idempotent
      log(`could not record task ${task.kind} ${task.ref}`, e);
    }
  }

  async function runOnce(limit = timings.batchSize): Promise<number> {
    const tasks = await store.leaseTasks({ owner, now: now(), leaseMs: timings.leaseMs, limit, kinds });
    await Promise.all(tasks.map(run));
    return tasks.length;
  }

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      }
      stopping.signal.addEventListener('abort', done);
    });

  async function poll(): Promise<void> {
    while (!stopping.signal.aborted) {
      const yielding = opts.yieldTo?.() ?? false;
      const limit = yielding ? Math.min(YIELD_BATCH, timings.batchSize) : timings.batchSize;
      let ran = 0;
      try {
        ran = await runOnce(limit);
      } catch (e) {
        log('worker poll failed', e);
      }
      // a full batch means more may be due: poll again at once (unless claims come first)
      if (yielding) await pause(Math.min(YIELD_PAUSE_MS, timings.pollMs));
      else if (ran < limit) await pause(timings.pollMs);
    }
  }

  return {
    owner,
    runOnce: () => runOnce(),
    start() {
      loop ??= poll();
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
