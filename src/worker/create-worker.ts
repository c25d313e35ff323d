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
import { chunks } from '../domain/chunks.js';
import { pauseOn, systemClock, type Clock } from '../domain/clock.js';
import type { PacketStore, Task, TaskKind } from '../domain/ports.js';
import { outcomeOf, type TaskOutcome } from '../services/settlement/task-outcome.js';
import { backoffMs } from './backoff.js';
import type { TaskBatchHandlers, TaskHandlers } from './task-handlers.js';
import type { WorkerTimings } from './timings.js';

export interface WorkerOptions {
  store: Pick<PacketStore, 'leaseTasks' | 'completeTask' | 'completeTasks' | 'rescheduleTask' | 'killTask'>;
  handlers: TaskHandlers;
  /**
   * Kinds run a batch at a time (transfers: one set of statements and one finance call for many
   * claims). They are leased apart, up to `bulkBatchSize` a poll, and handed to their handler at
   * once; a kind with a batch handler never goes to `handlers`.
   */
  batchHandlers?: TaskBatchHandlers;
  timings: Pick<
    WorkerTimings,
    'pollMs' | 'leaseMs' | 'batchSize' | 'bulkBatchSize' | 'bulkBatchesAtOnce' | 'retryBaseMs' | 'retryMaxMs'
  >;
  now: () => number;
  /** Lease owner id; default host:pid:random. */
  owner?: string;
  random?: () => number;
  /** Issue 24: whose timers pace the polls (the simulation's clock); default the system's. */
  clock?: Clock;
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

/**
 * While yielding: tasks per poll, and the pause between polls (at most ~40 tasks/s one by one,
 * ~500/s of a batched kind, whose batch costs about what a few single tasks do).
 */
export const YIELD_BATCH = 4;
export const YIELD_BULK_BATCH = 50;
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

export function defaultOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`.slice(-128);
}

export function createWorker(opts: WorkerOptions): Worker {
  const { store, handlers, timings, now, log } = opts;
  const owner = opts.owner ?? defaultOwner();
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? systemClock;
  const batchHandlers = opts.batchHandlers ?? {};
  const bulkKinds = Object.keys(batchHandlers) as TaskKind[];
  const singleKinds = (Object.keys(handlers) as TaskKind[]).filter((k) => !bulkKinds.includes(k));
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

  /** Records an outcome; a failure to record leaves the lease to expire (every handler is idempotent). */
  async function recordOrLog(task: Task, outcome: TaskOutcome): Promise<void> {
    try {
      await record(task, outcome);
    } catch (e) {
      log(`could not record task ${task.kind} ${task.ref}`, e);
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
    await recordOrLog(task, outcome);
  }

  /** One kind's tasks through its batch handler; the done ones completed in one statement. */
  async function runBatch(kind: TaskKind, tasks: Task[]): Promise<void> {
    let outcomes: TaskOutcome[];
    try {
      outcomes = await batchHandlers[kind]!(tasks);
      if (outcomes.length !== tasks.length)
        throw new Error(`the ${kind} batch answered ${outcomes.length} outcomes for ${tasks.length} tasks`);
    } catch (e) {
      outcomes = tasks.map(() => outcomeOf(e));
    }
    const done = tasks.filter((_, i) => outcomes[i]!.kind === 'done');
    const rest = tasks.flatMap((t, i) =>
      outcomes[i]!.kind === 'done' ? [] : [recordOrLog(t, outcomes[i]!)],
    );
    try {
      if (done.length > 0)
        await store.completeTasks(
          done.map((t) => t.id),
          owner,
          now(),
        );
    } catch (e) {
      log(`could not record ${done.length} ${kind} tasks as done`, e);
    }
    await Promise.all(rest);
  }

  const lease = (kinds: TaskKind[], limit: number) =>
    kinds.length === 0 || limit <= 0
      ? Promise.resolve([])
      : store.leaseTasks({ owner, now: now(), leaseMs: timings.leaseMs, limit, kinds });

  const runSingles = (tasks: Task[]) => Promise.all(tasks.map(run));

  /** Each kind's tasks in batches of at most `bulkBatchSize`, run side by side. */
  async function runBatches(tasks: Task[]): Promise<void> {
    const byKind = new Map<TaskKind, Task[]>();
    for (const t of tasks) {
      const group = byKind.get(t.kind);
      if (group) group.push(t);
      else byKind.set(t.kind, [t]);
    }
    await Promise.all(
      [...byKind].flatMap(([kind, group]) =>
        chunks(group, timings.bulkBatchSize).map((batch) => runBatch(kind, batch)),
      ),
    );
  }

  const fullSpeed = { single: timings.batchSize, bulk: timings.bulkBatchSize * timings.bulkBatchesAtOnce };

  async function runOnce(limits = fullSpeed): Promise<{ ran: number; full: boolean }> {
    // The lanes lease one after the other, then run side by side: a lease's scan holds what it
    // read locked until it commits, and the other lane leasing meanwhile would skip those rows
    // (SKIP LOCKED), get a short lease, and pause for a poll with work due.
    const singles = await lease(singleKinds, limits.single);
    let bulk: Task[] = [];
    let failed: { error: unknown } | undefined;
    try {
      bulk = await lease(bulkKinds, limits.bulk);
    } catch (error) {
      failed = { error }; // the single lane's tasks, leased already, still run now
    }
    // neither rejects: every outcome, even a handler's throw, is recorded or logged
    await Promise.all([runSingles(singles), runBatches(bulk)]);
    if (failed) throw failed.error;
    return {
      ran: singles.length + bulk.length,
      full:
        (singleKinds.length > 0 && singles.length >= limits.single) ||
        (bulkKinds.length > 0 && bulk.length >= limits.bulk),
    };
  }

  const pause = (ms: number) => pauseOn(clock, ms, stopping.signal);

  async function poll(): Promise<void> {
    while (!stopping.signal.aborted) {
      const yielding = opts.yieldTo?.() ?? false;
      const limits = yielding
        ? {
            single: Math.min(YIELD_BATCH, timings.batchSize),
            bulk: Math.min(YIELD_BULK_BATCH, timings.bulkBatchSize),
          }
        : fullSpeed;
      let full = false;
      try {
        full = (await runOnce(limits)).full;
      } catch (e) {
        log('worker poll failed', e);
      }
      // a full lease means more may be due: poll again at once (unless claims come first)
      if (yielding) await pause(Math.min(YIELD_PAUSE_MS, timings.pollMs));
      else if (!full) await pause(timings.pollMs);
    }
  }

  return {
    owner,
    runOnce: async () => (await runOnce()).ran,
    start() {
      loop ??= poll();
    },
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
