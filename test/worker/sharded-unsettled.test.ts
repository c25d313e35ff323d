/**
 * The sharded store's unsettled listing, which the sweeper pages through: it merges the shards'
 * pages, and a shard that fails to answer leaves the healthy shards' orders to be swept anyway.
 * (Stand-in shards: only `listUnsettled` is asked; the real shards run in test/shards/.)
 */
import { describe, expect, it } from 'vitest';
import type { PacketStore, Task, UnsettledOrder, UnsettledQuery } from '../../src/domain/ports.js';
import type { Shard } from '../../src/storage/sharded/mysql-shard.js';
import type { ShardFailure } from '../../src/storage/sharded/shard-failures.js';
import type { ShardRouter } from '../../src/storage/sharded/shard-router.js';
import { createShardedSettlement } from '../../src/storage/sharded/sharded-settlement.js';

const task = (id: number, ref: string): Task => ({
  id,
  kind: 'withdrawal',
  ref,
  status: 'pending',
  dueAt: 0,
  attempts: 7,
  lastError: 'still pending at finance',
  leaseOwner: null,
  leaseUntil: null,
  createdAt: 0,
  updatedAt: 0,
});

const order = (ref: string, createdAt: number, taskId: number): UnsettledOrder => ({
  kind: 'withdrawal',
  ref,
  taskRef: ref,
  status: 'pending',
  createdAt,
  task: task(taskId, ref),
});

/** The shard failures the store reported (it logs them in production). */
let reported: ShardFailure[] = [];

function shardsAnswering(...answers: ((q: UnsettledQuery) => Promise<UnsettledOrder[]>)[]): ShardRouter {
  reported = [];
  const shards = answers.map(
    (listUnsettled, index) =>
      ({ index, store: { listUnsettled } as unknown as PacketStore }) as unknown as Shard,
  );
  const onShardFailure = (f: ShardFailure) => reported.push(f);
  return { shards, onShardFailure } as unknown as ShardRouter;
}

const query: UnsettledQuery = { kind: 'withdrawal', createdBefore: 1_000, limit: 3 };
const down = () => Promise.reject(new Error('shard 1: connect ECONNREFUSED'));

describe('the sharded unsettled listing', () => {
  it("merges the shards' pages oldest first, the first `limit`, with shard-global task ids", async () => {
    const store = createShardedSettlement(
      shardsAnswering(
        async () => [order('WDR-a', 10, 1), order('WDR-c', 30, 2)],
        async () => [order('WDR-b', 20, 1), order('WDR-d', 40, 2)],
      ),
    );
    const page = await store.listUnsettled(query);
    expect(page.map((o) => [o.ref, o.task?.id])).toStrictEqual([
      ['WDR-a', 100],
      ['WDR-b', 101],
      ['WDR-c', 200],
    ]);
  });

  it('answers what the healthy shards answered when one shard fails', async () => {
    const store = createShardedSettlement(
      shardsAnswering(
        async () => [order('WDR-a', 10, 1), order('WDR-c', 30, 2)],
        down,
        async () => [order('WDR-e', 50, 3)],
      ),
    );
    const page = await store.listUnsettled(query);
    expect(page.map((o) => [o.ref, o.task?.id])).toStrictEqual([
      ['WDR-a', 100],
      ['WDR-c', 200],
      ['WDR-e', 302],
    ]);
    expect(reported.map((f) => [f.shard, f.operation])).toStrictEqual([[1, 'listUnsettled']]);
  });

  it('fails when no shard answered', async () => {
    const store = createShardedSettlement(shardsAnswering(down, down));
    await expect(store.listUnsettled(query)).rejects.toThrow(/ECONNREFUSED/);
  });
});
