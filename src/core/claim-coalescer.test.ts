import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrderNo, newPacketId } from '../domain/ids.js';
import type { PacketStore } from '../domain/ports.js';
import { createStore } from '../storage/create-store.js';
import { createClaimCoalescer } from './claim-coalescer.js';

describe('the per-packet claim queue (on the real embedded store)', () => {
  let dir: string;
  let store: PacketStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-coalesce-'));
    store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
    await store.migrate();
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function activePacket(totalAmount: number, totalCount: number): Promise<string> {
    const now = Date.now();
    const payOrderNo = newOrderNo('PAY', now);
    const { packet } = await store.createC2cPacket({
      id: newPacketId(0, now),
      senderUid: 'sender',
      outOrderNo: payOrderNo,
      totalAmount,
      totalCount,
      splitMode: 'random',
      greeting: '',
      expiresAt: now + 60_000,
      payOrderNo,
      now,
    });
    await store.markPaid(payOrderNo, totalAmount, `T-${payOrderNo}`, now);
    return packet.id;
  }

  /** The real store, counting the claim transactions it is asked for. */
  function counting() {
    const calls: number[] = [];
    const spy: Pick<PacketStore, 'claimShares'> = {
      claimShares: (packetId, uids, now, random) => {
        calls.push(uids.length);
        return store.claimShares(packetId, uids, now, random);
      },
    };
    return { spy, calls };
  }

  it('coalesces 500 racing claimers into far fewer transactions, and the money still adds up', async () => {
    const id = await activePacket(30_000, 300);
    const { spy, calls } = counting();
    const q = createClaimCoalescer({ store: spy, now: Date.now });
    const results = await Promise.all(Array.from({ length: 500 }, (_, i) => q.claim(id, `u${i}`)));
    const ok = results.filter((r) => r.outcome.ok);
    expect(ok).toHaveLength(300);
    expect(results.filter((r) => !r.outcome.ok && r.outcome.code === 'PACKET_EXHAUSTED')).toHaveLength(200);
    const total = ok.reduce((s, r) => s + (r.outcome.ok ? r.outcome.claim.amount : 0), 0);
    expect(total).toBe(30_000);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(500);
    expect(calls.length).toBeLessThan(50);
    expect(Math.max(...calls)).toBeGreaterThan(1);
    expect(q.activeQueues()).toBe(0);
  });

  it('gives a claimer who asks many times at once one claim', async () => {
    const id = await activePacket(1_000, 10);
    const q = createClaimCoalescer({ store, now: Date.now });
    const results = await Promise.all(Array.from({ length: 30 }, () => q.claim(id, 'same')));
    const claimNos = new Set(results.map((r) => (r.outcome.ok ? r.outcome.claim.claimNo : r.outcome.code)));
    expect(claimNos.size).toBe(1);
    expect((await store.listClaims(id)).length).toBe(1);
  });

  it('caps a batch at maxBatch distinct claimers', async () => {
    const id = await activePacket(10_000, 100);
    const { spy, calls } = counting();
    const q = createClaimCoalescer({ store: spy, now: Date.now, maxBatch: 7 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => q.claim(id, `b${i}`)));
    expect(Math.max(...calls)).toBeLessThanOrEqual(7);
    expect((await store.listClaims(id)).length).toBe(100);
  });

  it('drops idle queues: after claims on 5,000 distinct packets none is left', async () => {
    const q = createClaimCoalescer({ store, now: Date.now });
    const ids = Array.from({ length: 5_000 }, () => newPacketId(0));
    const results = await Promise.all(ids.map((id) => q.claim(id, 'u')));
    expect(results.every((r) => !r.outcome.ok && r.outcome.code === 'PACKET_NOT_FOUND')).toBe(true);
    expect(q.activeQueues()).toBe(0);
  });

  it('fails only the batch a store error hit, and serves later claimers', async () => {
    const id = await activePacket(1_000, 10);
    let failNext = true;
    const flaky: Pick<PacketStore, 'claimShares'> = {
      claimShares: async (...args) => {
        if (failNext) {
          failNext = false;
          throw new Error('connection reset');
        }
        return store.claimShares(...args);
      },
    };
    const q = createClaimCoalescer({ store: flaky, now: Date.now });
    await expect(q.claim(id, 'first')).rejects.toThrow('connection reset');
    const later = await q.claim(id, 'second');
    expect(later.outcome.ok).toBe(true);
    expect(q.activeQueues()).toBe(0);
  });
});
