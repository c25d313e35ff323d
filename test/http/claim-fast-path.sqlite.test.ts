/**
 * Issue 25: the claim's fast path (src/server/claim-fast-path.ts) answers exactly as the claim
 * through Hono did. Two services side by side, one with the fast path (the default) and one
 * without (`claimFastPath: false`), get the same requests; their answers' statuses, headers and
 * bodies are compared, and so are the claim route's metrics.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.js';

interface Raw {
  status: number;
  /** Header names as sent (case and order kept), values; Date's and the request id's masked. */
  headers: [string, string][];
  body: string;
}

/** Values that differ between two answers by nature: the time, a made request id, a claim's own fields. */
const MASKED = new Set(['date', 'x-request-id', 'content-length']);

function send(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Raw> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const pairs: [string, string][] = [];
        for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks).toString() });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const masked = (r: Raw) => r.headers.map(([k, v]) => [k, MASKED.has(k.toLowerCase()) ? '*' : v]);
const headerOf = (r: Raw, name: string) => r.headers.find(([k]) => k.toLowerCase() === name)?.[1];

describe('the claim fast path', () => {
  let fast: TestService;
  let hono: TestService;
  const agents = { fast: new Agent({ keepAlive: true }), hono: new Agent({ keepAlive: true }) };
  const adminKey = (t: TestService) => t.service.ops.adminKey;

  beforeAll(async () => {
    [fast, hono] = await Promise.all([
      startTestService('sqlite'),
      startTestService('sqlite', { opts: { claimFastPath: false } }),
    ]);
  });
  afterAll(async () => {
    agents.fast.destroy();
    agents.hono.destroy();
    await Promise.all([fast?.stop(), hono?.stop()]);
  });

  /** The same request to both services: [fast, hono]. */
  async function both(
    method: string,
    path: (t: TestService) => string,
    headers: (t: TestService) => Promise<Record<string, string>> | Record<string, string> = () => ({}),
    body?: string,
  ): Promise<[Raw, Raw]> {
    return Promise.all([
      send(agents.fast, fast.url, method, path(fast), await headers(fast), body),
      send(agents.hono, hono.url, method, path(hono), await headers(hono), body),
    ]);
  }

  /** Same status, same header names/order/values (bar the masked ones), same body. */
  function expectSame([a, b]: [Raw, Raw]) {
    expect(masked(a)).toStrictEqual(masked(b));
    expect(a.status).toBe(b.status);
    expect(a.body).toBe(b.body);
    expect(headerOf(a, 'content-length')).toBe(String(Buffer.byteLength(a.body)));
    expect(a.status).not.toBe(500);
  }

  const bearer = (uid: string) => async (t: TestService) => ({
    authorization: `Bearer ${await t.token(uid)}`,
  });
  const packet = (t: TestService, total = 3) =>
    t.activePacket('fp-sender', {
      outOrderNo: `fp-${Math.random().toString(36).slice(2)}`,
      totalAmount: 300,
      totalCount: total,
    });

  it('answers a claim with the same headers and body shape, and the same retry with created false', async () => {
    const ids = new Map([
      [fast, await packet(fast)],
      [hono, await packet(hono)],
    ]);
    const path = (t: TestService) => `/v1/packets/${ids.get(t)}/claims`;
    const first = await both('POST', path, bearer('fp-alice'));
    expect(masked(first[0])).toStrictEqual(masked(first[1]));
    expect(first.map((r) => r.status)).toStrictEqual([200, 200]);
    const [a, b] = first.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(Object.keys(a!)).toStrictEqual(Object.keys(b!));
    expect(a).toMatchObject({ packetId: ids.get(fast), remainingCount: 2, created: true });
    expect(headerOf(first[0], 'content-length')).toBe(String(Buffer.byteLength(first[0].body)));
    expect(headerOf(first[0], 'connection')).toBe('keep-alive');
    // the same claimer again: the stored claim, created false, on the same kept-alive connection
    const again = await both('POST', path, bearer('fp-alice'));
    // (its status may have moved on meanwhile: the worker transfers it)
    expect({ ...JSON.parse(again[0].body), status: 'any' }).toStrictEqual({
      ...a,
      created: false,
      status: 'any',
    });
    expect(masked(again[0])).toStrictEqual(masked(again[1]));
    // a claimer's own request id is echoed
    const [withId] = await both('POST', path, async (t) => ({
      ...(await bearer('fp-bob')(t)),
      'x-request-id': 'client-id-1',
    }));
    expect(headerOf(withId, 'x-request-id')).toBe('client-id-1');
  });

  it.each([
    ['no token', () => ({})],
    ['a malformed Authorization header', () => ({ authorization: 'Basic abc' })],
    [
      'a tampered token',
      async (t: TestService) => {
        const token = await t.token('fp-mallory');
        return { authorization: `Bearer ${token.slice(0, -2)}${token.endsWith('A') ? 'BB' : 'AA'}` };
      },
    ],
    [
      'two Authorization headers',
      async (t: TestService) => ({ authorization: [`Bearer ${await t.token('a')}`, 'Bearer x'] as never }),
    ],
  ])('refuses a claim with %s as Hono did', async (_what, headers) => {
    const id = 'P01' + '0'.repeat(21);
    const r = await both('POST', () => `/v1/packets/${id}/claims`, headers);
    expectSame(r);
    expect(r[0].status).toBe(401);
  });

  it.each([
    ['a malformed packet id', '/v1/packets/nope/claims', 400],
    ['an unknown packet id', `/v1/packets/P01${'0'.repeat(21)}/claims`, 404],
    ['a percent-encoded id', '/v1/packets/P01%30/claims', 400],
    ['a query string', `/v1/packets/P01${'0'.repeat(21)}/claims?x=1`, 404],
    ['a trailing slash', `/v1/packets/P01${'0'.repeat(21)}/claims/`, 404],
  ])('answers %s as Hono did', async (_what, path, status) => {
    const r = await both('POST', () => path, bearer('fp-carol'));
    expectSame(r);
    expect(r[0].status).toBe(status);
  });

  it.each([
    ['bad JSON', { 'content-type': 'application/json' }, '{not json'],
    ['another content type', { 'content-type': 'text/plain' }, 'hello'],
    ['an empty JSON object', { 'content-type': 'application/json' }, '{}'],
    ['a body over the limit', { 'content-type': 'application/json' }, 'x'.repeat(70 * 1024)],
  ])('answers a claim with %s as Hono did', async (_what, headers, body) => {
    const r = await both(
      'POST',
      () => `/v1/packets/P01${'0'.repeat(21)}/claims`,
      async (t) => ({
        ...headers,
        ...(await bearer('fp-dave')(t)),
      }),
      body,
    );
    expectSame(r);
  });

  it('leaves HEAD, GET and other methods on the claim path to Hono', async () => {
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
      const r = await both(method, () => `/v1/packets/P01${'0'.repeat(21)}/claims`, bearer('fp-erin'));
      expect(masked(r[0])).toStrictEqual(masked(r[1]));
      expect(r[0].status).toBe(r[1].status);
      expect(r[0].body).toBe(r[1].body);
    }
  });

  it('refuses claims over the endpoint limit with 429 and Retry-After as Hono did', async () => {
    const set = (t: TestService, perSecond: number | null) =>
      t.call('PUT', '/admin/switches/limit/claim', {
        headers: { 'x-admin-key': adminKey(t) },
        body: { perSecond },
      });
    await Promise.all([set(fast, 1), set(hono, 1)]);
    try {
      const limited: [Raw, Raw][] = [];
      for (let i = 0; i < 5; i++) {
        const r = await both('POST', () => `/v1/packets/P01${'0'.repeat(21)}/claims`, bearer('fp-frank'));
        if (r[0].status === 429 && r[1].status === 429) limited.push(r);
      }
      expect(limited.length).toBeGreaterThan(0);
      for (const [a, b] of limited) {
        expect(masked(a)).toStrictEqual(masked(b));
        expect(headerOf(a, 'retry-after')).toBe('1');
        expect(JSON.parse(a.body)).toMatchObject({
          error: { code: 'RATE_LIMITED', details: { endpoint: 'claim' } },
        });
      }
    } finally {
      await Promise.all([set(fast, null), set(hono, null)]);
    }
  });

  it('refuses claims while the claim endpoint is degraded as Hono did', async () => {
    const set = (t: TestService, on: boolean) =>
      t.call('PUT', '/admin/switches/degrade/claim', {
        headers: { 'x-admin-key': adminKey(t) },
        body: { on },
      });
    await Promise.all([set(fast, true), set(hono, true)]);
    try {
      const r = await both('POST', () => `/v1/packets/P01${'0'.repeat(21)}/claims`, bearer('fp-gina'));
      expectSame(r);
      expect(r[0].status).toBe(503);
    } finally {
      await Promise.all([set(fast, false), set(hono, false)]);
    }
  });

  it("refuses a burst over the packet's limit with 429 as Hono did, and counts it", async () => {
    // an unpaid packet of one share: the limiter knows its count from the send (2 attempts a
    // window), its claims are refused (PACKET_NOT_ACTIVE) and never teach it otherwise
    const unpaid = async (t: TestService) => {
      const body = {
        outOrderNo: `fp-unpaid-${Math.random().toString(36).slice(2)}`,
        totalAmount: 100,
        totalCount: 1,
      };
      return (await t.call('POST', '/v1/c2c/packets', { uid: 'fp-sender', body })).body.packetId as string;
    };
    const burst = async (t: TestService, agent: Agent) => {
      const id = await unpaid(t);
      const headers = await Promise.all(Array.from({ length: 30 }, (_, i) => bearer(`fp-burst${i}`)(t)));
      return Promise.all(headers.map((h) => send(agent, t.url, 'POST', `/v1/packets/${id}/claims`, h)));
    };
    const [a, b] = await Promise.all([burst(fast, agents.fast), burst(hono, agents.hono)]);
    for (const r of [...a, ...b]) expect([409, 429]).toContain(r.status);
    const limitedA = a.filter((r) => r.status === 429);
    const limitedB = b.filter((r) => r.status === 429);
    expect(limitedA.length).toBeGreaterThan(0);
    expect(limitedB.length).toBeGreaterThan(0);
    expect(masked(limitedA[0]!)).toStrictEqual(masked(limitedB[0]!));
    const shape = (r: Raw) => {
      const body = JSON.parse(r.body) as { error: Record<string, unknown> };
      return { ...body.error, retryAfterMs: typeof body.error.retryAfterMs };
    };
    expect(shape(limitedA[0]!)).toStrictEqual(shape(limitedB[0]!));
    expect(shape(limitedA[0]!)).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 'number' });
    // the per-packet limiter's refusals are counted as they were
    const rejected = async (t: TestService) => {
      const text = (await t.call('GET', '/metrics')).body as string;
      return Number(
        /redpkt_limiter_rejections_total\{limiter="packet",endpoint="claim"\} (\d+)/.exec(text)?.[1] ?? 0,
      );
    };
    expect(await rejected(fast)).toBe(limitedA.length);
    expect(await rejected(hono)).toBe(limitedB.length);
  });

  it('counts every claim in the request metrics and the duration histogram as Hono did', async () => {
    const claimLines = async (t: TestService) => {
      const text = (await t.call('GET', '/metrics')).body as string;
      return text
        .split('\n')
        .filter((l) => l.includes('route="/v1/packets/:id/claims"') && l.includes('method="POST"'))
        .filter((l) => l.startsWith('redpkt_http_requests_total') || l.includes('_count'))
        .map((l) => l.replace(/ \d+(\.\d+)?(e[-+]?\d+)?$/, ''));
    };
    // the same requests were made of both (bar the bursts' split between 200, 409 and 429)
    const [fastLines, honoLines] = await Promise.all([claimLines(fast), claimLines(hono)]);
    expect(fastLines).toStrictEqual(honoLines);
    const count = async (t: TestService, code: string) => {
      const text = (await t.call('GET', '/metrics')).body as string;
      const re = new RegExp(
        `redpkt_http_requests_total\\{[^}]*route="/v1/packets/:id/claims"[^}]*code="${code}"[^}]*\\} (\\d+)`,
      );
      const m =
        re.exec(text) ??
        new RegExp(
          `redpkt_http_requests_total\\{[^}]*code="${code}"[^}]*route="/v1/packets/:id/claims"[^}]*\\} (\\d+)`,
        ).exec(text);
      return Number(m?.[1] ?? 0);
    };
    expect(await count(fast, '401')).toBe(await count(hono, '401'));
    expect(await count(fast, '404')).toBe(await count(hono, '404'));
    expect(await count(fast, '401')).toBeGreaterThan(0);
  });
});
