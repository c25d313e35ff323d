/**
 * Finance balances never leave ±Number.MAX_SAFE_INTEGER: budgets, grant amounts and installed
 * balances are capped on the wire, and every ledger transaction refuses (4xx, nothing written) a
 * movement that would take an account past the bound, so the books stay readable forever.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../../src/finance/http-caller.js';
import type { Caller } from '../../src/finance/http-caller.js';
import { MAX_WIRE_FEN } from '../../src/finance/store/balance-bounds.js';
import { ISSUER_ACCOUNT, MERCHANT_ACCOUNT, userAccount } from '../../src/finance/store/types.js';
import type { Backend, FinanceHarness } from './support/finance-harness.js';
import { SIGN_SECRET, startFinanceHarness } from './support/finance-harness.js';
import { balanceOf, codeOf, expectBooksBalanced } from './support/helpers.js';

const campaignBody = (overrides: Record<string, unknown> = {}) => ({
  budget: 1_000,
  probability: 1,
  minAmount: 1,
  maxAmount: 10,
  tokenTtlSec: 60,
  ...overrides,
});

/** Everything the bug turned into a 500 still answers, and the books balance. */
async function expectReadableBooks(h: FinanceHarness, caller: Caller): Promise<void> {
  const issuer = await caller.send('GET', `/finance/accounts/${ISSUER_ACCOUNT}`);
  expect(issuer.status).toBe(200);
  expect(Number.isSafeInteger((issuer.body as { account: { balance: number } }).account.balance)).toBe(true);
  const books = await caller.send('GET', '/finance/admin/books');
  expect(books.status).toBe(200);
  expect(books.body).toMatchObject({ books: { ledgerTotal: 0, balanceTotal: 0, mismatched: [] } });
  await expectBooksBalanced(h);
}

export function ledgerBoundsContract(backend: Backend) {
  describe(`ledger bounds on ${backend}`, () => {
    describe('on the wire', () => {
      let h: FinanceHarness;
      let caller: Caller;
      beforeAll(async () => {
        h = await startFinanceHarness(backend);
        caller = createCaller({ baseUrl: h.url, secret: SIGN_SECRET });
      });
      afterAll(async () => {
        await caller?.close();
        await h?.stop();
      });

      it('refuses a 9e15 fen campaign budget with 400 and keeps the issuer, campaigns, installs and books working', async () => {
        const answer = await caller.send(
          'PUT',
          '/finance/admin/rain/campaigns/c9',
          campaignBody({ budget: 9e15 }),
        );
        expect(answer.status).toBe(400);
        expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
        expect((await caller.send('GET', '/finance/admin/rain/campaigns/c9')).status).toBe(404);

        await expectReadableBooks(h, caller);
        const second = await caller.send('PUT', '/finance/admin/rain/campaigns/c10', campaignBody());
        expect(second.status).toBe(200);
        const install = await caller.send('PUT', '/finance/admin/accounts', {
          accounts: [{ uid: h.id('fixture'), balance: 500 }],
        });
        expect(install.status).toBe(200);
        expect(install.body).toMatchObject({ installed: 1 });
        await expectReadableBooks(h, caller);
      });

      it(`takes budgets, grant amounts and returns up to ${MAX_WIRE_FEN} fen and refuses one more`, async () => {
        const put = (id: string, overrides: Record<string, unknown>) =>
          caller.send('PUT', `/finance/admin/rain/campaigns/${id}`, campaignBody(overrides));
        const issuerBefore = await balanceOf(h, ISSUER_ACCOUNT);
        expect((await put('cap-ok', { budget: MAX_WIRE_FEN, maxAmount: MAX_WIRE_FEN })).status).toBe(200);
        expect(await balanceOf(h, ISSUER_ACCOUNT)).toBe((issuerBefore ?? 0) - MAX_WIRE_FEN);
        for (const overrides of [
          { budget: MAX_WIRE_FEN + 1 },
          { maxAmount: MAX_WIRE_FEN + 1 },
          { minAmount: MAX_WIRE_FEN + 1, maxAmount: MAX_WIRE_FEN + 1 },
          { maxAmount: Number.MAX_SAFE_INTEGER },
        ]) {
          const answer = await put('cap-over', overrides);
          expect([answer.status, (answer.body as { error: { code: string } }).error.code]).toStrictEqual([
            400,
            'VALIDATION_FAILED',
          ]);
        }
        const back = await caller.send('POST', '/finance/rain/returns', {
          returnNo: h.id('RET'),
          campaign: 'cap-ok',
          amount: MAX_WIRE_FEN + 1,
        });
        expect(back.status).toBe(400);
        await expectReadableBooks(h, caller);
      });
    });

    describe('in the ledger transaction', () => {
      let h: FinanceHarness;
      let caller: Caller;
      beforeAll(async () => {
        h = await startFinanceHarness(backend);
        caller = createCaller({ baseUrl: h.url, secret: SIGN_SECRET, timeoutMs: 30_000 });
      });
      afterAll(async () => {
        await caller?.close();
        await h?.stop();
      });

      it('refuses an install batch that would take the issuer past -MAX_SAFE_INTEGER, writes nothing, and still installs what fits', async () => {
        const TOP = 1_000_000_000_000; // the most one installed account may hold
        const batch = (label: string, n = 1000) =>
          Array.from({ length: n }, (_, i) => ({ uid: `${label}${i}`, balance: TOP }));
        // 9 batches of 1,000 accounts at 10^12 fen: the issuer is at -9 * 10^15, about 7 * 10^12 fen
        // from the bound, so the 10th batch (10^15 more) does not fit.
        for (let b = 0; b < 9; b++) {
          const answer = await caller.send('PUT', '/finance/admin/accounts', { accounts: batch(`b${b}x`) });
          expect(answer.status).toBe(200);
        }
        const issuerBefore = await balanceOf(h, ISSUER_ACCOUNT);
        expect(issuerBefore).toBeLessThanOrEqual(-9e15);

        const over = await caller.send('PUT', '/finance/admin/accounts', { accounts: batch('b9x') });
        expect(over.status).toBe(400);
        expect(over.body).toMatchObject({
          error: { code: 'VALIDATION_FAILED', details: { account: ISSUER_ACCOUNT } },
        });
        expect(await balanceOf(h, ISSUER_ACCOUNT)).toBe(issuerBefore);
        expect(await balanceOf(h, userAccount('b9x0'))).toBeUndefined();
        expect(await h.admin.realname('b9x0')).toBe('unknown');
        await expectReadableBooks(h, caller);

        // a batch that fits still installs, and the issuer stays inside the bound
        const fits = await caller.send('PUT', '/finance/admin/accounts', { accounts: batch('small', 3) });
        expect(fits.body).toMatchObject({ installed: 3 });
        expect(await balanceOf(h, ISSUER_ACCOUNT)).toBe((issuerBefore ?? 0) - 3 * TOP);
        // a campaign budget that no longer fits is refused the same way, nothing written
        const campaign = await caller.send(
          'PUT',
          '/finance/admin/rain/campaigns/late',
          campaignBody({ budget: MAX_WIRE_FEN }),
        );
        expect(campaign.status).toBe(400);
        expect(campaign.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
        expect((await caller.send('GET', '/finance/admin/rain/campaigns/late')).status).toBe(404);
        await expectReadableBooks(h, caller);
      });
    });

    describe('on opening an account', () => {
      let h: FinanceHarness;
      let caller: Caller;
      // the merchant's float takes the issuer to 500,000 fen from the bound: a user's opening
      // balance (1,000,000 fen) no longer fits
      const merchantInitialBalance = Number.MAX_SAFE_INTEGER - 500_000;
      beforeAll(async () => {
        h = await startFinanceHarness(backend, { merchantInitialBalance });
        caller = createCaller({ baseUrl: h.url, secret: SIGN_SECRET });
      });
      afterAll(async () => {
        await caller?.close();
        await h?.stop();
      });

      it('refuses a transfer whose account opening would take the issuer past the bound, and records nothing', async () => {
        const uid = h.id('late');
        const transferNo = h.id('TRF');
        const input = { transferNo, uid, amount: 10, notifyUrl: h.receiver.url('x') };
        expect(await codeOf(h.client.transfer(input))).toBe('VALIDATION_FAILED');
        expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchantInitialBalance);
        expect(await balanceOf(h, ISSUER_ACCOUNT)).toBe(-merchantInitialBalance);
        expect(await balanceOf(h, userAccount(uid))).toBeUndefined();
        expect(await h.client.queryOrder(transferNo)).toBeNull();
        await expectReadableBooks(h, caller);
      });
    });
  });
}
