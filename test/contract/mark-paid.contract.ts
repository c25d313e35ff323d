import { expect, it } from 'vitest';
import type { PaymentStatus } from '../../src/domain/order.js';
import { NOW, c2cInput, tasksWithRef, type StoreHarness } from './contract-fixtures.js';

const PAID_AT = NOW + 60_000;

export function markPaidContract(h: () => StoreHarness): void {
  it('marks the payment paid, activates the packet and schedules its expiry at expiresAt', async () => {
    const { store } = h();
    const input = c2cInput();
    const created = await store.createC2cPacket(input);

    const result = await store.markPaid(input.payOrderNo, input.totalAmount, 'TXN-1', PAID_AT);

    const packet = { ...created.packet, status: 'active', updatedAt: PAID_AT };
    const payment = { ...created.payment, status: 'paid', providerTxnId: 'TXN-1', updatedAt: PAID_AT };
    expect(result).toStrictEqual({ packet, payment, changed: true });
    expect(await store.getPacket(input.id)).toStrictEqual(packet);
    expect(await store.getPayment(input.payOrderNo)).toStrictEqual(payment);
    expect(await tasksWithRef(store, 'expire', input.id)).toStrictEqual([
      {
        id: expect.any(Number),
        kind: 'expire',
        ref: input.id,
        status: 'pending',
        dueAt: input.expiresAt,
        attempts: 0,
        lastError: null,
        leaseOwner: null,
        leaseUntil: null,
        createdAt: PAID_AT,
        updatedAt: PAID_AT,
      },
    ]);
  });

  it('changes nothing when the paid callback is replayed, even with another provider txn', async () => {
    const { store } = h();
    const input = c2cInput();
    await store.createC2cPacket(input);
    const first = await store.markPaid(input.payOrderNo, input.totalAmount, 'TXN-1', PAID_AT);

    const replay = await store.markPaid(input.payOrderNo, input.totalAmount, 'TXN-2', PAID_AT + 5000);

    expect(replay).toStrictEqual({ packet: first.packet, payment: first.payment, changed: false });
    expect(await store.getPayment(input.payOrderNo)).toStrictEqual(first.payment);
    expect(await store.getPacket(input.id)).toStrictEqual(first.packet);
    expect(await tasksWithRef(store, 'expire', input.id)).toHaveLength(1);
  });

  it('applies exactly one of 20 concurrent paid callbacks', async () => {
    const { store } = h();
    const input = c2cInput();
    await store.createC2cPacket(input);

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.markPaid(input.payOrderNo, input.totalAmount, `TXN-${i}`, PAID_AT + i),
      ),
    );

    const applied = results.filter((r) => r.changed);
    expect(applied).toHaveLength(1);
    for (const r of results) {
      expect(r.packet.status).toBe('active');
      expect(r.payment).toStrictEqual(applied[0]?.payment);
    }
    expect(await store.getPayment(input.payOrderNo)).toStrictEqual(applied[0]?.payment);
    expect(await tasksWithRef(store, 'expire', input.id)).toHaveLength(1);
  });

  it('throws ORDER_NOT_FOUND for an unknown order', async () => {
    const { store } = h();
    await expect(store.markPaid('PAYNOSUCHORDER', 100, 'TXN', PAID_AT)).rejects.toMatchObject({
      code: 'ORDER_NOT_FOUND',
    });
  });

  it('throws IDEMPOTENCY_CONFLICT when the paid amount differs, and leaves the order pending', async () => {
    const { store } = h();
    const input = c2cInput();
    const created = await store.createC2cPacket(input);

    await expect(
      store.markPaid(input.payOrderNo, input.totalAmount - 1, 'TXN', PAID_AT),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });

    expect(await store.getPayment(input.payOrderNo)).toStrictEqual(created.payment);
    expect(await store.getPacket(input.id)).toStrictEqual(created.packet);
    expect(await tasksWithRef(store, 'expire', input.id)).toStrictEqual([]);
  });

  it.each<PaymentStatus>(['closed', 'failed'])(
    'throws ILLEGAL_TRANSITION for a %s order and leaves the packet unpaid',
    async (status) => {
      const { store, forcePaymentStatus } = h();
      const input = c2cInput();
      const created = await store.createC2cPacket(input);
      await forcePaymentStatus(input.payOrderNo, status);

      await expect(store.markPaid(input.payOrderNo, input.totalAmount, 'TXN', PAID_AT)).rejects.toMatchObject(
        {
          code: 'ILLEGAL_TRANSITION',
        },
      );

      expect(await store.getPayment(input.payOrderNo)).toStrictEqual({ ...created.payment, status });
      expect(await store.getPacket(input.id)).toStrictEqual(created.packet);
      expect(await tasksWithRef(store, 'expire', input.id)).toStrictEqual([]);
    },
  );
}
