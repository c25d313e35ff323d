import { describe, expect, it } from 'vitest';
import { payAtCashier } from '../../src/finance/cashier-client.js';
import { DEFAULT_MERCHANT_INITIAL_BALANCE } from '../../src/finance/create-finance.js';
import { verifySignature } from '../../src/finance/signature.js';
import { MERCHANT_ACCOUNT, userAccount } from '../../src/finance/store/types.js';
import type { ProviderEvent } from '../../src/domain/ports.js';
import { issueToken } from '../../src/auth/tokens.js';
import { JWT_SECRET, SIGN_SECRET } from './support/finance-harness.js';
import type { Get } from './support/helpers.js';
import { balanceOf, codeOf, expectBooksBalanced, readWholeLedger } from './support/helpers.js';

export function paymentsContract(get: Get) {
  describe('payments at the cashier', () => {
    it('moves the amount from the payer to the merchant once, ledgered, and sends a signed callback', async () => {
      const h = get();
      const uid = h.id('payer');
      const tag = h.id('cb');
      const payOrderNo = h.id('PAY');
      const merchantBefore = (await balanceOf(h, MERCHANT_ACCOUNT)) ?? DEFAULT_MERCHANT_INITIAL_BALANCE;
      const created = await h.client.createPayOrder({
        payOrderNo,
        payerUid: uid,
        amount: 1234,
        subject: 'packet',
        notifyUrl: h.receiver.url(tag),
      });
      expect(created.order).toMatchObject({
        orderNo: payOrderNo,
        kind: 'payment',
        uid,
        amount: 1234,
        status: 'pending',
        txnId: null,
      });
      expect(created.cashierUrl).toBe(`${h.url}/finance/cashier/${payOrderNo}/pay`);

      const paid = await payAtCashier(created.cashierUrl, await h.token(uid));
      expect(paid.status).toBe('succeeded');
      expect(paid.txnId).toMatch(/^T/);
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 - 1234);
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchantBefore + 1234);

      const entries = (await readWholeLedger(h, 7)).filter((e) => e.orderNo === payOrderNo);
      expect(entries).toHaveLength(2);
      expect(entries.map((e) => [e.account, e.direction, e.amount])).toEqual(
        expect.arrayContaining([
          [userAccount(uid), 'debit', -1234],
          [MERCHANT_ACCOUNT, 'credit', 1234],
        ]),
      );
      expect(new Set(entries.map((e) => e.txnId))).toEqual(new Set([paid.txnId]));

      const [callback] = await h.receiver.waitFor(tag, 1);
      const ts = String(callback?.headers['x-finance-timestamp']);
      const sig = String(callback?.headers['x-finance-signature']);
      expect(verifySignature(SIGN_SECRET, callback!.raw, ts, sig)).toBe(true);
      expect(verifySignature(SIGN_SECRET, callback!.raw.replace('1234', '9234'), ts, sig)).toBe(false);
      expect(verifySignature('another-secret', callback!.raw, ts, sig)).toBe(false);
      const event = JSON.parse(callback!.raw) as ProviderEvent;
      expect(event).toMatchObject({
        type: 'order.updated',
        order: { orderNo: payOrderNo, status: 'succeeded', txnId: paid.txnId },
      });
      await expectBooksBalanced(h);
    });

    it('ledgers the opening balance of every account so that the whole ledger sums to zero', async () => {
      const h = get();
      const entries = await readWholeLedger(h, 5);
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
      const ids = entries.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      const perAccount = new Map<string, number>();
      for (const e of entries) perAccount.set(e.account, (perAccount.get(e.account) ?? 0) + e.amount);
      for (const [account, sum] of perAccount) expect(await balanceOf(h, account)).toBe(sum);
      expect(entries.some((e) => e.kind === 'funding' && e.account === 'issuer' && e.amount < 0)).toBe(true);
    });

    it('returns the stored order for a replayed pay order and refuses a different body with IDEMPOTENCY_CONFLICT', async () => {
      const h = get();
      const input = {
        payOrderNo: h.id('PAY'),
        payerUid: h.id('u'),
        amount: 500,
        subject: 's',
        notifyUrl: h.receiver.url('x'),
      };
      const first = await h.client.createPayOrder(input);
      const again = await h.client.createPayOrder(input);
      expect(again.order).toEqual(first.order);
      expect(await codeOf(h.client.createPayOrder({ ...input, amount: 501 }))).toBe('IDEMPOTENCY_CONFLICT');
      expect(await codeOf(h.client.createPayOrder({ ...input, payerUid: h.id('other') }))).toBe(
        'IDEMPOTENCY_CONFLICT',
      );
      const racing = await Promise.all(
        Array.from({ length: 50 }, () =>
          h.client.createPayOrder({ ...input, payOrderNo: `${input.payOrderNo}-r` }),
        ),
      );
      expect(new Set(racing.map((r) => r.order.createdAt)).size).toBe(1);
    });

    it('debits the payer once when the same order is paid again, sequentially and by 50 concurrent requests', async () => {
      const h = get();
      const uid = h.id('payer');
      const tag = h.id('cb');
      const { order, cashierUrl } = await h.client.createPayOrder({
        payOrderNo: h.id('PAY'),
        payerUid: uid,
        amount: 700,
        subject: 's',
        notifyUrl: h.receiver.url(tag),
      });
      const token = await h.token(uid);
      const results = await Promise.all(Array.from({ length: 50 }, () => payAtCashier(cashierUrl, token)));
      const again = await payAtCashier(cashierUrl, token);
      const txnIds = new Set([...results, again].map((r) => r.txnId));
      expect(txnIds.size).toBe(1);
      expect([...results, again].every((r) => r.status === 'succeeded')).toBe(true);
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000 - 700);
      expect((await readWholeLedger(h, 500)).filter((e) => e.orderNo === order.orderNo)).toHaveLength(2);
      await h.finance.notifier.idle();
      expect(h.receiver.received(tag)).toHaveLength(1);
      await expectBooksBalanced(h);
    });

    it('refuses a payment larger than the balance with INSUFFICIENT_BALANCE and leaves the order pending', async () => {
      const h = get();
      const uid = h.id('poor');
      const { order, cashierUrl } = await h.client.createPayOrder({
        payOrderNo: h.id('PAY'),
        payerUid: uid,
        amount: 1_000_001,
        subject: 's',
        notifyUrl: h.receiver.url('x'),
      });
      expect(await codeOf(payAtCashier(cashierUrl, await h.token(uid)))).toBe('INSUFFICIENT_BALANCE');
      expect(await balanceOf(h, userAccount(uid))).toBe(1_000_000);
      expect((await h.client.queryOrder(order.orderNo))?.status).toBe('pending');
      await expectBooksBalanced(h);
    });

    it('lets only the payer pay: 403 for another user, 401 for a missing, tampered or expired token', async () => {
      const h = get();
      const uid = h.id('owner');
      const { order, cashierUrl } = await h.client.createPayOrder({
        payOrderNo: h.id('PAY'),
        payerUid: uid,
        amount: 10,
        subject: 's',
        notifyUrl: h.receiver.url('x'),
      });
      const post = (headers: Record<string, string>) => fetch(cashierUrl, { method: 'POST', headers });
      const stranger = await post({ authorization: `Bearer ${await h.token(h.id('thief'))}` });
      expect(stranger.status).toBe(403);
      expect(((await stranger.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');

      const [head, payload, sig] = (await h.token(uid)).split('.');
      const forged = Buffer.from(
        JSON.stringify({ sub: uid, exp: Math.floor(Date.now() / 1000) + 999_999 }),
      ).toString('base64url');
      const expired = await issueToken(JWT_SECRET, uid, 1, Date.now() - 60_000);
      const wrongKey = await issueToken('not-the-finance-jwt-secret', uid);
      const attempts: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${head}.${forged}.${sig}` },
        { authorization: `Bearer ${head}.${payload}.${sig}x` },
        { authorization: `Bearer ${expired}` },
        { authorization: `Bearer ${wrongKey}` },
      ];
      for (const headers of attempts) {
        const res = await post(headers);
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
      }
      expect((await h.client.queryOrder(order.orderNo))?.status).toBe('pending');
      expect(await balanceOf(h, userAccount(uid))).toBeUndefined();
    });

    it('answers 404 ORDER_NOT_FOUND at the cashier for an order it never created', async () => {
      const h = get();
      const uid = h.id('u');
      expect(
        await codeOf(payAtCashier(`${h.url}/finance/cashier/${h.id('nope')}/pay`, await h.token(uid))),
      ).toBe('ORDER_NOT_FOUND');
    });
  });
}
