/** `POST /finance/transfers/batch` on the wire: validation, signatures, faults, the client. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TRANSFER_BATCH } from '../../src/domain/ports.js';
import { createCaller } from '../../src/finance/http-caller.js';
import type { Caller } from '../../src/finance/http-caller.js';
import { signRequest } from '../../src/finance/signature.js';
import { MERCHANT_ACCOUNT, userAccount } from '../../src/finance/store/types.js';
import { SIGN_SECRET } from './support/finance-harness.js';
import type { FinanceHarness } from './support/finance-harness.js';
import type { Get } from './support/helpers.js';
import { balanceOf, codeOf, expectBooksBalanced, merchantOf, readWholeLedger } from './support/helpers.js';

const PATH = '/finance/transfers/batch';

export function transferBatchesHttpContract(get: Get) {
  describe('batch transfers over HTTP', () => {
    let caller: Caller;
    beforeAll(() => {
      caller = createCaller({ baseUrl: get().url, secret: SIGN_SECRET });
    });
    afterAll(async () => {
      await caller?.close();
    });
    afterEach(() => {
      get().finance.knobs.reset();
    });

    const item = (h: FinanceHarness, amount = 1) => ({ transferNo: h.id('BTF'), uid: h.id('u'), amount });

    it('answers 400 VALIDATION_FAILED and writes nothing to 201 items, repeated numbers, no items or a bad item', async () => {
      const h = get();
      const notifyUrl = h.receiver.url('x');
      const many = Array.from({ length: MAX_TRANSFER_BATCH + 1 }, () => item(h));
      const twice = item(h);
      const good = item(h);
      const bodies: Record<string, unknown>[] = [
        { transfers: many, notifyUrl },
        { transfers: [twice, good, { ...twice, amount: 2 }], notifyUrl },
        { transfers: [], notifyUrl },
        { transfers: [good, { ...item(h), amount: 0 }], notifyUrl },
        { transfers: [good, { ...item(h), notifyUrl }], notifyUrl },
        { transfers: [good, { ...item(h), uid: 'not a uid' }], notifyUrl },
        { transfers: [good], notifyUrl: 'ftp://x' },
        { transfers: [good], notifyUrl, extra: true },
        { transfers: [good] },
      ];
      const ledgerBefore = (await readWholeLedger(h, 2000)).length;
      for (const body of bodies) {
        const answer = await caller.send('POST', PATH, body);
        expect(answer.status, JSON.stringify(body).slice(0, 200)).toBe(400);
        expect(answer.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      }
      for (const no of [many[0]!.transferNo, many[200]!.transferNo, twice.transferNo, good.transferNo]) {
        expect(await h.client.queryOrder(no)).toBeNull();
      }
      expect(await balanceOf(h, userAccount(good.uid))).toBeUndefined();
      expect(await readWholeLedger(h, 2000)).toHaveLength(ledgerBefore);
    });

    it(`takes ${MAX_TRANSFER_BATCH} items in one call and answers them in input order`, async () => {
      const h = get();
      const batch = Array.from({ length: MAX_TRANSFER_BATCH }, (_, i) => item(h, i + 1));
      const merchant = await merchantOf(h);
      const answer = await caller.send('POST', PATH, { transfers: batch, notifyUrl: h.receiver.url('x') });
      expect(answer.status).toBe(200);
      const { results } = answer.body as { results: { order: { orderNo: string; status: string } }[] };
      expect(results.map((r) => [r.order.orderNo, r.order.status])).toEqual(
        batch.map((b) => [b.transferNo, 'succeeded']),
      );
      expect(await balanceOf(h, MERCHANT_ACCOUNT)).toBe(merchant - (MAX_TRANSFER_BATCH * 201) / 2);
      await expectBooksBalanced(h);
    });

    it('answers 401 INVALID_SIGNATURE to an unsigned, mis-signed or elsewhere-signed batch and stores nothing', async () => {
      const h = get();
      const one = item(h);
      const body = JSON.stringify({ transfers: [one], notifyUrl: h.receiver.url('x') });
      const cases: Record<string, string>[] = [
        {},
        signRequest('wrong-secret-wrong-secret', { method: 'POST', path: PATH, body }),
        signRequest(SIGN_SECRET, { method: 'POST', path: '/finance/transfers', body }),
      ];
      for (const headers of cases) {
        const res = await fetch(`${h.url}${PATH}`, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', ...headers },
        });
        expect(res.status).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_SIGNATURE');
      }
      expect(await h.client.queryOrder(one.transferNo)).toBeNull();
    });

    it('fails the whole batch before doing anything under failureRate, counted on its route', async () => {
      const h = get();
      h.finance.stats.reset();
      h.finance.knobs.set({ failureRate: 1 });
      const batch = [item(h), item(h)];
      const call = h.client.transferMany({ transfers: batch, notifyUrl: h.receiver.url('x') });
      expect(await codeOf(call)).toBe('DEPENDENCY_FAILED');
      expect(h.finance.stats.snapshot().routes[`POST ${PATH}`]).toEqual({ requests: 1, errors: 1 });
      h.finance.knobs.reset();
      expect(await h.client.queryOrder(batch[0]!.transferNo)).toBeNull();
      expect(await balanceOf(h, userAccount(batch[1]!.uid))).toBeUndefined();
    });

    it('commits the batch and still answers 503 under failAfterCommitRate, so a replay pays each item once', async () => {
      const h = get();
      const batch = [item(h, 40), item(h, 2)];
      const input = { transfers: batch, notifyUrl: h.receiver.url('x') };
      h.finance.knobs.set({ failAfterCommitRate: 1 });
      expect(await codeOf(h.client.transferMany(input))).toBe('DEPENDENCY_FAILED');
      h.finance.knobs.reset();
      const committed = await h.client.queryOrder(batch[0]!.transferNo);
      expect(committed?.status).toBe('succeeded');
      const results = await h.client.transferMany(input);
      expect(results[0]).toEqual({ order: committed });
      expect(await balanceOf(h, userAccount(batch[0]!.uid))).toBe(1_000_000 + 40);
      await expectBooksBalanced(h);
    });

    it('adds latencyMs to a batch call as to any other', async () => {
      const h = get();
      h.finance.knobs.set({ latencyMs: 120 });
      const started = performance.now();
      await h.client.transferMany({ transfers: [item(h)], notifyUrl: h.receiver.url('x') });
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    });

    it('sends only the wire fields of richer items from the client', async () => {
      const h = get();
      const rich = { ...item(h, 9), claimNo: 'C-1', packetId: 'p' };
      const [result] = await h.client.transferMany({ transfers: [rich], notifyUrl: h.receiver.url('x') });
      expect(result?.order).toMatchObject({ orderNo: rich.transferNo, amount: 9, status: 'succeeded' });
    });
  });
}
