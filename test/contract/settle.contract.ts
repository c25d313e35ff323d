import { expect, it } from 'vitest';
import { refundNoFor } from '../../src/domain/order.js';
import { activePacket, c2cInput, type StoreHarness } from './contract-fixtures.js';
import { timeWindow } from './settlement-fixtures.js';

export function settleContract(h: () => StoreHarness): void {
  async function claimOf(base: number) {
    const { store } = h();
    const packet = await activePacket(store, { now: base, expiresAt: base + 60_000 });
    const { outcomes } = await store.claimShares(packet.id, ['alice'], base + 1);
    const outcome = outcomes[0];
    if (!outcome?.ok) throw new Error('claim failed');
    return outcome.claim;
  }

  it('moves a transfer claimed -> transferring -> transferred, and a late failed changes nothing', async () => {
    const { store } = h();
    const base = timeWindow();
    const claim = await claimOf(base);

    const started = await store.advanceClaim(claim.claimNo, 'transferring', base + 2);
    expect(started).toStrictEqual({
      value: { ...claim, status: 'transferring', updatedAt: base + 2 },
      changed: true,
    });
    expect((await store.advanceClaim(claim.claimNo, 'transferring', base + 3)).changed).toBe(false);
    const done = await store.advanceClaim(claim.claimNo, 'transferred', base + 4);
    expect(done).toStrictEqual({
      value: { ...claim, status: 'transferred', updatedAt: base + 4 },
      changed: true,
    });
    expect(await store.advanceClaim(claim.claimNo, 'failed', base + 5)).toStrictEqual({
      ...done,
      changed: false,
    });
    expect(await store.getClaimByNo(claim.claimNo)).toStrictEqual(done.value);
  });

  it('goes through transferring when finance settles a claim not yet marked, and retries a failed one', async () => {
    const { store } = h();
    const base = timeWindow();
    const direct = await claimOf(base);
    expect((await store.advanceClaim(direct.claimNo, 'transferred', base + 2)).value.status).toBe(
      'transferred',
    );

    const retried = await claimOf(base + 10);
    await store.advanceClaim(retried.claimNo, 'transferring', base + 12);
    expect((await store.advanceClaim(retried.claimNo, 'failed', base + 13)).value.status).toBe('failed');
    expect((await store.advanceClaim(retried.claimNo, 'transferring', base + 14)).value.status).toBe(
      'transferring',
    );
    await expect(store.advanceClaim('P00NOSUCH-1', 'transferred', base)).rejects.toMatchObject({
      code: 'ORDER_NOT_FOUND',
    });
  });

  it('settles a refund once: succeeded, and its packet refunded with its remainder kept for accounting', async () => {
    const { store } = h();
    const base = timeWindow();
    const packet = await activePacket(store, { now: base, expiresAt: base + 10 });
    const { refund } = await store.expirePacket(packet.id, base + 10);

    const settled = await store.advanceRefund(refund!.refundNo, 'succeeded', base + 20);
    expect(settled).toStrictEqual({
      value: { ...refund, status: 'succeeded', updatedAt: base + 20 },
      changed: true,
    });
    expect(await store.getPacket(packet.id)).toMatchObject({
      status: 'refunded',
      remainingAmount: packet.totalAmount,
      remainingCount: packet.totalCount,
      updatedAt: base + 20,
    });
    expect(await store.advanceRefund(refund!.refundNo, 'succeeded', base + 30)).toStrictEqual({
      ...settled,
      changed: false,
    });
    expect(await store.advanceRefund(refund!.refundNo, 'failed', base + 30)).toStrictEqual({
      ...settled,
      changed: false,
    });
    expect(await store.getRefund(refund!.refundNo)).toStrictEqual(settled.value);
  });

  it('keeps the packet refunding while a refund failed, and finishes it through pending on retry', async () => {
    const { store } = h();
    const base = timeWindow();
    const packet = await activePacket(store, { now: base, expiresAt: base + 10 });
    await store.expirePacket(packet.id, base + 10);
    const refundNo = refundNoFor(packet.id);

    expect((await store.advanceRefund(refundNo, 'failed', base + 20)).value.status).toBe('failed');
    expect((await store.getPacket(packet.id))?.status).toBe('refunding');
    expect((await store.advanceRefund(refundNo, 'succeeded', base + 30)).value.status).toBe('succeeded');
    expect((await store.getPacket(packet.id))?.status).toBe('refunded');
    await expect(store.advanceRefund('P00NOSUCH-R', 'succeeded', base)).rejects.toMatchObject({
      code: 'ORDER_NOT_FOUND',
    });
  });

  it('closes an unpaid packet and its payment once, after which it can be neither paid nor claimed', async () => {
    const { store } = h();
    const base = timeWindow();
    const input = c2cInput({ now: base, expiresAt: base + 60_000 });
    const { payment, packet } = await store.createC2cPacket(input);

    const closed = await store.closePayment(input.payOrderNo, base + 5);
    expect(closed).toStrictEqual({
      value: { ...payment, status: 'closed', updatedAt: base + 5 },
      changed: true,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual({
      ...packet,
      status: 'closed',
      updatedAt: base + 5,
    });
    expect(await store.closePayment(input.payOrderNo, base + 6)).toStrictEqual({ ...closed, changed: false });
    await expect(store.markPaid(input.payOrderNo, input.totalAmount, 'T', base + 7)).rejects.toMatchObject({
      code: 'ILLEGAL_TRANSITION',
    });
    const claim = await store.claimShares(packet.id, ['late'], base + 8);
    expect(claim.outcomes).toStrictEqual([{ uid: 'late', ok: false, code: 'PACKET_NOT_ACTIVE' }]);
  });

  it('leaves a paid payment and its active packet alone when asked to close them', async () => {
    const { store } = h();
    const base = timeWindow();
    const packet = await activePacket(store, { now: base, expiresAt: base + 60_000 });
    const payment = await store.getPayment(packet.payOrderNo!);
    expect(await store.closePayment(packet.payOrderNo!, base + 5)).toStrictEqual({
      value: payment,
      changed: false,
    });
    expect(await store.getPacket(packet.id)).toStrictEqual(packet);
  });
}
