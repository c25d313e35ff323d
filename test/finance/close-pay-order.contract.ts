import { describe, expect, it } from 'vitest';
import { payAtCashier } from '../../src/finance/cashier-client.js';
import { userAccount } from '../../src/finance/store/types.js';
import type { Get } from './support/helpers.js';
import { balanceOf, codeOf, expectBooksBalanced, paidOrder } from './support/helpers.js';

/** Issue 4: the packet service closes orders nobody paid, and replays orders from a new address. */
export function closePayOrderContract(get: Get) {
  describe('closing pay orders', () => {
    it('closes a pending order once, even concurrently, after which paying it is refused and costs nothing', async () => {
      const h = get();
      const uid = h.id('payer');
      const tag = h.id('cb');
      const input = {
        payOrderNo: h.id('PAY'),
        payerUid: uid,
        amount: 700,
        subject: 's',
        notifyUrl: h.receiver.url(tag),
      };
      const { cashierUrl } = await h.client.createPayOrder(input);

      const closed = await Promise.all(
        Array.from({ length: 10 }, () => h.client.closePayOrder(input.payOrderNo)),
      );
      expect(new Set(closed.map((o) => `${o.status}:${o.updatedAt}`)).size).toBe(1);
      expect(closed[0]).toMatchObject({
        orderNo: input.payOrderNo,
        kind: 'payment',
        status: 'closed',
        txnId: null,
      });
      expect(await h.client.queryOrder(input.payOrderNo)).toEqual(closed[0]);

      expect(await codeOf(payAtCashier(cashierUrl, await h.token(uid)))).toBe('ILLEGAL_TRANSITION');
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000);
      await h.finance.notifier.idle();
      expect(h.receiver.received(tag)).toHaveLength(1);
      await expectBooksBalanced(h);
    });

    it('answers a paid order as succeeded instead of closing it, and refuses unknown and non-payment orders', async () => {
      const h = get();
      const paid = await paidOrder(h, h.id('payer'), 300, h.receiver.url('x'));
      expect(await h.client.closePayOrder(paid.orderNo)).toMatchObject({
        status: 'succeeded',
        txnId: paid.txnId,
      });
      expect(await codeOf(h.client.closePayOrder(h.id('NOPE')))).toBe('ORDER_NOT_FOUND');
      const transfer = await h.client.transfer({
        transferNo: h.id('TRF'),
        uid: h.id('u'),
        amount: 5,
        notifyUrl: h.receiver.url('x'),
      });
      expect(await codeOf(h.client.closePayOrder(transfer.orderNo))).toBe('ORDER_NOT_FOUND');
    });

    it('treats a replay from another notify URL as the same order (a restarted service on a new port)', async () => {
      const h = get();
      const uid = h.id('claimer');
      const first = { transferNo: h.id('TRF'), uid, amount: 42, notifyUrl: h.receiver.url('old') };
      const done = await h.client.transfer(first);
      const replay = await h.client.transfer({ ...first, notifyUrl: h.receiver.url('new') });
      expect(replay).toEqual(done);
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 + 42);
      expect(
        await codeOf(h.client.transfer({ ...first, amount: 43, notifyUrl: h.receiver.url('new') })),
      ).toBe('IDEMPOTENCY_CONFLICT');
    });
  });
}
