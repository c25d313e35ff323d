import { expect, it } from 'vitest';
import { tasksWithRef, unique, type StoreHarness } from './contract-fixtures.js';
import { dueTasks, idsOf, timeWindow } from './settlement-fixtures.js';

export function leasesContract(h: () => StoreHarness): void {
  it('leases each due task to exactly one of five workers polling at once', async () => {
    const { store } = h();
    const base = timeWindow();
    const created = await dueTasks(store, 30, base);

    const leased = await Promise.all(
      ['w1', 'w2', 'w3', 'w4', 'w5'].map((owner) =>
        store.leaseTasks({ owner, now: base + 10, leaseMs: 60_000, limit: 10 }),
      ),
    );

    const all = leased.flat();
    expect(idsOf(all)).toStrictEqual(idsOf(created));
    expect(new Set(all.map((t) => t.id)).size).toBe(30);
    for (const [i, tasks] of leased.entries()) {
      for (const t of tasks) {
        expect(t).toMatchObject({ leaseOwner: `w${i + 1}`, leaseUntil: base + 60_010, attempts: 1 });
        expect(await store.getTask(t.kind, t.ref)).toStrictEqual(t);
      }
    }
  });

  it('leases nothing early or held, takes an expired lease over, and lets only the holder finish', async () => {
    const { store } = h();
    const base = timeWindow();
    const [task] = await dueTasks(store, 1, base + 1000);
    const lease = (owner: string, now: number) => store.leaseTasks({ owner, now, leaseMs: 500, limit: 5 });

    expect(await lease('A', base + 999)).toStrictEqual([]);
    expect(idsOf(await lease('A', base + 1000))).toStrictEqual([task!.id]);
    expect(await lease('B', base + 1499)).toStrictEqual([]);
    const takenOver = await lease('B', base + 1500);
    expect(takenOver).toMatchObject([{ id: task!.id, leaseOwner: 'B', attempts: 2 }]);

    expect(await store.completeTask(task!.id, 'A', base + 1600)).toBe(false);
    expect((await store.getTask(task!.kind, task!.ref))?.status).toBe('pending');
    expect(await store.completeTask(task!.id, 'B', base + 1600)).toBe(true);
    expect(await store.getTask(task!.kind, task!.ref)).toMatchObject({
      status: 'done',
      leaseOwner: null,
      leaseUntil: null,
      attempts: 2,
      updatedAt: base + 1600,
    });
    expect(await lease('C', base + 99_000)).toStrictEqual([]);
  });

  it('leases only the kinds a worker asks for', async () => {
    const { store } = h();
    const base = timeWindow();
    const [refund] = await dueTasks(store, 1, base, 'refund');
    await dueTasks(store, 1, base, 'expire');

    expect(
      await store.leaseTasks({ owner: 'w', now: base, leaseMs: 100, limit: 10, kinds: [] }),
    ).toStrictEqual([]);
    const leased = await store.leaseTasks({
      owner: 'w',
      now: base,
      leaseMs: 100,
      limit: 10,
      kinds: ['refund'],
    });
    expect(leased.map((t) => t.ref)).toStrictEqual([refund!.ref]);
  });

  it('reschedules a task: pending, due later, the error kept, the lease released; only by its holder', async () => {
    const { store } = h();
    const base = timeWindow();
    const [task] = await dueTasks(store, 1, base);
    await store.leaseTasks({ owner: 'A', now: base, leaseMs: 60_000, limit: 1 });
    const retry = { dueAt: base + 5000, error: 'DEPENDENCY_FAILED: finance is down', now: base + 10 };

    expect(await store.rescheduleTask(task!.id, 'B', retry)).toBe(false);
    expect(await store.rescheduleTask(task!.id, 'A', retry)).toBe(true);

    expect(await store.getTask(task!.kind, task!.ref)).toStrictEqual({
      ...task,
      status: 'pending',
      dueAt: base + 5000,
      attempts: 1,
      lastError: 'DEPENDENCY_FAILED: finance is down',
      leaseOwner: null,
      leaseUntil: null,
      updatedAt: base + 10,
    });
    expect(await store.leaseTasks({ owner: 'B', now: base + 4999, leaseMs: 10, limit: 1 })).toStrictEqual([]);
    const again = await store.leaseTasks({ owner: 'B', now: base + 5000, leaseMs: 10, limit: 1 });
    expect(again).toMatchObject([{ id: task!.id, attempts: 2, leaseOwner: 'B' }]);
  });

  it('kills a task: dead with its reason, never leased again, and ensureTask leaves it dead', async () => {
    const { store } = h();
    const base = timeWindow();
    const [task] = await dueTasks(store, 1, base);
    await store.leaseTasks({ owner: 'A', now: base, leaseMs: 60_000, limit: 1 });

    expect(await store.killTask(task!.id, 'B', 'nope', base + 1)).toBe(false);
    expect(await store.killTask(task!.id, 'A', 'IDEMPOTENCY_CONFLICT: amounts differ', base + 1)).toBe(true);

    expect(await store.getTask(task!.kind, task!.ref)).toMatchObject({
      status: 'dead',
      lastError: 'IDEMPOTENCY_CONFLICT: amounts differ',
      leaseOwner: null,
    });
    expect(await store.leaseTasks({ owner: 'A', now: base + 999_999, leaseMs: 10, limit: 5 })).toStrictEqual(
      [],
    );
    const ensured = await store.ensureTask({
      kind: task!.kind,
      ref: task!.ref,
      dueAt: base + 2,
      now: base + 2,
    });
    expect(ensured).toMatchObject({ changed: false, task: { status: 'dead' } });
  });

  it('ensures a task once however many ask at once, and revives a done one', async () => {
    const { store } = h();
    const base = timeWindow();
    const ref = unique('ensure');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.ensureTask({ kind: 'refund', ref, dueAt: base, now: base })),
    );
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect(await tasksWithRef(store, 'refund', ref)).toHaveLength(1);
    const pending = await store.ensureTask({ kind: 'refund', ref, dueAt: base + 50, now: base + 50 });
    expect(pending).toMatchObject({ changed: false, task: { status: 'pending', dueAt: base } });

    const [leased] = await store.leaseTasks({
      owner: 'A',
      now: base,
      leaseMs: 10,
      limit: 1,
      kinds: ['refund'],
    });
    expect(leased?.ref).toBe(ref);
    await store.completeTask(leased!.id, 'A', base + 1);
    const revived = await store.ensureTask({ kind: 'refund', ref, dueAt: base + 100, now: base + 100 });
    expect(revived).toMatchObject({
      changed: true,
      task: { status: 'pending', dueAt: base + 100, attempts: 1 },
    });
  });
}
