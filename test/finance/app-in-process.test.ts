import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFinance } from '../../src/finance/create-finance.js';
import type { Finance } from '../../src/finance/create-finance.js';
import { signRequest } from '../../src/finance/signature.js';
import { JWT_SECRET, SIGN_SECRET } from './support/finance-harness.js';

describe('finance mounted in process', () => {
  let dir: string;
  let finance: Finance;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-finance-app-'));
    finance = await createFinance({
      store: { kind: 'sqlite', file: join(dir, 'nested', 'finance.db') },
      jwtSecret: JWT_SECRET,
      signSecret: SIGN_SECRET,
      publicUrl: 'https://pay.example.test/',
      log: () => {},
    });
  });
  afterAll(async () => {
    await finance?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const signedPost = (app: Hono, path: string, value: unknown) => {
    const body = JSON.stringify(value);
    return app.request(path, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        ...signRequest(SIGN_SECRET, { method: 'POST', path, body }),
      },
    });
  };

  it('serves its routes beside another app and builds cashier URLs from publicUrl', async () => {
    const parent = new Hono();
    parent.get('/v1/hello', (c) => c.json({ hello: true }));
    parent.route('/', finance.app);
    const res = await signedPost(parent, '/finance/pay-orders', {
      payOrderNo: 'PAY-mounted-1',
      payerUid: 'u1',
      amount: 10,
      subject: 's',
      notifyUrl: 'http://127.0.0.1:1/cb',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { cashierUrl: string; order: Record<string, unknown> };
    expect(body.cashierUrl).toBe('https://pay.example.test/finance/cashier/PAY-mounted-1/pay');
    expect(Object.keys(body.order).sort()).toEqual(
      ['amount', 'createdAt', 'kind', 'orderNo', 'payOrderNo', 'status', 'txnId', 'uid', 'updatedAt'].sort(),
    );
    expect((await parent.request('/v1/hello')).status).toBe(200);
  });

  it('keeps its JSON error shape when mounted', async () => {
    const parent = new Hono();
    parent.route('/', finance.app);
    const res = await parent.request('/finance/cashier/PAY-mounted-1/pay', { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
  });

  it('exempts the admin routes from injected failures, so a failing provider can be healed', async () => {
    finance.knobs.set({ failureRate: 1 });
    try {
      const path = '/finance/admin/knobs';
      const body = JSON.stringify({ failureRate: 0 });
      const res = await finance.app.request(path, {
        method: 'PUT',
        body,
        headers: {
          'content-type': 'application/json',
          ...signRequest(SIGN_SECRET, { method: 'PUT', path, body }),
        },
      });
      expect(res.status).toBe(200);
      expect(finance.knobs.get().failureRate).toBe(0);
    } finally {
      finance.knobs.reset();
    }
  });
});
