import { expect, it } from 'vitest';
import { refundNoFor } from '../../src/domain/order.js';
import { activePacket, c2cInput, sum, tasksWithRef, uids, type StoreHarness } from './contract-fixtures.js';
import { timeWindow } from './settlement-fixtures.js';

export function expiryContract(h: () => StoreHarness): void {
  it('expires an active packet once: refunding, a refund of the remainder to the sender, and its task', async () => {
    const { store } = h();
    const base = timeWindow();
    const packet = await activePacket(store, {
      now: base,
      expiresAt: base + 60_000,
      totalAmount: 1000,
      totalCount: 10,
    });
    const { outcomes } = await store.claimShares(packet.id, ['a', 'b'], base + 1);
    const claimed = sum(outcomes.map((o) => (o.ok ? o.claim.amount : 0)));

    const result = await store.expirePacket(packet.id, base + 60_000);

    const refund = {
      refundNo: refundNoFor(packet.id),
      packetId: packet.id,
      payOrderNo: packet.payOrderNo,
      uid: packet.senderUid,
      amount: 1000 - claimed,
      status: 'pending',
      createdAt: base + 60_000,
      updatedAt: base + 60_000,
    };
    expect(result).toStrictEqual({
      outcome: 'refunding',
      packet: {
        ...packet,
        status: 'refunding',
        remainingAmount: 1000 - claimed,
        remainingCount: 8,
        updatedAt: base + 60_000,
      },
      refund,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual(result.packet);
    expect(await store.getRefund(refund.refundNo)).toStrictEqual(refund);
    expect(await tasksWithRef(store, 'refund', refund.refundNo)).toMatchObject([
      { status: 'pending', dueAt: base + 60_000, attempts: 0 },
    ]);

    const again = await store.expirePacket(packet.id, base + 70_000);
    expect(again).toStrictEqual({ outcome: 'nothing', packet: result.packet, refund: null });
    expect(await store.getRefund(refund.refundNo)).toStrictEqual(refund);
    expect(await tasksWithRef(store, 'refund', refund.refundNo)).toHaveLength(1);
    const late = await store.claimShares(packet.id, ['c'], base + 1);
    expect(late.outcomes).toStrictEqual([{ uid: 'c', ok: false, code: 'PACKET_EXPIRED' }]);
  });

  it('does not expire a packet before expiresAt', async () => {
    const { store } = h();
    const base = timeWindow();
    const packet = await activePacket(store, { now: base, expiresAt: base + 60_000 });
    expect(await store.expirePacket(packet.id, base + 59_999)).toStrictEqual({
      outcome: 'not_due',
      packet,
      refund: null,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual(packet);
    expect(await store.getRefund(refundNoFor(packet.id))).toBeNull();
  });

  it('leaves exhausted, unpaid and unknown packets alone', async () => {
    const { store } = h();
    const base = timeWindow();
    const exhausted = await activePacket(store, {
      now: base,
      expiresAt: base + 10,
      totalAmount: 2,
      totalCount: 2,
    });
    await store.claimShares(exhausted.id, ['a', 'b'], base + 1);
    const { packet: unpaid } = await store.createC2cPacket(c2cInput({ now: base, expiresAt: base + 10 }));
    for (const id of [exhausted.id, unpaid.id]) {
      const before = await store.getPacket(id);
      expect(await store.expirePacket(id, base + 1000)).toMatchObject({ outcome: 'nothing', refund: null });
      expect(await store.getPacket(id)).toStrictEqual(before);
      expect(await store.getRefund(refundNoFor(id))).toBeNull();
    }
    expect(await store.expirePacket('P00NOSUCHPACKET', base)).toStrictEqual({
      outcome: 'nothing',
      packet: null,
      refund: null,
    });
  });

  it('never gives a share after the refund amount was read: 40 claims racing the expiry', async () => {
    const { store } = h();
    const base = timeWindow();
    const expiresAt = base + 10_000;
    const packet = await activePacket(store, { now: base, expiresAt, totalAmount: 5000, totalCount: 50 });
    const claimers = uids(40);
    const claims = claimers.map((uid, i) => () => store.claimShares(packet.id, [uid], expiresAt - 20 + i));
    const expire = () => store.expirePacket(packet.id, expiresAt);
    const results = await Promise.all([...claims.slice(0, 20), expire, ...claims.slice(20)].map((f) => f()));

    const expiry = results[20] as Awaited<ReturnType<typeof expire>>;
    expect(expiry.outcome).toBe('refunding');
    const stored = await store.listClaims(packet.id);
    const refund = await store.getRefund(refundNoFor(packet.id));
    expect(refund?.amount).toBe(expiry.refund?.amount);
    expect(sum(stored.map((c) => c.amount)) + (refund?.amount ?? 0)).toBe(5000);
    expect(stored.every((c) => c.createdAt < expiresAt)).toBe(true);
    expect((await store.getPacket(packet.id))?.remainingAmount).toBe(refund?.amount);
  });
}
