/** Issue 6: where the sharded store puts rows, how it names tasks, and what it refuses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrderNo, newPacketId } from '../../src/domain/ids.js';
import type { Packet } from '../../src/domain/packet.js';
import { createStore } from '../../src/storage/create-store.js';
import { shardOfPacketNo } from '../../src/storage/sharded/shard-routing.js';
import { NOW, activePacket, c2cInput, unique } from '../contract/contract-fixtures.js';
import { codeOf } from '../contract/subsidy-fixtures.js';
import { mysqlAvailable } from '../support/services.js';
import { openShardedTestStore, uidOn, type ShardedTestStore } from './shard-support.js';

describe.skipIf(!(await mysqlAvailable()))('sharded store placement (2 shards)', () => {
  let s: ShardedTestStore;
  beforeAll(async () => {
    s = await openShardedTestStore(2, 'place');
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('puts each sender packet, payment, claims and tasks in the database its id names, the sender shard', async () => {
    const senders = [uidOn(0, 2, 'alice'), uidOn(1, 2, 'bob')];
    for (const [shard, senderUid] of senders.entries()) {
      expect(s.store.packetShard?.(senderUid)).toBe(shard);
      const id = newPacketId(shard, NOW);
      const packet = await activePacket(s.store, { senderUid, id });
      await s.store.claimShares(packet.id, ['c1', 'c2'], NOW + 1);

      expect(shardOfPacketNo(packet.id, 2)).toBe(shard);
      expect(await s.shardsWith('SELECT 1 FROM packets WHERE id = ?', [packet.id])).toStrictEqual([shard]);
      expect(
        await s.shardsWith('SELECT 1 FROM payment_orders WHERE packet_id = ?', [packet.id]),
      ).toStrictEqual([shard]);
      expect(await s.shardsWith('SELECT 1 FROM claims WHERE packet_id = ?', [packet.id])).toStrictEqual([
        shard,
      ]);
      expect(await s.shardsWith('SELECT 1 FROM tasks WHERE ref LIKE ?', [`${packet.id}-%`])).toStrictEqual([
        shard,
      ]);
      expect(await s.store.getPayment(packet.payOrderNo ?? '')).toMatchObject({ status: 'paid' });
    }
  });

  it('keeps a user balance and withdrawals on the uid shard', async () => {
    const uid = uidOn(1, 2, 'holder');
    await s.raws[1]!.query(
      'INSERT INTO subsidy_balances (uid, available, held, updated_at) VALUES (?, 500, 0, 1)',
      [uid],
    );
    const w = await s.store.createWithdrawal({
      withdrawalNo: newOrderNo('WDR', NOW),
      uid,
      outOrderNo: unique('w'),
      amount: 200,
      now: NOW,
      dueAt: NOW + 1000,
    });
    expect(w.balance).toMatchObject({ available: 300, held: 200 });
    expect(await s.shardsWith('SELECT 1 FROM withdrawals WHERE uid = ?', [uid])).toStrictEqual([1]);
    expect(
      await s.shardsWith('SELECT 1 FROM tasks WHERE ref = ?', [w.withdrawal.withdrawalNo]),
    ).toStrictEqual([1]);
    // a withdrawal number carries no shard: found by asking every shard
    expect(await s.store.getWithdrawal(w.withdrawal.withdrawalNo)).toStrictEqual(w.withdrawal);
    expect((await s.store.getTask('withdrawal', w.withdrawal.withdrawalNo))?.ref).toBe(
      w.withdrawal.withdrawalNo,
    );
    const settled = await s.store.settleWithdrawal(w.withdrawal.withdrawalNo, 'succeeded', 'TXN', NOW + 1);
    expect(settled.changed).toBe(true);
    expect(await s.store.getSubsidyBalance(uid)).toMatchObject({ available: 300, held: 0 });
  });

  it('hands out task ids that never collide across shards and finish the right task', async () => {
    const packets: Packet[] = [];
    for (const shard of [0, 1]) {
      const senderUid = uidOn(shard, 2, 'tasks');
      packets.push(await activePacket(s.store, { senderUid, id: newPacketId(shard, NOW) }));
    }
    // both databases count their own AUTO_INCREMENT from 1: local ids repeat
    const local = await Promise.all([0, 1].map((i) => s.rows(i, 'SELECT id FROM tasks ORDER BY id')));
    expect(local[0]!.map((r) => r['id'])).toContain(1);
    expect(local[1]!.map((r) => r['id'])).toContain(1);

    const tasks = await s.store.listTasks();
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    expect(tasks.length).toBe(local[0]!.length + local[1]!.length);
    const expiry = tasks.find((t) => t.kind === 'expire' && t.ref === packets[1]!.id)!;
    const leased = await s.store.leaseTasks({
      owner: 'w',
      now: packets[1]!.expiresAt,
      leaseMs: 60_000,
      limit: 100,
    });
    expect(leased.map((t) => t.id)).toContain(expiry.id);
    expect(new Set(leased.map((t) => t.id)).size).toBe(leased.length);
    expect(await s.store.completeTask(expiry.id, 'w', NOW + 2)).toBe(true);
    expect(await s.store.getTask('expire', packets[1]!.id)).toMatchObject({ id: expiry.id, status: 'done' });
    // the same local id on the other shard is untouched
    expect((await s.store.getTask('expire', packets[0]!.id))?.status).toBe('pending');
    expect(await s.store.completeTask(expiry.id + 50, 'w', NOW + 3)).toBe(false);
  });

  it('claims a group spanning both shards with one transaction per shard, answers in request order', async () => {
    const [p0, p1] = [
      await activePacket(s.store, { senderUid: uidOn(0, 2, 'grp'), id: newPacketId(0, NOW) }),
      await activePacket(s.store, { senderUid: uidOn(1, 2, 'grp'), id: newPacketId(1, NOW) }),
    ];
    let decided = 0;
    const results = await s.store.claimSharesMany(
      [
        { packetId: p1.id, uids: ['a', 'b'] },
        { packetId: p0.id, uids: ['c'] },
        { packetId: newPacketId(1, NOW), uids: ['d'] },
      ],
      NOW + 1,
      undefined,
      () => decided++,
    );
    // issue 25: decided once, when both shards' transactions are
    expect(decided).toBe(1);
    expect(results.map((r) => r.packet?.id ?? null)).toStrictEqual([p1.id, p0.id, null]);
    expect(results.map((r) => r.outcomes.map((o) => o.ok))).toStrictEqual([[true, true], [true], [false]]);
    expect(await s.shardsWith('SELECT 1 FROM claims WHERE packet_id = ?', [p1.id])).toStrictEqual([1]);
    expect(await s.shardsWith('SELECT 1 FROM claims WHERE packet_id = ?', [p0.id])).toStrictEqual([0]);
  });

  it('refuses a packet whose id names another shard than its sender, and writes nothing', async () => {
    const senderUid = uidOn(0, 2, 'wrong');
    const input = c2cInput({ senderUid, id: newPacketId(1, NOW) });
    expect(await codeOf(s.store.createC2cPacket(input))).toBe('INTERNAL');
    expect(await s.shardsWith('SELECT 1 FROM packets WHERE id = ?', [input.id])).toStrictEqual([]);
    expect(await s.store.getPacket(newPacketId(7, NOW))).toBeNull(); // a shard this store does not have
  });

  it('refuses to open the store when the URL list changed order, or names one database twice', async () => {
    const swapped = createStore({ kind: 'mysql', urls: [s.dbs[1]!.url, s.dbs[0]!.url] });
    expect(await codeOf(swapped)).toBe('USAGE');
    expect(await codeOf(createStore({ kind: 'mysql', urls: [s.dbs[0]!.url, s.dbs[0]!.url] }))).toBe('USAGE');
  });
});
