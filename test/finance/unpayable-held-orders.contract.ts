/**
 * A transfer or refund finance stored (held while `holdOrders` was on) and then cannot pay because
 * the merchant's float is short becomes final `failed`, with its callback: a later call with the
 * same number answers the same failed order and never pays, even after the float is refilled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MERCHANT_ACCOUNT, userAccount } from '../../src/finance/store/types.js';
import type { Backend, FinanceHarness } from './support/finance-harness.js';
import { startFinanceHarness } from './support/finance-harness.js';
import {
  balanceOf,
  codeOf,
  drainMerchant,
  expectBooksBalanced,
  paidOrder,
  readWholeLedger,
  whileHeld,
} from './support/helpers.js';

export function unpayableHeldOrdersContract(backend: Backend) {
  describe(`held orders the merchant cannot pay, on ${backend}`, () => {
    let h: FinanceHarness;
    beforeAll(async () => {
      h = await startFinanceHarness(backend);
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('fails a held transfer the merchant cannot pay, calls back once, and never pays its number later', async () => {
      const uid = h.id('u');
      const tag = h.id('cb');
      const input = { transferNo: h.id('WDR'), uid, amount: 150, notifyUrl: h.receiver.url(tag) };
      await whileHeld(h, async () => expect((await h.client.transfer(input)).status).toBe('pending'));
      await drainMerchant(h, 100);

      const failed = await h.client.transfer(input);
      expect(failed).toMatchObject({ orderNo: input.transferNo, status: 'failed', txnId: null });
      expect(await h.client.queryOrder(input.transferNo)).toEqual(failed);
      const [callback] = await h.receiver.waitFor(tag, 1);
      expect(JSON.parse(callback!.raw)).toMatchObject({
        eventId: `${input.transferNo}:failed:`,
        order: { orderNo: input.transferNo, status: 'failed' },
      });

      // the float is refilled; every later call answers the same failed order and pays nothing
      await paidOrder(h, h.id('payer'), 1_000, h.receiver.url('pay'));
      const replays = await Promise.all(Array.from({ length: 5 }, () => h.client.transfer(input)));
      expect(replays).toEqual(Array.from({ length: 5 }, () => failed));
      expect(await h.client.queryOrder(input.transferNo)).toEqual(failed);
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000);
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(1_100);
      expect((await readWholeLedger(h, 1000)).filter((e) => e.orderNo === input.transferNo)).toEqual([]);
      expect(await codeOf(h.client.transfer({ ...input, amount: 151 }))).toBe('IDEMPOTENCY_CONFLICT');
      await h.finance.notifier.idle();
      expect(h.receiver.received(tag)).toHaveLength(1);
      await expectBooksBalanced(h);
    });

    it('fails a held refund the merchant cannot pay, and its amount may be refunded again under a new number', async () => {
      const payer = h.id('payer');
      const payment = await paidOrder(h, payer, 1_000, h.receiver.url('pay'));
      const tag = h.id('cb');
      const input = {
        refundNo: h.id('RFD'),
        payOrderNo: payment.orderNo,
        amount: 600,
        notifyUrl: h.receiver.url(tag),
      };
      await whileHeld(h, async () => expect((await h.client.refund(input)).status).toBe('pending'));
      await drainMerchant(h, 599);

      const failed = await h.client.refund(input);
      expect(failed).toMatchObject({ orderNo: input.refundNo, status: 'failed', txnId: null });
      await h.receiver.waitFor(tag, 1);
      await paidOrder(h, h.id('payer'), 1_000, h.receiver.url('pay'));
      expect(await h.client.refund(input)).toEqual(failed);
      expect(await balanceOf(h, userAccount(payer))).toBe(1_000_000 - 1_000);
      expect((await readWholeLedger(h, 1000)).filter((e) => e.orderNo === input.refundNo)).toEqual([]);

      // a failed refund no longer counts against the payment: the 600 fen can go back once
      const again = await h.client.refund({ ...input, refundNo: h.id('RFD') });
      expect(again.status).toBe('succeeded');
      expect(await balanceOf(h, userAccount(payer))).toBe(1_000_000 - 1_000 + 600);
      await expectBooksBalanced(h);
    });

    it('still refuses a NEW transfer the merchant cannot pay without recording it', async () => {
      const merchant = (await balanceOf(h, MERCHANT_ACCOUNT)) ?? 0;
      const transferNo = h.id('TRF');
      const input = { transferNo, uid: h.id('u'), amount: merchant + 1, notifyUrl: h.receiver.url('x') };
      expect(await codeOf(h.client.transfer(input))).toBe('INSUFFICIENT_BALANCE');
      expect(await h.client.queryOrder(transferNo)).toBeNull();
      await expectBooksBalanced(h);
    });
  });
}
