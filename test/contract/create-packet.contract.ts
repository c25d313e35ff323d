import { expect, it } from 'vitest';
import type { Packet } from '../../src/domain/packet.js';
import type { PaymentOrder } from '../../src/domain/order.js';
import type { NewC2cPacket } from '../../src/domain/ports.js';
import { HOUR, NOW, c2cInput, retryOf, tasksWithRef, type StoreHarness } from './contract-fixtures.js';

function expectedRows(input: NewC2cPacket): { packet: Packet; payment: PaymentOrder } {
  return {
    packet: {
      id: input.id,
      type: 'c2c',
      senderUid: input.senderUid,
      outOrderNo: input.outOrderNo,
      totalAmount: input.totalAmount,
      totalCount: input.totalCount,
      remainingAmount: input.totalAmount,
      remainingCount: input.totalCount,
      splitMode: input.splitMode,
      status: 'unpaid',
      greeting: input.greeting,
      payOrderNo: input.payOrderNo,
      expiresAt: input.expiresAt,
      createdAt: input.now,
      updatedAt: input.now,
    },
    payment: {
      payOrderNo: input.payOrderNo,
      packetId: input.id,
      payerUid: input.senderUid,
      amount: input.totalAmount,
      status: 'pending',
      providerTxnId: null,
      createdAt: input.now,
      updatedAt: input.now,
    },
  };
}

export function createPacketContract(h: () => StoreHarness): void {
  it('creates an unpaid packet holding its whole amount, a pending payment and a re-check due 30 s later', async () => {
    const { store } = h();
    const input = c2cInput({ totalAmount: 8888, totalCount: 8, splitMode: 'fixed' });
    const expected = expectedRows(input);

    const result = await store.createC2cPacket(input);

    expect(result).toStrictEqual({ ...expected, created: true });
    expect(await store.getPacket(input.id)).toStrictEqual(expected.packet);
    expect(await store.getPayment(input.payOrderNo)).toStrictEqual(expected.payment);
    const rechecks = await tasksWithRef(store, 'payment_recheck', input.payOrderNo);
    expect(rechecks).toStrictEqual([
      {
        id: expect.any(Number),
        kind: 'payment_recheck',
        ref: input.payOrderNo,
        status: 'pending',
        dueAt: NOW + 30_000,
        attempts: 0,
        lastError: null,
        leaseOwner: null,
        leaseUntil: null,
        createdAt: NOW,
        updatedAt: NOW,
      },
    ]);
  });

  it('returns the stored packet and payment, unchanged, when the same order is created again', async () => {
    const { store } = h();
    const input = c2cInput();
    const first = await store.createC2cPacket(input);
    const again = retryOf(input, NOW + 5000);

    const second = await store.createC2cPacket(again);

    expect(second).toStrictEqual({ packet: first.packet, payment: first.payment, created: false });
    expect(await store.getPacket(again.id)).toBeNull();
    expect(await store.getPayment(again.payOrderNo)).toBeNull();
    expect(await tasksWithRef(store, 'payment_recheck', again.payOrderNo)).toStrictEqual([]);
    expect(await tasksWithRef(store, 'payment_recheck', input.payOrderNo)).toHaveLength(1);
  });

  it('creates one packet, one payment and one re-check when 20 identical creates race', async () => {
    const { store } = h();
    const input = c2cInput();
    const attempts = Array.from({ length: 20 }, (_, i) => retryOf(input, NOW + i));

    const results = await Promise.all(attempts.map((a) => store.createC2cPacket(a)));

    const winners = results.filter((r) => r.created);
    expect(winners).toHaveLength(1);
    for (const r of results) {
      expect(r.packet).toStrictEqual(winners[0]?.packet);
      expect(r.payment).toStrictEqual(winners[0]?.payment);
    }
    const packets = await Promise.all(attempts.map((a) => store.getPacket(a.id)));
    const payments = await Promise.all(attempts.map((a) => store.getPayment(a.payOrderNo)));
    expect(packets.filter((p) => p !== null)).toHaveLength(1);
    expect(payments.filter((p) => p !== null)).toHaveLength(1);
    const payOrderNos = new Set(attempts.map((a) => a.payOrderNo));
    const rechecks = (await store.listTasks({ kind: 'payment_recheck' })).filter((t) =>
      payOrderNos.has(t.ref),
    );
    expect(rechecks.map((t) => t.ref)).toStrictEqual([winners[0]?.payment.payOrderNo]);
  });

  const changes: [string, Partial<NewC2cPacket>][] = [
    ['amount', { totalAmount: 2000 }],
    ['count', { totalCount: 5 }],
    ['split mode', { splitMode: 'fixed' }],
    ['greeting', { greeting: 'Another greeting' }],
    ['lifetime', { expiresAt: NOW + 1000 + 2 * HOUR }],
  ];
  it.each(changes)(
    'refuses a different %s under the same order number with IDEMPOTENCY_CONFLICT and writes nothing',
    async (_field, change) => {
      const { store } = h();
      const input = c2cInput();
      const first = await store.createC2cPacket(input);
      const conflicting = { ...retryOf(input, NOW + 1000), ...change };

      await expect(store.createC2cPacket(conflicting)).rejects.toMatchObject({
        code: 'IDEMPOTENCY_CONFLICT',
      });

      expect(await store.getPacket(conflicting.id)).toBeNull();
      expect(await store.getPayment(conflicting.payOrderNo)).toBeNull();
      expect(await tasksWithRef(store, 'payment_recheck', conflicting.payOrderNo)).toStrictEqual([]);
      expect(await store.getPacket(input.id)).toStrictEqual(first.packet);
    },
  );

  it('refuses another order that reuses a packet id with IDEMPOTENCY_CONFLICT and writes nothing', async () => {
    const { store } = h();
    const first = await store.createC2cPacket(c2cInput());
    const clash = c2cInput({ id: first.packet.id });

    await expect(store.createC2cPacket(clash)).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });

    expect(await store.getPayment(clash.payOrderNo)).toBeNull();
    expect(await tasksWithRef(store, 'payment_recheck', clash.payOrderNo)).toStrictEqual([]);
    expect(await store.getPacket(first.packet.id)).toStrictEqual(first.packet);
  });

  it('keeps order numbers that differ only in letter case apart', async () => {
    const { store } = h();
    const lower = c2cInput({ outOrderNo: 'order-abc' });
    const upper = c2cInput({ senderUid: lower.senderUid, outOrderNo: 'ORDER-ABC' });

    const a = await store.createC2cPacket(lower);
    const b = await store.createC2cPacket(upper);

    expect([a.created, b.created]).toStrictEqual([true, true]);
    expect(a.packet.id).not.toBe(b.packet.id);
  });

  it('stores CJK text and emoji exactly, up to 255 characters of greeting', async () => {
    const { store } = h();
    const cjk = c2cInput({ greeting: '恭喜发财，大吉大利 🧧🎉' });
    const longest = c2cInput({ greeting: '🧧'.repeat(255) });

    await store.createC2cPacket(cjk);
    await store.createC2cPacket(longest);

    expect((await store.getPacket(cjk.id))?.greeting).toBe('恭喜发财，大吉大利 🧧🎉');
    expect((await store.getPacket(longest.id))?.greeting).toBe('🧧'.repeat(255));
  });

  it('refuses over-long order numbers and greetings with VALIDATION_FAILED before writing', async () => {
    const { store } = h();
    const longOrder = c2cInput({ outOrderNo: 'x'.repeat(65) });
    const longGreeting = c2cInput({ greeting: 'g'.repeat(256) });

    await expect(store.createC2cPacket(longOrder)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(store.createC2cPacket(longGreeting)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    expect(await store.getPacket(longOrder.id)).toBeNull();
    expect(await store.getPacket(longGreeting.id)).toBeNull();
  });
}
