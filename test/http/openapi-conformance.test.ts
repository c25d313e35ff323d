/**
 * Issue 18 item 4: the C2C and B2C flows end to end against a real serve, every answer (status,
 * content type, body) checked against the document that serve itself serves. An undeclared status
 * fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/finance/signature.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import { createOpenApiValidator, type Answer } from '../support/openapi-validator.js';
import { startTestService, type TestService } from '../support/service.js';

let seq = 0;
const no = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('every answer conforms to the served OpenAPI document', () => {
  let t: TestService;
  let validator: ReturnType<typeof createOpenApiValidator>;
  const answers: Answer[] = [];

  /** One request as a client makes it; its answer is recorded for the check. */
  async function send(
    method: string,
    path: string,
    opts: { uid?: string; body?: unknown; headers?: Record<string, string>; signed?: boolean } = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any }> {
    const raw = opts.body === undefined ? '' : JSON.stringify(opts.body);
    const headers: Record<string, string> = { ...opts.headers };
    if (raw) headers['content-type'] = 'application/json';
    if (opts.uid) headers.authorization = `Bearer ${await t.token(opts.uid)}`;
    if (opts.signed)
      Object.assign(headers, signRequest(financeSignSecret(t.service.secret), { method, path, body: raw }));
    const res = await fetch(`${t.url}${path}`, { method, headers, ...(raw ? { body: raw } : {}) });
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    const body: unknown = contentType?.startsWith('application/json') ? JSON.parse(text) : text;
    answers.push({ method, path: path.split('?')[0]!, status: res.status, contentType, body });
    return { status: res.status, body };
  }

  async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = await get();
      if (ok(v)) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    t = await startTestService('sqlite');
    validator = createOpenApiValidator((await send('GET', '/openapi.json')).body);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('drives C2C: send, replay, pay, claim, read, and the errors on the way', async () => {
    expect((await send('GET', '/healthz')).status).toBe(200);
    expect((await send('GET', '/metrics')).status).toBe(200);
    const body = { outOrderNo: no('c2c'), totalAmount: 300, totalCount: 3, greeting: 'hi' };
    const created = await send('POST', '/v1/c2c/packets', { uid: 'alice', body });
    expect(created.status).toBe(201);
    expect((await send('POST', '/v1/c2c/packets', { uid: 'alice', body })).status).toBe(200);
    const conflict = await send('POST', '/v1/c2c/packets', {
      uid: 'alice',
      body: { ...body, totalAmount: 301 },
    });
    expect(conflict.status).toBe(409);
    expect((await send('POST', '/v1/c2c/packets', { body })).status).toBe(401);
    const bad = await send('POST', '/v1/c2c/packets', {
      uid: 'alice',
      body: { ...body, totalCount: 10_001 },
    });
    expect([bad.status, bad.body.error.details.fields]).toStrictEqual([400, ['totalCount']]);
    const id: string = created.body.packetId;
    expect((await send('POST', `/v1/packets/${id}/claims`, { uid: 'bob' })).status).toBe(409);
    expect(
      (await send('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, { uid: 'alice' })).status,
    ).toBe(200);
    await until(
      'the packet to become active',
      () => send('GET', `/v1/packets/${id}`, { uid: 'bob' }),
      (r) => r.body.status === 'active',
    );
    for (const uid of ['bob', 'carol', 'alice'])
      expect((await send('POST', `/v1/packets/${id}/claims`, { uid })).status).toBe(200);
    expect((await send('POST', `/v1/packets/${id}/claims`, { uid: 'bob' })).status).toBe(200); // replay
    expect((await send('POST', `/v1/packets/${id}/claims`, { uid: 'dave' })).status).toBe(409);
    expect((await send('GET', `/v1/packets/${id}/claims`, { uid: 'erin' })).status).toBe(200);
    expect((await send('GET', '/v1/packets/not-an-id', { uid: 'bob' })).status).toBe(400);
    expect((await send('GET', `/v1/packets/P00${'0'.repeat(21)}`, { uid: 'bob' })).status).toBe(404);
    // the operators' API and the signed finance API answer as documented too
    const admin = { 'x-admin-key': t.service.ops.adminKey };
    expect((await send('GET', '/admin/switches', { headers: admin })).status).toBe(200);
    expect((await send('GET', '/admin/audit?limit=5', { headers: admin })).status).toBe(200);
    expect((await send('GET', '/admin/switches')).status).toBe(401);
    expect((await send('GET', `/finance/orders/${created.body.payOrderNo}`, { signed: true })).status).toBe(
      200,
    );
    expect((await send('GET', '/finance/ledger?limit=5', { signed: true })).status).toBe(200);
    expect((await send('GET', '/finance/admin/knobs', { signed: true })).status).toBe(200);
    expect((await send('GET', '/finance/admin/books', { signed: true })).status).toBe(200);
    expect((await send('GET', '/finance/admin/knobs')).status).toBe(401);
  });

  it('drives B2C: campaign, draw, my subsidies, send, replay, claim, balance, withdrawal', async () => {
    const campaign = no('camp');
    const config = { budget: 1_000_000, probability: 1, minAmount: 300, maxAmount: 300, tokenTtlSec: 3600 };
    const path = `/finance/admin/rain/campaigns/${campaign}`;
    expect((await send('PUT', path, { signed: true, body: config })).status).toBe(200);
    expect((await send('GET', path, { signed: true })).status).toBe(200);
    const drawn = await send('POST', `/finance/rain/${campaign}/draw`, { uid: 'gina' });
    expect([drawn.status, drawn.body.won]).toStrictEqual([200, true]);
    await until(
      'the grant in my subsidies',
      () => send('GET', '/v1/subsidies', { uid: 'gina' }),
      (r) => r.status === 200 && r.body.subsidies.length > 0,
    );
    const body = { outOrderNo: no('b2c'), subsidyToken: drawn.body.grant.token, totalCount: 3 };
    const sent = await send('POST', '/v1/b2c/packets', { uid: 'gina', body });
    expect(sent.status).toBe(201);
    expect((await send('POST', '/v1/b2c/packets', { uid: 'gina', body })).status).toBe(200);
    const other = await send('POST', '/v1/b2c/packets', {
      uid: 'hank',
      body: { ...body, outOrderNo: no('b2c') },
    });
    expect(other.status).toBe(403);
    const claim = await send('POST', `/v1/packets/${sent.body.packetId}/claims`, { uid: 'ivan' });
    expect(claim.status).toBe(200);
    await until(
      'the share in my balance',
      () => send('GET', '/v1/me/balance', { uid: 'ivan' }),
      (r) => r.body.available === claim.body.amount,
    );
    const w = { outOrderNo: no('w'), amount: claim.body.amount };
    expect((await send('POST', '/v1/me/withdrawals', { uid: 'ivan', body: w })).status).toBe(201);
    expect((await send('POST', '/v1/me/withdrawals', { uid: 'ivan', body: w })).status).toBe(200);
    const over = { outOrderNo: no('w'), amount: 1 };
    expect((await send('POST', '/v1/me/withdrawals', { uid: 'ivan', body: over })).status).toBe(409);
    expect((await send('GET', '/v1/me/withdrawals', { uid: 'ivan' })).status).toBe(200);
    expect((await send('GET', `/finance/rain/tokens?uid=gina`, { signed: true })).status).toBe(200);
  });

  it('found every answer above declared in the document, body and all', () => {
    expect(answers.length).toBeGreaterThan(40);
    expect(answers.flatMap((a) => validator.check(a))).toStrictEqual([]);
  });

  it('describes every route finance serves', () => {
    const served = t.service.finance.app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served.filter((r) => !validator.operations().includes(r))).toStrictEqual([]);
  });

  it('fails an undeclared status, a wrong content type and a body off its schema', () => {
    const base = { method: 'GET', path: '/healthz', contentType: 'application/json', body: { ok: true } };
    expect(validator.check({ ...base, status: 200 })).toStrictEqual([]);
    expect(validator.check({ ...base, status: 500 })).toHaveLength(1);
    expect(validator.check({ ...base, status: 200, contentType: 'text/html' })).toHaveLength(1);
    expect(validator.check({ ...base, status: 200, body: { ok: 'yes' } })).toHaveLength(1);
    expect(validator.check({ ...base, path: '/nowhere', status: 200 })).toHaveLength(1);
    const packet = { ...base, path: `/v1/packets/P00${'0'.repeat(21)}`, status: 200 };
    expect(validator.check({ ...packet, body: { packetId: 'P' } })).toHaveLength(1);
    const error = { error: { code: 'PACKET_NOT_FOUND', message: 'no' } };
    expect(validator.check({ ...packet, status: 404, body: error })).toStrictEqual([]);
    const wrongCode = { error: { code: 'PACKET_EXHAUSTED', message: 'no' } };
    expect(validator.check({ ...packet, status: 404, body: wrongCode })).toHaveLength(1);
  });
});
