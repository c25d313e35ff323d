import { describe, expect, it } from 'vitest';
import { MERCHANT_ACCOUNT, userAccount } from '../../src/finance/store/types.js';
import type { Get } from './support/helpers.js';
import { balanceOf, codeOf, expectBooksBalanced, paidOrder, readWholeLedger } from './support/helpers.js';

export function transfersAndRefundsContract(get: Get) {
  describe('transfers and refunds', () => {
    it('pays a transfer once, however often and however concurrently it is retried', async () => {
      const h = get();
      const uid = h.id('claimer');
      const tag = h.id('cb');
      const input = { transferNo: h.id('TRF'), uid, amount: 88, notifyUrl: h.receiver.url(tag) };
      const merchantBefore = await balanceOf(h, MERCHANT_ACCOUNT);
      const racing = await Promise.all(Array.from({ length: 50 }, () => h.client.transfer(input)));
      const again = await h.client.transfer(input);
      expect(new Set([...racing, again].map((o) => o.txnId)).size).toBe(1);
      expect(again).toMatchObject({
        orderNo: input.transferNo,
        kind: 'transfer',
        uid,
        amount: 88,
        status: 'succeeded',
      });
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 + 88);
      if (merchantBefore !== undefined)
        expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchantBefore - 88);
      expect((await readWholeLedger(h, 500)).filter((e) => e.orderNo === input.transferNo)).toHaveLength(2);
      expect(await h.client.queryOrder(input.transferNo)).toEqual(again);
      await h.finance.notifier.idle();
      expect(h.receiver.received(tag)).toHaveLength(1);
      expect(await codeOf(h.client.transfer({ ...input, amount: 89 }))).toBe('IDEMPOTENCY_CONFLICT');
      await expectBooksBalanced(h);
    });

    it('refunds a payment to its payer once per refundNo, concurrent replays included', async () => {
      const h = get();
      const uid = h.id('sender');
      const payment = await paidOrder(h, uid, 1000, h.receiver.url('x'));
      const tag = h.id('cb');
      const input = {
        refundNo: h.id('RFD'),
        payOrderNo: payment.orderNo,
        amount: 600,
        notifyUrl: h.receiver.url(tag),
      };
      const racing = await Promise.all(Array.from({ length: 50 }, () => h.client.refund(input)));
      expect(new Set(racing.map((o) => o.txnId)).size).toBe(1);
      expect(racing[0]).toMatchObject({
        kind: 'refund',
        uid,
        amount: 600,
        status: 'succeeded',
        payOrderNo: payment.orderNo,
      });
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 - 1000 + 600);
      await h.finance.notifier.idle();
      expect(h.receiver.received(tag)).toHaveLength(1);
      await expectBooksBalanced(h);
    });

    it('never refunds more than was paid, counting every refund of the payment', async () => {
      const h = get();
      const uid = h.id('sender');
      const payment = await paidOrder(h, uid, 1000, h.receiver.url('x'));
      const refund = (amount: number, refundNo = h.id('RFD')) =>
        h.client.refund({ refundNo, payOrderNo: payment.orderNo, amount, notifyUrl: h.receiver.url('x') });
      expect(await codeOf(refund(1001))).toBe('INSUFFICIENT_BALANCE');
      await refund(600);
      expect(await codeOf(refund(401))).toBe('INSUFFICIENT_BALANCE');
      // 10 different refunds of 100 race for the 400 left: exactly 4 win.
      const settled = await Promise.allSettled(Array.from({ length: 10 }, () => refund(100)));
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(4);
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000);
      expect(await codeOf(refund(1))).toBe('INSUFFICIENT_BALANCE');
      await expectBooksBalanced(h);
    });

    it('refuses to refund a payment that was never paid or never existed', async () => {
      const h = get();
      const uid = h.id('sender');
      const { order } = await h.client.createPayOrder({
        payOrderNo: h.id('PAY'),
        payerUid: uid,
        amount: 50,
        subject: 's',
        notifyUrl: h.receiver.url('x'),
      });
      const refund = (payOrderNo: string) =>
        h.client.refund({ refundNo: h.id('RFD'), payOrderNo, amount: 10, notifyUrl: h.receiver.url('x') });
      expect(await codeOf(refund(order.orderNo))).toBe('ILLEGAL_TRANSITION');
      expect(await codeOf(refund(h.id('missing')))).toBe('ORDER_NOT_FOUND');
    });

    it('refuses a transfer the merchant cannot afford and records nothing', async () => {
      const h = get();
      const uid = h.id('greedy');
      const transferNo = h.id('TRF');
      const merchant = (await balanceOf(h, MERCHANT_ACCOUNT)) ?? 0;
      const code = await codeOf(
        h.client.transfer({ transferNo, uid, amount: merchant + 1, notifyUrl: h.receiver.url('x') }),
      );
      expect(code).toBe('INSUFFICIENT_BALANCE');
      expect(await h.client.queryOrder(transferNo)).toBeNull();
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant);
      await expectBooksBalanced(h);
    });

    it('exports the ledger by time window and keyset pages without gaps or repeats', async () => {
      const h = get();
      const from = Date.now();
      const uid = h.id('ledger');
      for (let i = 0; i < 3; i++)
        await h.client.transfer({
          transferNo: h.id('TRF'),
          uid,
          amount: 1 + i,
          notifyUrl: h.receiver.url('x'),
        });
      const to = Date.now() + 1;
      const all = await readWholeLedger(h, 1000);
      const inWindow = all.filter((e) => e.createdAt >= from && e.createdAt < to);
      const paged = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await h.client.listLedger({
          fromMs: from,
          toMs: to,
          limit: 2,
          ...(afterId === undefined ? {} : { afterId }),
        });
        paged.push(...page.entries);
        if (page.nextAfterId === null) break;
        afterId = page.nextAfterId;
      }
      expect(paged).toEqual(inWindow);
      expect(paged.filter((e) => e.account === userAccount(uid)).map((e) => e.amount)).toEqual([
        1_000_000, 1, 2, 3,
      ]);
      expect((await h.client.listLedger({ fromMs: to + 60_000 })).entries).toEqual([]);
    });
  });
}
