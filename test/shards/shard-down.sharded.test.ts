/**
 * Issue 6 (review): one shard down must not fail what the healthy shards can do. Shard 1's
 * server sits behind a TCP proxy; the proxy is stopped after the packets are made, so every pooled
 * connection to shard 1 is cut and every new one refused, as when its server crashes.
 */
import mysql from 'mysql2/promise';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaimCoalescer } from '../../src/core/claim-coalescer.js';
import { newOrderNo, newPacketId } from '../../src/domain/ids.js';
import type { Packet } from '../../src/domain/packet.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { openMysqlShard, type Shard } from '../../src/storage/sharded/mysql-shard.js';
import type { ShardFailure } from '../../src/storage/sharded/shard-failures.js';
import { createShardedStore } from '../../src/storage/sharded/sharded-store.js';
import { NOW, activePacket, c2cInput } from '../contract/contract-fixtures.js';
import { codeOf } from '../contract/subsidy-fixtures.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';
import { uidOn } from './shard-support.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const codeOfError = (e: unknown): string | undefined => (e as { code?: string } | undefined)?.code;

describe.skipIf(!(await mysqlAvailable()))('sharded store with shard 2 of 2 down', () => {
  let dbs: TestMysql[] = [];
  let proxy: TcpProxy;
  let shards: Shard[] = [];
  let store: PacketStore;
  let raw0: Connection;
  const failures: ShardFailure[] = [];
  /** Active packets on shard 0 and shard 1, made while both were up. */
  let p0: Packet;
  let p0b: Packet;
  let p1: Packet;
  /** An unpaid packet on shard 0 whose payment no lookup has seen yet (nothing remembered). */
  let unpaid0: { packetId: string; payOrderNo: string };

  beforeAll(async () => {
    dbs = await Promise.all([createTestMysql('down0'), createTestMysql('down1')]);
    const target = new URL(dbs[1]!.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 3306));
    shards = [await openMysqlShard(0, dbs[0]!.url), await openMysqlShard(1, proxy.via(dbs[1]!.url))];
    store = createShardedStore(shards, Date.now, { onShardFailure: (f) => failures.push(f) });
    await store.migrate();
    raw0 = await mysql.createConnection({ uri: dbs[0]!.url });

    p0 = await activePacket(store, { senderUid: uidOn(0, 2, 'a'), id: newPacketId(0, NOW) });
    p0b = await activePacket(store, { senderUid: uidOn(0, 2, 'b'), id: newPacketId(0, NOW) });
    p1 = await activePacket(store, { senderUid: uidOn(1, 2, 'c'), id: newPacketId(1, NOW) });
    const input = c2cInput({
      senderUid: uidOn(0, 2, 'd'),
      id: newPacketId(0, NOW),
      payOrderNo: newOrderNo('PAY', NOW),
    });
    await store.createC2cPacket(input);
    unpaid0 = { packetId: input.id, payOrderNo: input.payOrderNo };

    await proxy.stop();
  });

  afterAll(async () => {
    await raw0?.end();
    await store?.close();
    await proxy?.stop();
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('answers the claimers of a healthy shard whose transaction committed, and fails only the down shard', async () => {
    let decided = 0;
    const results = await store.claimSharesMany(
      [
        { packetId: p1.id, uids: ['x1', 'x2'] },
        { packetId: p0.id, uids: ['y1'] },
      ],
      NOW + 1,
      undefined,
      () => decided++,
    );
    // issue 25: a shard that failed never decided, so the group is never said to be decided
    expect(decided).toBe(0);

    expect(codeOfError(results[0]?.error)).toBe('DEPENDENCY_FAILED');
    expect(results[0]?.outcomes).toStrictEqual([]);
    expect(results[1]?.error).toBeUndefined();
    expect(results[1]?.outcomes.map((o) => o.ok)).toStrictEqual([true]);
    const [claims] = await raw0.query<RowDataPacket[]>('SELECT uid FROM claims WHERE packet_id = ?', [p0.id]);
    expect(claims.map((r) => r['uid'])).toStrictEqual(['y1']);
    expect(failures.some((f) => f.shard === 1 && f.operation === 'claimSharesMany')).toBe(true);
  });

  it('gives claimers queued together on both shards their own answers through the coalescer', async () => {
    const q = createClaimCoalescer({ store, now: () => NOW + 2, maxGroups: 1 });
    // the first claim takes the only group; the next two wait and share the next transaction
    const first = q.claim(p0b.id, 'q0');
    const healthy = q.claim(p0b.id, 'q1');
    const down = q.claim(p1.id, 'q2');

    expect((await first).outcome.ok).toBe(true);
    expect((await healthy).outcome.ok).toBe(true);
    expect(await codeOf(down)).toBe('DEPENDENCY_FAILED');
    expect(q.claimsInFlight()).toBe(0);
    expect(q.activeQueues()).toBe(0);
    const [claims] = await raw0.query<RowDataPacket[]>(
      'SELECT uid FROM claims WHERE packet_id = ? ORDER BY seq',
      [p0b.id],
    );
    expect(claims.map((r) => r['uid'])).toStrictEqual(['q0', 'q1']);
  });

  it('finds and settles a payment on a healthy shard', async () => {
    expect(await store.getPayment(unpaid0.payOrderNo)).toMatchObject({ status: 'pending' });
    const paid = await store.markPaid(unpaid0.payOrderNo, 1000, 'TXN-down', NOW + 3);
    expect(paid).toMatchObject({ changed: true, packet: { id: unpaid0.packetId, status: 'active' } });
    // an order nobody has: it may be on the shard that did not answer, so no "not found"
    expect(await codeOf(store.getPayment(newOrderNo('PAY', NOW)))).toBe('DEPENDENCY_FAILED');
  });

  it('leases the healthy shard tasks, fills the down shard share from them, and settles one', async () => {
    const due = (
      await raw0.query<RowDataPacket[]>("SELECT id FROM tasks WHERE status = 'pending' AND due_at <= ?", [
        p0.expiresAt,
      ])
    )[0].length;
    expect(due).toBeGreaterThanOrEqual(2);

    // limit 2 over 2 shards: one each; shard 2's share is taken from shard 1 in the second round
    const two = await store.leaseTasks({ owner: 'w1', now: p0.expiresAt, leaseMs: 60_000, limit: 2 });
    expect(two).toHaveLength(2);
    const rest = await store.leaseTasks({ owner: 'w1', now: p0.expiresAt, leaseMs: 60_000, limit: 100 });
    expect(two.length + rest.length).toBe(due);
    expect(failures.some((f) => f.shard === 1 && f.operation === 'leaseTasks')).toBe(true);

    const transfer = [...two, ...rest].find((t) => t.kind === 'transfer' && t.ref.startsWith(`${p0.id}-`));
    expect(transfer).toBeDefined();
    const claim = await store.advanceClaim(transfer!.ref, 'transferred', p0.expiresAt);
    expect(claim.value.status).toBe('transferred');
    expect(await store.completeTask(transfer!.id, 'w1', p0.expiresAt)).toBe(true);
    expect(await store.getTask('transfer', transfer!.ref)).toMatchObject({ status: 'done' });
  });

  it('refuses a full task list without the down shard rather than answer part of it', async () => {
    expect(await codeOf(store.listTasks())).toBe('DEPENDENCY_FAILED');
  });
});
