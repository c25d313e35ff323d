/**
 * `claimSharesMany`: claimers of several packets in one transaction (issue 6, cross-packet group
 * commit). Every packet must come out exactly as if it had been claimed alone.
 */
import { expect, it } from 'vitest';
import type { ClaimOutcome, ClaimSharesResult } from '../../src/domain/ports.js';
import { newPacketId } from '../../src/domain/ids.js';
import {
  NOW,
  activePacket,
  c2cInput,
  sum,
  transferTasksOf,
  uids,
  type StoreHarness,
} from './contract-fixtures.js';

const T = NOW + 120_000;

const codes = (outcomes: readonly ClaimOutcome[]) =>
  outcomes.map((o) => (o.ok ? (o.created ? 'claimed' : 'again') : o.code));

const won = (results: readonly ClaimSharesResult[]) =>
  results.flatMap((r) => r.outcomes.flatMap((o) => (o.ok && o.created ? [o.claim] : [])));

export function claimSharesManyContract(h: () => StoreHarness): void {
  it('claims several packets in one call, each packet exact, one transfer task per claim', async () => {
    const { store } = h();
    const a = await activePacket(store, { totalAmount: 1000, totalCount: 3, splitMode: 'fixed' });
    const b = await activePacket(store, { totalAmount: 777, totalCount: 2, splitMode: 'random' });

    const results = await store.claimSharesMany(
      [
        { packetId: a.id, uids: ['x', 'y'] },
        { packetId: b.id, uids: ['x', 'z', 'w'] },
      ],
      T,
    );

    expect(results.map((r) => codes(r.outcomes))).toStrictEqual([
      ['claimed', 'claimed'],
      ['claimed', 'claimed', 'PACKET_EXHAUSTED'],
    ]);
    expect(results[0]?.packet).toStrictEqual({
      ...a,
      remainingAmount: 333,
      remainingCount: 1,
      updatedAt: T,
    });
    expect(results[1]?.packet).toStrictEqual({
      ...b,
      status: 'exhausted',
      remainingAmount: 0,
      remainingCount: 0,
      updatedAt: T,
    });
    expect(await store.getPacket(a.id)).toStrictEqual(results[0]?.packet);
    expect(await store.getPacket(b.id)).toStrictEqual(results[1]?.packet);
    const claimsA = await store.listClaims(a.id);
    const claimsB = await store.listClaims(b.id);
    expect(claimsA.map((c) => [c.uid, c.seq, c.amount])).toStrictEqual([
      ['x', 1, 334],
      ['y', 2, 333],
    ]);
    expect(claimsB.map((c) => [c.uid, c.seq])).toStrictEqual([
      ['x', 1],
      ['z', 2],
    ]);
    expect(sum(claimsB.map((c) => c.amount))).toBe(777);
    expect(claimsB.every((c) => c.amount >= 1)).toBe(true);
    expect((await transferTasksOf(store, a.id)).map((t) => t.ref)).toStrictEqual(
      claimsA.map((c) => c.claimNo),
    );
    expect((await transferTasksOf(store, b.id)).map((t) => t.ref)).toStrictEqual(
      claimsB.map((c) => c.claimNo),
    );
  });

  it('lets an exhausted, expired, unpaid, closed or unknown packet refuse only its own claimers', async () => {
    const { store, forcePacketStatus } = h();
    const live = await activePacket(store, { totalAmount: 500, totalCount: 5 });
    const exhausted = await activePacket(store, { totalAmount: 2, totalCount: 2 });
    await store.claimShares(exhausted.id, ['e1', 'e2'], T);
    const expired = await activePacket(store, { expiresAt: T });
    const unpaid = (await store.createC2cPacket(c2cInput())).packet;
    const closed = await activePacket(store);
    await forcePacketStatus(closed.id, 'closed');
    const unknown = newPacketId(0, NOW);

    const results = await store.claimSharesMany(
      [
        { packetId: exhausted.id, uids: ['m1', 'e1'] },
        { packetId: live.id, uids: ['m1', 'm2'] },
        { packetId: expired.id, uids: ['m1'] },
        { packetId: unpaid.id, uids: ['m1'] },
        { packetId: closed.id, uids: ['m1'] },
        { packetId: unknown, uids: ['m1'] },
      ],
      T,
    );

    expect(results.map((r) => codes(r.outcomes))).toStrictEqual([
      ['PACKET_EXHAUSTED', 'again'],
      ['claimed', 'claimed'],
      ['PACKET_EXPIRED'],
      ['PACKET_NOT_ACTIVE'],
      ['PACKET_NOT_ACTIVE'],
      ['PACKET_NOT_FOUND'],
    ]);
    expect(results[5]?.packet).toBeNull();
    expect(results[2]?.packet).toStrictEqual(expired);
    expect(await store.listClaims(live.id)).toHaveLength(2);
    expect(await store.getPacket(live.id)).toMatchObject({ remainingCount: 3 });
    for (const p of [expired, unpaid, closed]) {
      expect(await store.listClaims(p.id)).toStrictEqual([]);
      expect(await transferTasksOf(store, p.id)).toStrictEqual([]);
    }
    expect(await store.listClaims(exhausted.id)).toHaveLength(2);
    expect(await transferTasksOf(store, exhausted.id)).toHaveLength(2);
  });

  it('gives a uid asked twice for one packet in one group a single claim, answered in both places', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 300, totalCount: 3, splitMode: 'fixed' });

    const results = await store.claimSharesMany(
      [
        { packetId: packet.id, uids: ['d1', 'd2', 'd1'] },
        { packetId: packet.id, uids: ['d2', 'd3'] },
      ],
      T,
    );

    expect(results.map((r) => r.outcomes.map((o) => o.ok && [o.uid, o.claim.seq]))).toStrictEqual([
      [
        ['d1', 1],
        ['d2', 2],
      ],
      [
        ['d2', 2],
        ['d3', 3],
      ],
    ]);
    expect(results[0]?.packet).toStrictEqual(results[1]?.packet);
    expect(results[0]?.packet).toMatchObject({ status: 'exhausted', remainingAmount: 0 });
    expect((await store.listClaims(packet.id)).map((c) => c.uid)).toStrictEqual(['d1', 'd2', 'd3']);
    expect(await transferTasksOf(store, packet.id)).toHaveLength(3);
  });

  it('answers a replayed group with the same claims and writes nothing more', async () => {
    const { store } = h();
    const a = await activePacket(store, { totalAmount: 1000, totalCount: 4 });
    const b = await activePacket(store, { totalAmount: 1000, totalCount: 4 });
    const group = [
      { packetId: a.id, uids: ['r1', 'r2'] },
      { packetId: b.id, uids: ['r1'] },
    ];

    const first = await store.claimSharesMany(group, T);
    const again = await store.claimSharesMany(group, T + 1000);

    expect(again).toStrictEqual(
      first.map((r) => ({
        outcomes: r.outcomes.map((o) => ({ ...o, created: false })),
        packet: r.packet,
      })),
    );
    expect(await store.listClaims(a.id)).toHaveLength(2);
    expect(await store.listClaims(b.id)).toHaveLength(1);
    expect(await transferTasksOf(store, a.id)).toHaveLength(2);
    expect(await store.getPacket(a.id)).toStrictEqual(first[0]?.packet);
  });

  it('answers an empty group with nothing, and a packet asked with no uids as it is', async () => {
    const { store } = h();
    const packet = await activePacket(store);
    expect(await store.claimSharesMany([], T)).toStrictEqual([]);
    expect(await store.claimSharesMany([{ packetId: packet.id, uids: [] }], T)).toStrictEqual([
      { outcomes: [], packet },
    ]);
  });

  it('refuses a group with an over-long uid with VALIDATION_FAILED and writes nothing for any packet', async () => {
    const { store } = h();
    const a = await activePacket(store);
    const b = await activePacket(store);

    await expect(
      store.claimSharesMany(
        [
          { packetId: a.id, uids: ['fine'] },
          { packetId: b.id, uids: ['u'.repeat(65)] },
        ],
        T,
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await store.listClaims(a.id)).toStrictEqual([]);
    expect(await store.listClaims(b.id)).toStrictEqual([]);
  });

  it('keeps money exact when 40 overlapping groups race over 8 packets in every order', async () => {
    const { store } = h();
    const packets = await Promise.all(
      Array.from({ length: 8 }, () => activePacket(store, { totalAmount: 1001, totalCount: 10 })),
    );
    const people = uids(15);
    // each group: 4 packets in a scrambled order (locks must still be taken in id order), 3 uids each
    const groups = Array.from({ length: 40 }, (_, g) =>
      [0, 3, 5, 6].map((k) => ({
        packetId: packets[(g * 5 + k * 3) % 8]!.id,
        uids: [0, 1, 2].map((i) => people[(g * 7 + i * 4 + k) % 15]!),
      })),
    );

    const results = await Promise.all(groups.map((group) => store.claimSharesMany(group, T)));

    expect(won(results.flat())).toHaveLength(80);
    for (const p of packets) {
      const listed = await store.listClaims(p.id);
      expect(listed).toHaveLength(10);
      expect(new Set(listed.map((c) => c.uid)).size).toBe(10);
      expect(listed.map((c) => c.seq)).toStrictEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect(sum(listed.map((c) => c.amount))).toBe(1001);
      expect(listed.every((c) => Number.isSafeInteger(c.amount) && c.amount >= 1)).toBe(true);
      expect(await transferTasksOf(store, p.id)).toHaveLength(10);
      expect(await store.getPacket(p.id)).toMatchObject({ status: 'exhausted', remainingAmount: 0 });
    }
  });
}
