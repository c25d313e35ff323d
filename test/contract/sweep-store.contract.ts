import { expect, it } from 'vitest';
import { refundNoFor } from '../../src/domain/order.js';
import { activePacket, c2cInput, unique, type StoreHarness } from './contract-fixtures.js';
import { timeWindow } from './settlement-fixtures.js';
import { b2cInput, grantOf } from './subsidy-fixtures.js';

export function sweepStoreContract(h: () => StoreHarness): void {
  it('lists unsettled payments, transfers and refunds created before a cut-off, oldest first, with their tasks', async () => {
    const { store } = h();
    const base = timeWindow();
    const unpaid = [];
    for (let i = 1; i <= 3; i++)
      unpaid.push(await store.createC2cPacket(c2cInput({ now: base + i, expiresAt: base + 60_000 })));
    const paid = await activePacket(store, { now: base + 4, expiresAt: base + 50 });
    await store.claimShares(paid.id, ['a', 'b'], base + 5);
    await store.advanceClaim(`${paid.id}-2`, 'transferred', base + 6);
    await store.expirePacket(paid.id, base + 50);

    const payments = (after?: { createdAt: number; ref: string }) =>
      store.listUnsettled({
        kind: 'payment',
        createdBefore: base + 100,
        limit: 2,
        ...(after ? { after } : {}),
      });
    const page1 = await payments();
    expect(page1.map((o) => o.ref)).toStrictEqual(unpaid.slice(0, 2).map((u) => u.payment.payOrderNo));
    expect(page1[0]).toMatchObject({ kind: 'payment', status: 'pending', createdAt: base + 1 });
    expect(page1[0]?.task).toMatchObject({ kind: 'payment_recheck', ref: unpaid[0]?.payment.payOrderNo });
    const page2 = await payments({ createdAt: page1[1]!.createdAt, ref: page1[1]!.ref });
    expect(page2.map((o) => o.ref)).toStrictEqual([unpaid[2]?.payment.payOrderNo]);
    const cut = await store.listUnsettled({ kind: 'payment', createdBefore: base + 2, limit: 10 });
    expect(cut.map((o) => o.ref)).toStrictEqual([unpaid[0]?.payment.payOrderNo]);

    const transfers = await store.listUnsettled({ kind: 'transfer', createdBefore: base + 100, limit: 10 });
    expect(transfers).toMatchObject([
      {
        kind: 'transfer',
        ref: `${paid.id}-1`,
        status: 'claimed',
        task: { kind: 'transfer', ref: `${paid.id}-1` },
      },
    ]);
    const refunds = await store.listUnsettled({ kind: 'refund', createdBefore: base + 100, limit: 10 });
    expect(refunds).toMatchObject([
      { kind: 'refund', ref: refundNoFor(paid.id), status: 'pending', task: { kind: 'refund' } },
    ]);
  });

  it('lists exactly the active packets past their expiry as overdue expiries, by expiry, with their expire tasks', async () => {
    const { store } = h();
    const base = timeWindow();
    const overdue = await activePacket(store, { now: base, expiresAt: base + 20 });
    await store.claimShares(overdue.id, ['a'], base + 1);
    const overdueTie = await activePacket(store, { now: base, expiresAt: base + 20 });
    const { packet: overdueB2c } = await store.createB2cPacket(
      b2cInput(grantOf({ amount: 500 }), { now: base, expiresAt: base + 10 }),
    );
    // not listed: expiring after the cut-off, expired and refunding, refunded, unpaid, exhausted
    await activePacket(store, { now: base, expiresAt: base + 100 });
    const refunding = await activePacket(store, { now: base, expiresAt: base + 30 });
    await store.expirePacket(refunding.id, base + 30);
    const refunded = await activePacket(store, { now: base, expiresAt: base + 40 });
    await store.expirePacket(refunded.id, base + 40);
    await store.advanceRefund(refundNoFor(refunded.id), 'succeeded', base + 41);
    await store.createC2cPacket(c2cInput({ now: base, expiresAt: base + 50 }));
    const exhausted = await activePacket(store, {
      now: base,
      expiresAt: base + 60,
      totalAmount: 2,
      totalCount: 2,
    });
    await store.claimShares(exhausted.id, ['a', 'b'], base + 1);
    expect((await store.getPacket(refunded.id))?.status).toBe('refunded');
    expect((await store.getPacket(exhausted.id))?.status).toBe('exhausted');

    const ties = [overdue.id, overdueTie.id].sort();
    const all = await store.listUnsettled({ kind: 'expiry', createdBefore: base + 100, limit: 10 });
    expect(all.map((o) => o.ref)).toStrictEqual([overdueB2c.id, ...ties]);
    expect(all[0]).toStrictEqual({
      kind: 'expiry',
      ref: overdueB2c.id,
      taskRef: overdueB2c.id,
      status: 'active',
      createdAt: base + 10,
      task: expect.objectContaining({
        kind: 'expire',
        ref: overdueB2c.id,
        status: 'pending',
        dueAt: base + 10,
      }),
    });
    expect(all[1]).toMatchObject({ createdAt: base + 20, task: { kind: 'expire', ref: ties[0] } });

    // keyset pages: the tie on expiresAt is broken by the packet id
    const page1 = await store.listUnsettled({ kind: 'expiry', createdBefore: base + 100, limit: 2 });
    const last = page1.at(-1)!;
    const page2 = await store.listUnsettled({
      kind: 'expiry',
      createdBefore: base + 100,
      limit: 2,
      after: { createdAt: last.createdAt, ref: last.ref },
    });
    expect([...page1, ...page2].map((o) => o.ref)).toStrictEqual(all.map((o) => o.ref));
    const cut = await store.listUnsettled({ kind: 'expiry', createdBefore: base + 20, limit: 10 });
    expect(cut.map((o) => o.ref)).toStrictEqual([overdueB2c.id]);
  });

  it('raises one alert per order however many sweepers raise it at once', async () => {
    const { store } = h();
    const ref = unique('stuck');
    const alert = { kind: 'transfer' as const, ref, message: 'stuck', attempts: 5, createdAt: 1 };
    const raised = await Promise.all(Array.from({ length: 10 }, () => store.raiseAlert(alert)));
    expect(raised.filter(Boolean)).toHaveLength(1);
    expect(await store.raiseAlert({ ...alert, kind: 'refund' })).toBe(true);
    const mine = (await store.listAlerts()).filter((a) => a.ref === ref);
    expect(mine).toStrictEqual([
      { id: expect.any(Number), ...alert },
      { id: expect.any(Number), ...alert, kind: 'refund' },
    ]);
  });
}
