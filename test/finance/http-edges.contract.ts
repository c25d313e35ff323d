import { describe, expect, it } from 'vitest';
import { createFinanceClient } from '../../src/finance/client.js';
import { signRequest } from '../../src/finance/signature.js';
import { SIGN_SECRET } from './support/finance-harness.js';
import type { Get } from './support/helpers.js';
import { codeOf } from './support/helpers.js';

export function httpEdgesContract(get: Get) {
  describe('HTTP edges', () => {
    /** A request signed by hand, so tests can break exactly one thing. */
    const send = async (method: string, path: string, body: string, headers: Record<string, string>) => {
      const h = get();
      const res = await fetch(`${h.url}${path}`, {
        method,
        body: method === 'GET' ? null : body,
        headers: { 'content-type': 'application/json', ...headers },
      });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    };

    it('answers 401 INVALID_SIGNATURE to unsigned, mis-signed, stale or replayed-elsewhere service calls', async () => {
      const h = get();
      const body = JSON.stringify({
        transferNo: h.id('TRF'),
        uid: h.id('u'),
        amount: 1,
        notifyUrl: h.receiver.url('x'),
      });
      const path = '/finance/transfers';
      const good = signRequest(SIGN_SECRET, { method: 'POST', path, body });
      const cases: Array<[string, Record<string, string>, string]> = [
        [path, {}, body],
        [path, signRequest('wrong-secret-wrong-secret', { method: 'POST', path, body }), body],
        [path, good, body.replace('"amount":1', '"amount":1000')],
        [path, signRequest(SIGN_SECRET, { method: 'POST', path, body }, Date.now() - 10 * 60_000), body],
        ['/finance/refunds', good, body],
      ];
      for (const [p, headers, b] of cases) {
        const res = await send('POST', p, b, headers);
        expect(res.status).toBe(401);
        expect(res.body.error?.code).toBe('INVALID_SIGNATURE');
      }
      const wrong = createFinanceClient({ baseUrl: h.url, secret: 'wrong-secret-wrong-secret' });
      try {
        expect(await codeOf(wrong.queryOrder('x'))).toBe('INVALID_SIGNATURE');
        expect(await codeOf(wrong.listLedger())).toBe('INVALID_SIGNATURE');
      } finally {
        await wrong.close();
      }
      expect((await send('POST', path, body, good)).status).toBe(200);
    });

    it('answers 400 VALIDATION_FAILED, never 500, to malformed bodies and queries', async () => {
      const h = get();
      const notifyUrl = h.receiver.url('x');
      const bodies = [
        'not json',
        '[]',
        JSON.stringify({ transferNo: h.id('T'), uid: 'u1', amount: -5, notifyUrl }),
        JSON.stringify({ transferNo: h.id('T'), uid: 'u1', amount: 1.5, notifyUrl }),
        JSON.stringify({ transferNo: h.id('T'), uid: 'u1', amount: '100', notifyUrl }),
        JSON.stringify({ transferNo: h.id('T'), uid: 'u1', amount: 1, notifyUrl: 'ftp://x' }),
        JSON.stringify({ transferNo: 'has space', uid: 'u1', amount: 1, notifyUrl }),
        JSON.stringify({ transferNo: h.id('T'), uid: 'u1', amount: 1, notifyUrl, extra: true }),
      ];
      for (const body of bodies) {
        const res = await send(
          'POST',
          '/finance/transfers',
          body,
          signRequest(SIGN_SECRET, { method: 'POST', path: '/finance/transfers', body }),
        );
        expect(res.status, body).toBe(400);
        expect(res.body.error?.code).toBe('VALIDATION_FAILED');
      }
      const path = '/finance/ledger?limit=0';
      const res = await send('GET', path, '', signRequest(SIGN_SECRET, { method: 'GET', path, body: '' }));
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe('VALIDATION_FAILED');
    });

    it('answers 404 ORDER_NOT_FOUND for an unknown order, which the client reads as null', async () => {
      const h = get();
      const orderNo = h.id('ghost');
      const path = `/finance/orders/${orderNo}`;
      const res = await send('GET', path, '', signRequest(SIGN_SECRET, { method: 'GET', path, body: '' }));
      expect(res).toEqual({
        status: 404,
        body: { error: { code: 'ORDER_NOT_FOUND', message: expect.any(String) } },
      });
      expect(await h.client.queryOrder(orderNo)).toBeNull();
      expect(await h.client.getAccount(`user:${h.id('never')}`)).toBeNull();
    });

    it('reports a provider that is not listening as DEPENDENCY_FAILED', async () => {
      const gone = createFinanceClient({
        baseUrl: 'http://127.0.0.1:9',
        secret: SIGN_SECRET,
        timeoutMs: 1_000,
      });
      try {
        expect(
          await codeOf(
            gone.transfer({ transferNo: 'T1', uid: 'u', amount: 1, notifyUrl: 'http://127.0.0.1:9/x' }),
          ),
        ).toBe('DEPENDENCY_FAILED');
      } finally {
        await gone.close();
      }
    });
  });
}
