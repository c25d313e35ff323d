import { describe, expect, it } from 'vitest';
import { RedpktError } from '../domain/errors.js';
import type { Task } from '../domain/ports.js';
import {
  createWorker,
  type WorkerOptions,
  YIELD_BATCH,
  YIELD_BULK_BATCH,
  YIELD_PAUSE_MS,
} from './create-worker.js';

const task = (id: number, kind: Task['kind'], attempts = 1): Task => ({
  id,
  kind,
  ref: `ref-${id}`,
  status: 'pending',
  dueAt: 0,
  attempts,
  lastError: null,
  leaseOwner: 'w',
  leaseUntil: 1000,
  createdAt: 0,
  updatedAt: 0,
});

/** A store stand-in that hands out each of the given tasks once and records how each ended. */
function fakeStore(tasks: Task[]) {
  const ended: string[] = [];
  const leased = new Set<number>();
  const store: WorkerOptions['store'] = {
    async leaseTasks(req) {
      const due = tasks.filter((t) => !leased.has(t.id) && (req.kinds?.includes(t.kind) ?? true));
      for (const t of due) leased.add(t.id);
      return due;
    },
    async completeTask(id) {
      ended.push(`${id}:done`);
      return true;
    },
    async completeTasks(ids) {
      ended.push(`${ids.join('+')}:done together`);
      return ids.length;
    },
    async rescheduleTask(id, _owner, { dueAt, error }) {
      ended.push(`${id}:retry@${dueAt}:${error}`);
      return true;
    },
    async killTask(id, _owner, error) {
      ended.push(`${id}:dead:${error}`);
      return true;
    },
  };
  return { store, ended };
}

const timings = {
  pollMs: 10,
  leaseMs: 1000,
  batchSize: 10,
  bulkBatchSize: 50,
  bulkBatchesAtOnce: 2,
  retryBaseMs: 100,
  retryMaxMs: 1000,
};

describe('the outbox worker', () => {
  it('records each task as its handler ended it: done, retried with backoff or at a time, dead', async () => {
    const { store, ended } = fakeStore([
      task(1, 'transfer'),
      task(2, 'refund', 3),
      task(3, 'expire'),
      task(4, 'payment_recheck'),
      task(5, 'transfer'),
    ]);
    const worker = createWorker({
      store,
      timings,
      now: () => 5000,
      random: () => 0.999999,
      log: () => {},
      owner: 'w',
      handlers: {
        transfer: async (t) => {
          if (t.id === 5) throw new RedpktError('IDEMPOTENCY_CONFLICT', 'amounts differ');
          return { kind: 'done' };
        },
        refund: async () => {
          throw new RedpktError('DEPENDENCY_FAILED', 'finance is down');
        },
        expire: async () => ({ kind: 'retry', reason: 'not yet', at: 9000 }),
        payment_recheck: async () => ({ kind: 'dead', reason: 'no such order' }),
      },
    });

    expect(await worker.runOnce()).toBe(5);

    expect(ended.sort()).toStrictEqual([
      '1:done',
      '2:retry@5400:DEPENDENCY_FAILED: finance is down', // attempt 3: 100 * 2^2
      '3:retry@9000:not yet',
      '4:dead:no such order',
      '5:dead:IDEMPOTENCY_CONFLICT: amounts differ',
    ]);
  });

  it('leases only the kinds it has handlers for', async () => {
    const { store, ended } = fakeStore([task(1, 'transfer'), task(2, 'refund')]);
    const worker = createWorker({
      store,
      timings,
      now: () => 0,
      log: () => {},
      handlers: { refund: async () => ({ kind: 'done' }) },
    });
    expect(await worker.runOnce()).toBe(1);
    expect(ended).toStrictEqual(['2:done']);
  });

  it('stops polling promptly and waits for the tasks in hand', async () => {
    const { store, ended } = fakeStore([task(1, 'transfer')]);
    let release: () => void = () => {};
    const worker = createWorker({
      store,
      timings: { ...timings, pollMs: 60_000 },
      now: () => 0,
      log: () => {},
      handlers: { transfer: () => new Promise((r) => (release = () => r({ kind: 'done' }))) },
    });
    worker.start();
    await new Promise((r) => setTimeout(r, 20));
    const stopped = worker.stop();
    release();
    await stopped;
    expect(ended).toStrictEqual(['1:done']);
  });

  it('yields while the claim path is busy (a few tasks a poll, then a pause) and runs full batches again after', async () => {
    const limits: number[] = [];
    let due = 100;
    const store: WorkerOptions['store'] = {
      async leaseTasks(req) {
        limits.push(req.limit);
        const n = Math.min(req.limit, due);
        due -= n;
        return Array.from({ length: n }, (_, i) => task(1000 - due - i, 'transfer'));
      },
      completeTask: async () => true,
      completeTasks: async (ids) => ids.length,
      rescheduleTask: async () => true,
      killTask: async () => true,
    };
    let busy = true;
    const worker = createWorker({
      store,
      timings: { ...timings, pollMs: 1_000 },
      now: () => 0,
      log: () => {},
      handlers: { transfer: async () => ({ kind: 'done' }) },
      yieldTo: () => busy,
    });
    worker.start();
    await new Promise((r) => setTimeout(r, 250));
    // busy: at most YIELD_BATCH tasks a poll, a pause of YIELD_PAUSE_MS between polls
    const whileBusy = limits.length;
    expect(limits.every((l) => l === YIELD_BATCH)).toBe(true);
    expect(whileBusy).toBeGreaterThanOrEqual(1);
    expect(whileBusy).toBeLessThanOrEqual(Math.ceil(250 / YIELD_PAUSE_MS) + 1);
    busy = false;
    await new Promise((r) => setTimeout(r, 250));
    await worker.stop();
    // not busy: full batches back to back until the backlog is gone
    expect(limits.slice(whileBusy).some((l) => l === timings.batchSize)).toBe(true);
    expect(due).toBe(0);
  });

  it('hands a batched kind to its batch handler at once: done ones completed together, the rest one by one', async () => {
    const { store, ended } = fakeStore([
      task(1, 'transfer'),
      task(2, 'refund'),
      task(3, 'transfer', 2),
      task(4, 'transfer'),
      task(5, 'transfer'),
    ]);
    const batches: number[][] = [];
    const worker = createWorker({
      store,
      timings,
      now: () => 5000,
      random: () => 0.999999,
      log: () => {},
      owner: 'w',
      handlers: {
        refund: async () => ({ kind: 'done' }),
        transfer: async () => ({ kind: 'dead', reason: 'not me' }),
      },
      batchHandlers: {
        transfer: async (tasks) => {
          batches.push(tasks.map((t) => t.id));
          return tasks.map((t) =>
            t.id === 3
              ? { kind: 'retry', reason: 'finance pending' }
              : t.id === 5
                ? { kind: 'dead', reason: 'conflict' }
                : { kind: 'done' },
          );
        },
      },
    });
    expect(await worker.runOnce()).toBe(5);
    expect(batches).toStrictEqual([[1, 3, 4, 5]]);
    expect(ended.sort()).toStrictEqual([
      '1+4:done together',
      '2:done',
      '3:retry@5200:finance pending', // attempt 2: 100 * 2^1
      '5:dead:conflict',
    ]);
  });

  it('ends every task of a batch that threw, or answered a wrong number of outcomes, as its error says', async () => {
    for (const [answer, expected] of [
      [
        async () => {
          throw new RedpktError('DEPENDENCY_FAILED', 'finance is down');
        },
        [
          '1:retry@5100:DEPENDENCY_FAILED: finance is down',
          '2:retry@5100:DEPENDENCY_FAILED: finance is down',
        ],
      ],
      [
        async () => [{ kind: 'done' as const }],
        [
          '1:retry@5100:the transfer batch answered 1 outcomes for 2 tasks',
          '2:retry@5100:the transfer batch answered 1 outcomes for 2 tasks',
        ],
      ],
    ] as const) {
      const { store, ended } = fakeStore([task(1, 'transfer'), task(2, 'transfer')]);
      const worker = createWorker({
        store,
        timings,
        now: () => 5000,
        random: () => 0.999999,
        log: () => {},
        handlers: {},
        batchHandlers: { transfer: answer },
      });
      expect(await worker.runOnce()).toBe(2);
      expect(ended.sort()).toStrictEqual(expected);
    }
  });

  it('while yielding leases a batched kind YIELD_BULK_BATCH at a time, and bulkBatchesAtOnce batches after', async () => {
    const limits: string[] = [];
    let due = 300;
    const store: WorkerOptions['store'] = {
      async leaseTasks(req) {
        limits.push(`${req.kinds?.join(',')}:${req.limit}`);
        const n = Math.min(req.limit, due);
        due -= n;
        return Array.from({ length: n }, (_, i) => task(1000 - due - i, 'transfer'));
      },
      completeTask: async () => true,
      completeTasks: async (ids) => ids.length,
      rescheduleTask: async () => true,
      killTask: async () => true,
    };
    let busy = true;
    const worker = createWorker({
      store,
      timings: { ...timings, pollMs: 1_000 },
      now: () => 0,
      log: () => {},
      handlers: {},
      batchHandlers: { transfer: async (tasks) => tasks.map(() => ({ kind: 'done' as const })) },
      yieldTo: () => busy,
    });
    worker.start();
    await new Promise((r) => setTimeout(r, 150));
    const whileBusy = limits.length;
    expect(whileBusy).toBeGreaterThanOrEqual(1);
    expect(new Set(limits)).toStrictEqual(new Set([`transfer:${YIELD_BULK_BATCH}`]));
    busy = false;
    await new Promise((r) => setTimeout(r, 150));
    await worker.stop();
    expect(limits.slice(whileBusy)).toContain(
      `transfer:${timings.bulkBatchSize * timings.bulkBatchesAtOnce}`,
    );
    expect(due).toBe(0);
  });

  it('leases its lanes one after the other, then runs a full bulk lease as batches side by side', async () => {
    const events: string[] = [];
    const tasks = [
      task(1, 'refund'),
      ...Array.from({ length: timings.bulkBatchSize * 2 }, (_, i) => task(100 + i, 'transfer')),
    ];
    const { store: inner } = fakeStore(tasks);
    const store: WorkerOptions['store'] = {
      ...inner,
      async leaseTasks(req) {
        events.push(`lease ${req.kinds?.join(',')} begins`);
        await new Promise((r) => setTimeout(r, 5));
        const leased = await inner.leaseTasks(req);
        events.push(`lease ${req.kinds?.join(',')} ends`);
        return leased;
      },
    };
    let inFlight = 0;
    let most = 0;
    const worker = createWorker({
      store,
      timings,
      now: () => 0,
      log: () => {},
      handlers: { refund: async () => ({ kind: 'done' }) },
      batchHandlers: {
        transfer: async (batch) => {
          most = Math.max(most, ++inFlight);
          events.push(`batch of ${batch.length}`);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          return batch.map(() => ({ kind: 'done' as const }));
        },
      },
    });
    expect(await worker.runOnce()).toBe(1 + timings.bulkBatchSize * 2);
    expect(events).toStrictEqual([
      'lease refund begins',
      'lease refund ends',
      'lease transfer begins',
      'lease transfer ends',
      `batch of ${timings.bulkBatchSize}`,
      `batch of ${timings.bulkBatchSize}`,
    ]);
    expect(most).toBe(2);
  });
});
