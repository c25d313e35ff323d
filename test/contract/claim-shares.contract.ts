import { describe, expect, it } from 'vitest';
import type { ClaimOutcome } from '../../src/domain/ports.js';
import type { PacketStatus } from '../../src/domain/packet.js';
import type { SplitMode } from '../../src/domain/split.js';
import {
  NOW,
  activePacket,
  c2cInput,
  sum,
  transferTasksOf,
  uids,
  unique,
  type StoreHarness,
} from './contract-fixtures.js';

const T = NOW + 120_000;

const failures = (outcomes: readonly ClaimOutcome[]) =>
  outcomes.flatMap((o) => (o.ok ? [] : [{ uid: o.uid, code: o.code }]));

export function claimSharesContract(h: () => StoreHarness): void {
  it('refuses claims on an unpaid packet with PACKET_NOT_ACTIVE and writes nothing', async () => {
    const { store } = h();
    const { packet } = await store.createC2cPacket(c2cInput());

    const result = await store.claimShares(packet.id, ['u1', 'u2'], T);

    expect(result).toStrictEqual({
      outcomes: [
        { uid: 'u1', ok: false, code: 'PACKET_NOT_ACTIVE' },
        { uid: 'u2', ok: false, code: 'PACKET_NOT_ACTIVE' },
      ],
      packet,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual(packet);
    expect(await store.listClaims(packet.id)).toStrictEqual([]);
    expect(await transferTasksOf(store, packet.id)).toStrictEqual([]);
  });

  it('refuses claims on a closed packet with PACKET_NOT_ACTIVE', async () => {
    const { store, forcePacketStatus } = h();
    const { packet } = await store.createC2cPacket(c2cInput());
    await forcePacketStatus(packet.id, 'closed');

    const result = await store.claimShares(packet.id, ['u1'], T);

    expect(failures(result.outcomes)).toStrictEqual([{ uid: 'u1', code: 'PACKET_NOT_ACTIVE' }]);
    expect(await store.listClaims(packet.id)).toStrictEqual([]);
  });

  it('answers PACKET_NOT_FOUND, and no packet, for an unknown packet', async () => {
    const { store } = h();
    const result = await store.claimShares('P00NOSUCHPACKET', ['u1', 'u2', 'u1'], T);
    expect(result).toStrictEqual({
      outcomes: [
        { uid: 'u1', ok: false, code: 'PACKET_NOT_FOUND' },
        { uid: 'u2', ok: false, code: 'PACKET_NOT_FOUND' },
      ],
      packet: null,
    });
  });

  it('answers an empty list of claimers with no outcomes and the packet as it is', async () => {
    const { store } = h();
    const packet = await activePacket(store);
    expect(await store.claimShares(packet.id, [], T)).toStrictEqual({ outcomes: [], packet });
  });

  it('gives a claimer the next share, its seq and claim number, and a transfer task due now', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 1000, totalCount: 3, splitMode: 'fixed' });

    const result = await store.claimShares(packet.id, ['alice'], T);

    const claim = {
      claimNo: `${packet.id}-1`,
      packetId: packet.id,
      uid: 'alice',
      seq: 1,
      amount: 334,
      status: 'claimed',
      createdAt: T,
      updatedAt: T,
    };
    const after = { ...packet, remainingAmount: 666, remainingCount: 2, updatedAt: T };
    expect(result).toStrictEqual({
      outcomes: [{ uid: 'alice', ok: true, claim, created: true }],
      packet: after,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual(after);
    expect(await store.getClaim(packet.id, 'alice')).toStrictEqual(claim);
    expect(await transferTasksOf(store, packet.id)).toStrictEqual([
      {
        id: expect.any(Number),
        kind: 'transfer',
        ref: claim.claimNo,
        status: 'pending',
        dueAt: T,
        attempts: 0,
        lastError: null,
        leaseOwner: null,
        leaseUntil: null,
        createdAt: T,
        updatedAt: T,
      },
    ]);
  });

  it('gives a uid that already claimed the same claim back and writes nothing', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 1000, totalCount: 5 });
    const first = await store.claimShares(packet.id, ['bob'], T);

    const again = await store.claimShares(packet.id, ['bob'], T + 1000);

    const claim = first.outcomes[0]?.ok ? first.outcomes[0].claim : undefined;
    expect(claim).toBeDefined();
    expect(again).toStrictEqual({
      outcomes: [{ uid: 'bob', ok: true, claim, created: false }],
      packet: first.packet,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual(first.packet);
    expect(await store.listClaims(packet.id)).toStrictEqual([claim]);
    expect(await transferTasksOf(store, packet.id)).toHaveLength(1);
  });

  describe.each<[SplitMode, number]>([
    ['random', 10_000],
    ['fixed', 10_050],
  ])('a 100-share %s packet of %i fen under 200 concurrent claimers', (splitMode, totalAmount) => {
    it('hands out exactly 100 shares that sum to the total, one per uid, and refuses the other 100', async () => {
      const { store } = h();
      const packet = await activePacket(store, { totalAmount, totalCount: 100, splitMode });
      const claimers = uids(200);

      const results = await Promise.all(claimers.map((uid) => store.claimShares(packet.id, [uid], T)));

      const outcomes = results.map((r) => {
        expect(r.outcomes).toHaveLength(1);
        return r.outcomes[0];
      });
      const won = outcomes.flatMap((o) => (o?.ok && o.created ? [o.claim] : []));
      const lost = outcomes.flatMap((o) => (o && !o.ok ? [o.code] : []));
      expect(won).toHaveLength(100);
      expect(lost).toStrictEqual(Array(100).fill('PACKET_EXHAUSTED'));
      expect(sum(won.map((c) => c.amount))).toBe(totalAmount);
      expect(won.every((c) => Number.isSafeInteger(c.amount) && c.amount >= 1)).toBe(true);
      if (splitMode === 'fixed') expect(new Set(won.map((c) => c.amount))).toStrictEqual(new Set([100, 101]));

      const listed = await store.listClaims(packet.id);
      expect(listed.map((c) => c.seq)).toStrictEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(new Set(listed.map((c) => c.uid)).size).toBe(100);
      expect(sum(listed.map((c) => c.amount))).toBe(totalAmount);
      expect(new Set(listed.map((c) => c.claimNo))).toStrictEqual(new Set(won.map((c) => c.claimNo)));

      const transfers = await transferTasksOf(store, packet.id);
      expect(transfers).toHaveLength(100);
      expect(new Set(transfers.map((t) => t.ref))).toStrictEqual(new Set(listed.map((c) => c.claimNo)));

      expect(await store.getPacket(packet.id)).toMatchObject({
        status: 'exhausted',
        remainingAmount: 0,
        remainingCount: 0,
      });
    });
  });

  it('keeps 10 packets apart when their claimers all arrive at once', async () => {
    const { store } = h();
    const packets = await Promise.all(
      Array.from({ length: 10 }, () => activePacket(store, { totalAmount: 2000, totalCount: 20 })),
    );
    const calls = packets.flatMap((p) => uids(30).map((uid) => ({ packetId: p.id, uid })));
    // interleave the packets, as a festival's traffic would
    calls.sort((a, b) => a.uid.localeCompare(b.uid));

    const results = await Promise.all(calls.map((c) => store.claimShares(c.packetId, [c.uid], T)));

    expect(results.filter((r) => r.outcomes[0]?.ok)).toHaveLength(200);
    for (const p of packets) {
      const listed = await store.listClaims(p.id);
      expect(listed).toHaveLength(20);
      expect(sum(listed.map((c) => c.amount))).toBe(2000);
      expect(await store.getPacket(p.id)).toMatchObject({ status: 'exhausted', remainingAmount: 0 });
    }
  });

  it('answers a batch once per distinct uid in the order asked, sharing out what is left', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 500, totalCount: 5, splitMode: 'fixed' });
    const earlier = await store.claimShares(packet.id, ['a'], T);

    const result = await store.claimShares(packet.id, ['b', 'a', 'c', 'b', 'd', 'e', 'f', 'a', 'g'], T + 1);

    expect(
      result.outcomes.map((o) => (o.ok ? [o.uid, o.claim.seq, o.claim.amount, o.created] : [o.uid, o.code])),
    ).toStrictEqual([
      ['b', 2, 100, true],
      ['a', 1, 100, false],
      ['c', 3, 100, true],
      ['d', 4, 100, true],
      ['e', 5, 100, true],
      ['f', 'PACKET_EXHAUSTED'],
      ['g', 'PACKET_EXHAUSTED'],
    ]);
    expect(result.outcomes[1]).toStrictEqual(
      earlier.outcomes[0] && { ...earlier.outcomes[0], created: false },
    );
    const after = { ...packet, status: 'exhausted', remainingAmount: 0, remainingCount: 0, updatedAt: T + 1 };
    expect(result.packet).toStrictEqual(after);
    expect(await store.getPacket(packet.id)).toStrictEqual(after);
    const listed = await store.listClaims(packet.id);
    expect(listed.map((c) => c.uid)).toStrictEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await transferTasksOf(store, packet.id)).toHaveLength(5);
  });

  it('claims a batch larger than one insert statement, and answers it again with the same claims', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 110_000, totalCount: 1100, splitMode: 'fixed' });
    const asked = uids(1200);

    const first = await store.claimShares(packet.id, asked, T);
    const again = await store.claimShares(packet.id, asked, T + 1);

    const claimed = first.outcomes.flatMap((o) => (o.ok && o.created ? [o.claim] : []));
    expect(claimed.map((c) => c.seq)).toStrictEqual(Array.from({ length: 1100 }, (_, i) => i + 1));
    expect(failures(first.outcomes)).toStrictEqual(
      asked.slice(1100).map((uid) => ({ uid, code: 'PACKET_EXHAUSTED' })),
    );
    expect(again.outcomes.slice(0, 1100)).toStrictEqual(
      claimed.map((claim) => ({ uid: claim.uid, ok: true, claim, created: false })),
    );
    expect(await store.getPacket(packet.id)).toMatchObject({ status: 'exhausted', remainingAmount: 0 });
    expect(await transferTasksOf(store, packet.id)).toHaveLength(1100);
  });

  it('draws random shares from the random source it is given', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 1000, totalCount: 4, splitMode: 'random' });

    const result = await store.claimShares(packet.id, ['w', 'x', 'y', 'z'], T, () => 0);

    expect(result.outcomes.map((o) => (o.ok ? o.claim.amount : o.code))).toStrictEqual([1, 1, 1, 997]);
  });

  it('splits a fixed packet evenly, the remainder 1 fen at a time to the first claimers', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 1000, totalCount: 3, splitMode: 'fixed' });

    for (const uid of ['p', 'q', 'r']) await store.claimShares(packet.id, [uid], T);

    const listed = await store.listClaims(packet.id);
    expect(listed.map((c) => [c.seq, c.uid, c.amount])).toStrictEqual([
      [1, 'p', 334],
      [2, 'q', 333],
      [3, 'r', 333],
    ]);
  });

  it('answers PACKET_EXPIRED from expiresAt on without touching the packet, and still returns earlier claims', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 1000, totalCount: 5 });
    const before = await store.claimShares(packet.id, ['early'], T);

    const late = await store.claimShares(packet.id, ['early', 'late'], packet.expiresAt);

    expect(late.outcomes[0]).toMatchObject({ uid: 'early', ok: true, created: false });
    expect(failures(late.outcomes)).toStrictEqual([{ uid: 'late', code: 'PACKET_EXPIRED' }]);
    expect(late.packet).toStrictEqual(before.packet);
    expect(await store.getPacket(packet.id)).toStrictEqual(before.packet);
    expect(await store.listClaims(packet.id)).toHaveLength(1);
    expect(await transferTasksOf(store, packet.id)).toHaveLength(1);
  });

  it.each<PacketStatus>(['expired', 'refunding', 'refunded'])(
    'answers PACKET_EXPIRED for a %s packet and writes nothing',
    async (status) => {
      const { store, forcePacketStatus } = h();
      const packet = await activePacket(store);
      await forcePacketStatus(packet.id, status);

      const result = await store.claimShares(packet.id, [unique('u')], T);

      expect(failures(result.outcomes).map((f) => f.code)).toStrictEqual(['PACKET_EXPIRED']);
      expect(result.packet).toStrictEqual({ ...packet, status });
      expect(await store.listClaims(packet.id)).toStrictEqual([]);
    },
  );

  it('answers PACKET_EXHAUSTED for an exhausted packet, whoever asks', async () => {
    const { store } = h();
    const packet = await activePacket(store, { totalAmount: 2, totalCount: 2 });
    await store.claimShares(packet.id, ['one', 'two'], T);

    const result = await store.claimShares(packet.id, ['three'], T);

    expect(failures(result.outcomes)).toStrictEqual([{ uid: 'three', code: 'PACKET_EXHAUSTED' }]);
    expect(result.packet?.status).toBe('exhausted');
  });

  it('finds a claim by uid and answers null for a uid that did not claim', async () => {
    const { store } = h();
    const packet = await activePacket(store);
    await store.claimShares(packet.id, ['found'], T);

    expect(await store.getClaim(packet.id, 'found')).toMatchObject({ uid: 'found', seq: 1 });
    expect(await store.getClaim(packet.id, 'missing')).toBeNull();
  });

  it('refuses an over-long uid with VALIDATION_FAILED and writes nothing', async () => {
    const { store } = h();
    const packet = await activePacket(store);

    await expect(store.claimShares(packet.id, ['ok', 'u'.repeat(65)], T)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await store.listClaims(packet.id)).toStrictEqual([]);
  });
}
