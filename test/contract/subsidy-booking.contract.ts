import { expect, it } from 'vitest';
import { HOUR, NOW, packetIdFor, tasksWithRef, unique, type StoreHarness } from './contract-fixtures.js';
import { b2cInput, codeOf, grantOf } from './subsidy-fixtures.js';

export function subsidyBookingContract(h: () => StoreHarness): void {
  it('books new grants once: a replayed batch books nothing again', async () => {
    const { store } = h();
    const campaign = unique('camp');
    const grants = [grantOf({ campaign }), grantOf({ campaign, amount: 1 }), grantOf({ campaign })];

    const first = await store.bookSubsidies(grants, NOW);
    const again = await store.bookSubsidies([...grants].reverse(), NOW + 1000);

    expect(first.map((r) => r.outcome)).toStrictEqual(['booked', 'booked', 'booked']);
    expect(again.map((r) => [r.outGrantNo, r.outcome])).toStrictEqual(
      [...grants].reverse().map((g) => [g.outGrantNo, 'duplicate']),
    );
    expect(await store.countSubsidies(campaign)).toStrictEqual({ count: 3, amount: 888 + 1 + 888 });
    const [g0] = grants;
    expect(await store.getSubsidy(g0!.tokenId)).toStrictEqual({
      ...g0,
      status: 'available',
      packetId: null,
      bookedAt: NOW,
      updatedAt: NOW,
    });
  });

  it('refuses a grant replayed under another uid or token as a conflict, and writes nothing of it', async () => {
    const { store } = h();
    const campaign = unique('camp');
    const grant = grantOf({ campaign });
    await store.bookSubsidies([grant], NOW);
    const otherUid = { ...grant, tokenId: unique('tok'), uid: unique('thief') };
    const otherToken = { ...grant, tokenId: unique('tok') };
    const reusedToken = grantOf({ campaign, tokenId: grant.tokenId });

    const results = await store.bookSubsidies([otherUid, otherToken, reusedToken], NOW);

    expect(results.map((r) => r.outcome)).toStrictEqual(['conflict', 'conflict', 'conflict']);
    expect(await store.getSubsidy(otherUid.tokenId)).toBeNull();
    expect(await store.getSubsidy(otherToken.tokenId)).toBeNull();
    expect(await store.listSubsidies(otherUid.uid)).toStrictEqual([]);
    expect(await store.countSubsidies(campaign)).toStrictEqual({ count: 1, amount: grant.amount });
  });

  it('answers repeats inside one batch from the first occurrence', async () => {
    const { store } = h();
    const grant = grantOf();
    const twin = { ...grant, uid: unique('thief') };
    const results = await store.bookSubsidies([grant, { ...grant }, twin], NOW);
    expect(results.map((r) => r.outcome)).toStrictEqual(['booked', 'duplicate', 'conflict']);
    expect((await store.listSubsidies(grant.uid)).map((s) => s.tokenId)).toStrictEqual([grant.tokenId]);
  });

  it('books a grant the queue has not, spends it and creates an active packet with its expiry task', async () => {
    const { store } = h();
    const grant = grantOf({ amount: 888 });
    const input = b2cInput(grant, { totalCount: 8, splitMode: 'fixed' });

    const result = await store.createB2cPacket(input);

    const packet = {
      id: input.id,
      type: 'b2c',
      senderUid: grant.uid,
      outOrderNo: input.outOrderNo,
      totalAmount: 888,
      totalCount: 8,
      remainingAmount: 888,
      remainingCount: 8,
      splitMode: 'fixed',
      status: 'active',
      greeting: input.greeting,
      payOrderNo: null,
      expiresAt: input.expiresAt,
      createdAt: NOW,
      updatedAt: NOW,
    };
    const subsidy = { ...grant, status: 'used', packetId: input.id, bookedAt: NOW, updatedAt: NOW };
    expect(result).toStrictEqual({ packet, subsidy, created: true });
    expect(await store.getPacket(input.id)).toStrictEqual(packet);
    expect(await store.getSubsidy(grant.tokenId)).toStrictEqual(subsidy);
    const expiry = await tasksWithRef(store, 'expire', input.id);
    expect(expiry.map((t) => [t.status, t.dueAt])).toStrictEqual([['pending', input.expiresAt]]);
    // the queue's message arriving later books nothing twice
    expect((await store.bookSubsidies([grant], NOW + 5)).map((r) => r.outcome)).toStrictEqual(['duplicate']);
  });

  it('returns the same packet for a replayed order, even after the token expired', async () => {
    const { store } = h();
    const grant = grantOf();
    await store.bookSubsidies([grant], NOW - 1000);
    const input = b2cInput(grant);
    const created = await store.createB2cPacket(input);

    const late = grant.expiresAt + HOUR;
    // a retry computes its expiry afresh from its own now and the same lifetime
    const replay = await store.createB2cPacket({
      ...input,
      id: packetIdFor(input.senderUid, late),
      now: late,
      expiresAt: input.expiresAt + (late - input.now),
    });

    expect(replay).toStrictEqual({ ...created, created: false });
    expect(await codeOf(store.createB2cPacket({ ...input, totalCount: 5 }))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await codeOf(store.createB2cPacket({ ...input, expiresAt: input.expiresAt + 1000 }))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
    const otherGrant = grantOf({ uid: grant.uid, amount: grant.amount });
    expect(await codeOf(store.createB2cPacket({ ...input, grant: otherGrant }))).toBe('IDEMPOTENCY_CONFLICT');
    expect(await store.getSubsidy(otherGrant.tokenId)).toBeNull();
  });

  it('spends one subsidy on one packet: another order gets SUBSIDY_USED', async () => {
    const { store } = h();
    const grant = grantOf();
    await store.createB2cPacket(b2cInput(grant));
    const second = b2cInput(grant);
    expect(await codeOf(store.createB2cPacket(second))).toBe('SUBSIDY_USED');
    expect(await store.getPacket(second.id)).toBeNull();
  });

  it('refuses an expired token with SUBSIDY_EXPIRED and writes nothing', async () => {
    const { store } = h();
    const grant = grantOf({ expiresAt: NOW });
    const input = b2cInput(grant);
    expect(await codeOf(store.createB2cPacket(input))).toBe('SUBSIDY_EXPIRED');
    expect(await store.getPacket(input.id)).toBeNull();
    expect(await store.getSubsidy(grant.tokenId)).toBeNull();
  });

  it('refuses a grant booked for another uid with SUBSIDY_CONFLICT', async () => {
    const { store } = h();
    const grant = grantOf();
    await store.bookSubsidies([grant], NOW);
    const thief = { ...grant, tokenId: unique('tok'), uid: unique('thief') };
    const input = b2cInput(thief);
    expect(await codeOf(store.createB2cPacket(input))).toBe('SUBSIDY_CONFLICT');
    expect(await store.getPacket(input.id)).toBeNull();
  });

  it('creates exactly one packet from 40 racing orders spending one token, the rest SUBSIDY_USED', async () => {
    const { store } = h();
    const grant = grantOf();
    const inputs = Array.from({ length: 40 }, () => b2cInput(grant));
    const settled = await Promise.allSettled(inputs.map((i) => store.createB2cPacket(i)));
    const created = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const codes = settled.flatMap((s) =>
      s.status === 'rejected' ? [(s.reason as { code?: string }).code] : [],
    );
    expect(created).toHaveLength(1);
    expect(codes).toStrictEqual(Array(39).fill('SUBSIDY_USED'));
    expect((await store.getSubsidy(grant.tokenId))?.packetId).toBe(created[0]?.packet.id);
    const packets = await Promise.all(inputs.map((i) => store.getPacket(i.id)));
    expect(packets.filter((p) => p !== null)).toHaveLength(1);
  });

  it('refuses keys that do not fit the columns with VALIDATION_FAILED', async () => {
    const { store } = h();
    const long = 'x'.repeat(65);
    expect(await codeOf(store.bookSubsidies([grantOf({ outGrantNo: long })], NOW))).toBe('VALIDATION_FAILED');
    expect(await codeOf(store.createB2cPacket(b2cInput(grantOf(), { outOrderNo: long })))).toBe(
      'VALIDATION_FAILED',
    );
  });
}
