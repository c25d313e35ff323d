import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newOrderNo, newPacketId } from '../domain/ids.js';
import type { PacketStore } from '../domain/ports.js';
import { createStore } from '../storage/create-store.js';
import { createClaimCoalescer, createClaims } from './claim-coalescer.js';

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

  /**
   * The real store, recording every claim transaction it is asked for: its claimers, its packets,
   * and how many transactions (and which packets) were in flight at once.
   */
  function counting() {
    const calls: number[] = [];
    const packetsPerCall: number[] = [];
    const inFlight = new Set<string>();
    let running = 0;
    const seen = { maxRunning: 0, packetInTwoAtOnce: false };
    const spy: Pick<PacketStore, 'claimSharesMany'> = {
      claimSharesMany: async (requests, now, random) => {
        calls.push(requests.reduce((n, r) => n + r.uids.length, 0));
        packetsPerCall.push(requests.length);
        running++;
        seen.maxRunning = Math.max(seen.maxRunning, running);
        for (const r of requests) {
          if (inFlight.has(r.packetId)) seen.packetInTwoAtOnce = true;
          inFlight.add(r.packetId);
        }
        try {
          return await store.claimSharesMany(requests, now, random);
        } finally {
          running--;
          for (const r of requests) inFlight.delete(r.packetId);
        }
      },
    };
    return { spy, calls, packetsPerCall, seen };
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

  it('counts the claimers waiting for an answer, and none once all are answered (also on a store error)', async () => {
    const id = await activePacket(1_000, 10);
    const q = createClaimCoalescer({ store, now: Date.now });
    const pending = Array.from({ length: 40 }, (_, i) => q.claim(id, `f${i}`));
    expect(q.claimsInFlight()).toBe(40);
    await Promise.all(pending);
    expect(q.claimsInFlight()).toBe(0);

    const failing = createClaimCoalescer({
      store: { claimSharesMany: () => Promise.reject(new Error('database down')) },
      now: Date.now,
    });
    const refused = Array.from({ length: 5 }, (_, i) => failing.claim(id, `e${i}`));
    expect(failing.claimsInFlight()).toBe(5);
    await Promise.allSettled(refused);
    expect(failing.claimsInFlight()).toBe(0);
  });

  it('gives a claimer who asks many times at once one claim', async () => {
    const id = await activePacket(1_000, 10);
    const q = createClaimCoalescer({ store, now: Date.now });
    const results = await Promise.all(Array.from({ length: 30 }, () => q.claim(id, 'same')));
    const claimNos = new Set(results.map((r) => (r.outcome.ok ? r.outcome.claim.claimNo : r.outcome.code)));
    expect(claimNos.size).toBe(1);
    expect((await store.listClaims(id)).length).toBe(1);
  });

  it('starts the next transaction of a packet before answering the claimers of the last one', async () => {
    const id = await activePacket(1_000, 10);
    const events: string[] = [];
    let calls = 0;
    const q = createClaimCoalescer({
      store: {
        claimSharesMany: async (requests, now, random) => {
          const call = ++calls;
          // as mysql2 does: a free pool connection is handed over in process.nextTick, and only
          // then does the transaction's first statement go out
          await new Promise((resolve) => process.nextTick(resolve));
          events.push(`tx${call} sends`);
          const result = await store.claimSharesMany(requests, now, random);
          events.push(`tx${call} ends`);
          return result;
        },
      },
      now: Date.now,
    });
    // the first claimer starts a transaction alone; the next three wait and go in the second
    const first = q.claim(id, 'o0').then(() => events.push('o0 answered'));
    const rest = [1, 2, 3].map((i) => q.claim(id, `o${i}`).then(() => events.push(`o${i} answered`)));
    await Promise.all([first, ...rest]);
    expect(events.slice(0, 3)).toEqual(['tx1 sends', 'tx1 ends', 'tx2 sends']);
    expect(events.indexOf('tx2 sends')).toBeLessThan(events.indexOf('o0 answered'));
    expect(events.filter((e) => e.endsWith('answered'))).toHaveLength(4);
    expect((await store.listClaims(id)).length).toBe(4);
  });

  it("starts a packet's next transaction once the last one is decided, and answers nobody before its commit", async () => {
    const id = await activePacket(1_000, 10);
    const events: string[] = [];
    let calls = 0;
    let commitFirst!: () => void;
    const firstCommitted = new Promise<void>((resolve) => (commitFirst = resolve));
    const q = createClaimCoalescer({
      store: {
        claimSharesMany: async (requests, now, random, onDecided) => {
          const call = ++calls;
          events.push(`tx${call} sends ${requests.flatMap((r) => r.uids).join(',')}`);
          const result = await store.claimSharesMany(requests, now, random, () => {
            events.push(`tx${call} decided`);
            onDecided?.();
          });
          // the first transaction's COMMIT round trip is still out when the second one starts
          if (call === 1) await firstCommitted;
          events.push(`tx${call} ends`);
          return result;
        },
      },
      now: Date.now,
    });
    const first = q.claim(id, 'p0').then((r) => (events.push('p0 answered'), r));
    // these three wait for the first transaction, and go in the next one
    const rest = [1, 2, 3].map((i) => q.claim(id, `p${i}`).then((r) => (events.push(`p${i} answered`), r)));
    await vi.waitFor(() => expect(events).toContain('tx2 sends p1,p2,p3'), { timeout: 10_000 });
    expect(events.slice(0, 3)).toEqual(['tx1 sends p0', 'tx1 decided', 'tx2 sends p1,p2,p3']);
    // nobody of the first transaction hears anything until it has ended
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).not.toContain('p0 answered');
    commitFirst();
    const results = await Promise.all([first, ...rest]);
    expect(events.indexOf('p0 answered')).toBeGreaterThan(events.indexOf('tx1 ends'));
    expect(results.every((r) => r.outcome.ok)).toBe(true);
    expect((await store.listClaims(id)).map((c) => c.uid).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(q.activeQueues()).toBe(0);
    expect(q.claimsInFlight()).toBe(0);
  });

  /**
   * A queue of 4 groups over the real store whose first `held` groups are each held (in the
   * database, say) until `letGo(i)`; `sent` lists each group's packets as the store was asked for them.
   */
  function groupsHeld(maxWaitMs: number, held = 1) {
    const sent: string[][] = [];
    const opens: Array<() => void> = [];
    const gates = Array.from({ length: held }, () => new Promise<void>((open) => opens.push(open)));
    const q = createClaimCoalescer({
      store: {
        claimSharesMany: async (requests, now, random, onDecided) => {
          sent.push(requests.map((r) => r.packetId));
          await gates[sent.length - 1];
          return store.claimSharesMany(requests, now, random, onDecided);
        },
      },
      now: Date.now,
      maxGroups: 4,
      maxWaitMs,
    });
    return { q, sent, letGo: (i: number) => opens[i]!() };
  }

  it('starts no group of one beside a running group: who arrives meanwhile goes in the next group together', async () => {
    const [a, b, c] = [await activePacket(100, 1), await activePacket(100, 1), await activePacket(100, 1)];
    const { q, sent, letGo } = groupsHeld(60_000);
    const first = q.claim(a!, 'u1');
    // nothing runs: the first claimer's group starts at once
    expect(sent).toEqual([[a]]);
    const later = [q.claim(b!, 'u2'), q.claim(c!, 'u3')];
    // three slots are free, but the two wait for the running group instead of taking one each
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toEqual([[a]]);
    letGo(0);
    const results = await Promise.all([first, ...later]);
    expect(sent).toEqual([[a], [b, c]]);
    expect(results.every((r) => r.outcome.ok)).toBe(true);
    expect(q.claimsInFlight()).toBe(0);
    expect(q.activeQueues()).toBe(0);
  });

  it('lets a claimer start a group of their own after maxWaitMs when the running group is stuck', async () => {
    const [a, b] = [await activePacket(100, 1), await activePacket(100, 1)];
    const { q, sent, letGo } = groupsHeld(20);
    const first = q.claim(a!, 'u1');
    // the other packet's claimer is served while the first group is still stuck
    const other = await q.claim(b!, 'u2');
    expect(other.outcome.ok).toBe(true);
    expect(sent).toEqual([[a], [b]]);
    letGo(0);
    expect((await first).outcome.ok).toBe(true);
    expect(q.claimsInFlight()).toBe(0);
  });

  it('counts maxWaitMs from the last time the waiters were taken, not from the first arrival', async () => {
    const ids = [await activePacket(100, 1), await activePacket(100, 1), await activePacket(100, 1)];
    const [a, b, c] = ids as [string, string, string];
    const { q, sent, letGo } = groupsHeld(300, 2);
    const at = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const claims = [q.claim(a, 'u1'), q.claim(b, 'u2')]; // b waits: its fallback is due in 300 ms
    letGo(0); // a's group is decided: b's group starts now (and is held)
    const cArrives = at(200).then(() => claims.push(q.claim(c, 'u3')));
    await at(400); // b's fallback would have been due by now; c's is due 300 ms after c came
    await cArrives;
    // c waits for b's group instead of starting a group of one in a free slot
    expect(sent).toEqual([[a], [b]]);
    letGo(1);
    const results = await Promise.all(claims);
    expect(sent).toEqual([[a], [b], [c]]);
    expect(results.every((r) => r.outcome.ok)).toBe(true);
  });

  it('fails the claimers of a store answer it cannot read, and goes on serving', async () => {
    const id = await activePacket(1_000, 10);
    let calls = 0;
    const q = createClaimCoalescer({
      store: {
        // the first answer has neither outcomes nor an error
        claimSharesMany: async (requests, now, random) =>
          ++calls === 1 ? ([{}] as never) : store.claimSharesMany(requests, now, random),
      },
      now: Date.now,
    });
    await expect(q.claim(id, 'm1')).rejects.toThrow();
    expect(q.claimsInFlight()).toBe(0);
    expect((await q.claim(id, 'm2')).outcome.ok).toBe(true);
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

  it('serves claimers of 120 packets arriving together in a few shared transactions, each packet exact', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push(await activePacket(300, 3));
    const { spy, calls, packetsPerCall, seen } = counting();
    const q = createClaimCoalescer({ store: spy, now: Date.now, maxBatch: 100, maxGroups: 2 });

    const results = await Promise.all(ids.flatMap((id) => [0, 1, 2, 3].map((i) => q.claim(id, `g${i}`))));

    expect(results.filter((r) => r.outcome.ok)).toHaveLength(360);
    expect(results.filter((r) => !r.outcome.ok && r.outcome.code === 'PACKET_EXHAUSTED')).toHaveLength(120);
    for (const id of ids) {
      const listed = await store.listClaims(id);
      expect(listed.map((c) => c.uid).sort()).toStrictEqual(['g0', 'g1', 'g2']);
      expect(listed.reduce((s, c) => s + c.amount, 0)).toBe(300);
    }
    expect(calls.reduce((a, b) => a + b, 0)).toBe(480);
    expect(calls.length).toBeLessThan(25);
    expect(Math.max(...calls)).toBeLessThanOrEqual(100);
    expect(Math.max(...packetsPerCall)).toBeGreaterThan(10);
    expect(seen.maxRunning).toBe(2);
    expect(seen.packetInTwoAtOnce).toBe(false);
    expect(q.activeQueues()).toBe(0);
  });

  it('keeps each packet in its own transaction on the per-packet path (before group commit)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await activePacket(200, 2));
    const { spy, packetsPerCall, seen } = counting();
    const q = createClaims('coalesce-per-packet', {
      store: { ...spy, claimShares: () => Promise.reject(new Error('not on this path')) },
      now: Date.now,
    });

    const results = await Promise.all(ids.flatMap((id) => [q.claim(id, 'p0'), q.claim(id, 'p1')]));

    expect(results.every((r) => r.outcome.ok)).toBe(true);
    expect(new Set(packetsPerCall)).toStrictEqual(new Set([1]));
    expect(seen.maxRunning).toBeGreaterThan(4);
    expect(seen.packetInTwoAtOnce).toBe(false);
  });

  it('answers each packet of a shared transaction for itself: a missing packet refuses only its claimers', async () => {
    const live = await activePacket(200, 2);
    const missing = newPacketId(0);
    const { spy, packetsPerCall } = counting();
    const q = createClaimCoalescer({ store: spy, now: Date.now, maxGroups: 1 });

    const [first, ...rest] = await Promise.all([
      q.claim(live, 'm0'),
      q.claim(missing, 'm1'),
      q.claim(live, 'm2'),
      q.claim(missing, 'm3'),
    ]);

    expect(packetsPerCall).toStrictEqual([1, 2]);
    expect(first?.outcome.ok).toBe(true);
    expect(rest.map((r) => (r.outcome.ok ? r.packet?.remainingCount : r.outcome.code))).toStrictEqual([
      'PACKET_NOT_FOUND',
      0,
      'PACKET_NOT_FOUND',
    ]);
  });

  it('fails only the claimers of a packet whose transaction failed when the others of the group committed', async () => {
    const healthy = await activePacket(300, 3);
    const broken = await activePacket(300, 3);
    const down = Object.assign(new Error('shard 2 is down'), { code: 'DEPENDENCY_FAILED' });
    let failBroken = true;
    let calls = 0;
    // a sharded store: the broken packet's shard failed, the healthy packet's shard committed
    const sharded: Pick<PacketStore, 'claimSharesMany'> = {
      claimSharesMany: async (requests, now, random) => {
        calls++;
        const served = requests.filter((r) => !(failBroken && r.packetId === broken));
        const answers = await store.claimSharesMany(served, now, random);
        return requests.map((r) =>
          failBroken && r.packetId === broken
            ? { outcomes: [], packet: null, error: down }
            : answers[served.indexOf(r)]!,
        );
      },
    };
    const q = createClaimCoalescer({ store: sharded, now: Date.now, maxGroups: 1 });

    const first = q.claim(healthy, 'h0'); // takes the only group; the next four share the next one
    const rest = [
      q.claim(healthy, 'h1'),
      q.claim(broken, 'b0'),
      q.claim(broken, 'b1'),
      q.claim(healthy, 'h2'),
    ];
    const settled = await Promise.allSettled([first, ...rest]);

    expect(calls).toBe(2);
    expect(
      settled.map((r) => (r.status === 'fulfilled' ? r.value.outcome.ok : (r.reason as Error).message)),
    ).toStrictEqual([true, true, 'shard 2 is down', 'shard 2 is down', true]);
    expect((await store.listClaims(healthy)).map((c) => c.uid)).toStrictEqual(['h0', 'h1', 'h2']);
    expect(await store.listClaims(broken)).toStrictEqual([]);
    expect(q.claimsInFlight()).toBe(0);
    expect(q.activeQueues()).toBe(0);

    // the failed packet's next claimers get a transaction of their own, as after any failure
    failBroken = false;
    expect((await q.claim(broken, 'b2')).outcome.ok).toBe(true);
    expect(q.activeQueues()).toBe(0);
  });

  it('fails only the group a store error hit, and serves later claimers of the same packets', async () => {
    const id = await activePacket(1_000, 10);
    let failNext = true;
    const flaky: Pick<PacketStore, 'claimSharesMany'> = {
      claimSharesMany: async (...args) => {
        if (failNext) {
          failNext = false;
          throw new Error('connection reset');
        }
        return store.claimSharesMany(...args);
      },
    };
    const q = createClaimCoalescer({ store: flaky, now: Date.now });
    await expect(q.claim(id, 'first')).rejects.toThrow('connection reset');
    const later = await q.claim(id, 'second');
    expect(later.outcome.ok).toBe(true);
    expect(await store.listClaims(id)).toHaveLength(1);
    expect(q.activeQueues()).toBe(0);
  });
});
