/**
 * Issue 18 items 5-11: the edges a bad-input sweep found, against a real serve (embedded store):
 * unstorable text, an over-size body, token times, the shadow lane's start, a strict callback,
 * slow clients, and who may read a packet.
 */
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/finance/signature.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import { startTestService, type TestService } from '../support/service.js';

let seq = 0;
const no = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}`;

/** Writes `chunks` on a raw connection, `gapMs` apart; resolves with all it read once it closed. */
function rawExchange(url: string, chunks: string[], gapMs: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let got = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (got += d));
    socket.on('error', () => {}); // a reset after the answer is the point of some of these
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
    const next = (i: number) => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i]!);
      timer = setTimeout(() => next(i + 1), gapMs);
    };
    socket.on('connect', () => next(0));
    setTimeout(() => reject(new Error(`no close in 60 s; read: ${got.slice(0, 200)}`)), 60_000).unref();
  });
}

describe('the edges of the HTTP API', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService('sqlite', {
      config: { headersTimeoutMs: 1_500, requestTimeoutMs: 2_000, maxTokenLifetimeSec: 2 * 24 * 3600 },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a NUL or a lone surrogate in text, and stores other text exactly', async () => {
    for (const greeting of ['a\u0000b', 'a\uD800b', '\uDC00']) {
      const r = await t.call('POST', '/v1/c2c/packets', {
        uid: 'alice',
        body: { outOrderNo: no('nul'), totalAmount: 100, totalCount: 1, greeting },
      });
      expect([r.status, r.body.error.code, r.body.error.details.fields]).toStrictEqual([
        400,
        'VALIDATION_FAILED',
        ['greeting'],
      ]);
    }
    const greeting = '恭喜发财 🧧 "quoted" \\ \u00e9';
    const ok = await t.call('POST', '/v1/c2c/packets', {
      uid: 'alice',
      body: { outOrderNo: no('txt'), totalAmount: 100, totalCount: 1, greeting },
    });
    expect(ok.status).toBe(201);
    expect((await t.call('GET', `/v1/packets/${ok.body.packetId}`, { uid: 'bob' })).body.greeting).toBe(
      greeting,
    );
  });

  it('answers an over-size body 400 with Connection: close, and closes after the answer', async () => {
    const big = JSON.stringify({ outOrderNo: 'x', pad: 'p'.repeat(70 * 1024) });
    const res = await fetch(`${t.url}/v1/c2c/packets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await t.token('alice')}` },
      body: big,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('connection')).toBe('close');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    const head = `POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n`;
    const got = await rawExchange(t.url, [head + big], 0);
    expect(got).toMatch(/^HTTP\/1\.1 400/);
    expect(got.toLowerCase()).toContain('connection: close');
  });

  it('refuses a token issued ahead of time, one over the configured lifetime, and one without iat', async () => {
    const secret = t.service.secret;
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      await sign({ sub: 'eve', iat: now + 3600, exp: now + 7200 }, secret, 'HS256'),
      await sign({ sub: 'eve', iat: now, exp: now + 3 * 24 * 3600 }, secret, 'HS256'),
      await sign({ sub: 'eve', exp: now + 60 }, secret, 'HS256'),
    ];
    // every route that reads a bearer token: ours, and finance's cashier and draw (issue 18)
    const routes = [
      ['GET', '/v1/me/balance'],
      ['POST', '/finance/cashier/no-such-order/pay'],
      ['POST', '/finance/rain/no-such-campaign/draw'],
    ] as const;
    for (const token of tokens) {
      for (const [method, path] of routes) {
        const r = await t.call(method, path, { headers: { authorization: `Bearer ${token}` } });
        expect([path, r.status, r.body.error.code]).toStrictEqual([path, 401, 'UNAUTHENTICATED']);
      }
    }
    const day = await sign({ sub: 'eve', iat: now, exp: now + 24 * 3600 }, secret, 'HS256');
    const answers = [];
    for (const [method, path] of routes)
      answers.push((await t.call(method, path, { headers: { authorization: `Bearer ${day}` } })).status);
    expect(answers[0]).toBe(200);
    expect(answers.slice(1)).not.toContain(401); // past the token check: the order, the campaign is unknown
  });

  it('starts the shadow lane only for an authenticated request', async () => {
    const shadowFiles = async () => (await readdir(t.dataDir)).filter((f) => f.includes('shadow'));
    expect(await shadowFiles()).toStrictEqual([]);
    const anonymous = await t.call('GET', '/v1/me/balance', { headers: { 'x-redpkt-shadow': '1' } });
    expect([anonymous.status, anonymous.body.error.code]).toStrictEqual([401, 'UNAUTHENTICATED']);
    const forged = await t.call('GET', '/healthz?x-redpkt-shadow=1', {
      headers: { authorization: 'Bearer not.a.token', 'x-admin-key': 'not-the-admin-key-at-all' },
    });
    expect(forged.status).toBe(401);
    expect(await shadowFiles()).toStrictEqual([]);
    const signedIn = await t.call('GET', '/v1/me/balance', {
      uid: 'alice',
      headers: { 'x-redpkt-shadow': '1' },
    });
    expect(signedIn.status).toBe(200);
    expect((await shadowFiles()).length).toBeGreaterThan(0);
  });

  it('refuses a signed callback with an unknown field or an impossible time', async () => {
    const now = Date.now();
    const order = {
      orderNo: no('o'),
      kind: 'payment',
      uid: 'alice',
      amount: 1,
      status: 'succeeded',
      txnId: 'T1',
      payOrderNo: null,
      createdAt: now,
      updatedAt: now,
    };
    const base = { eventId: no('e'), type: 'order.updated', sentAt: now, order };
    const secret = financeSignSecret(t.service.secret);
    for (const event of [
      { ...base, extra: 1 },
      { ...base, sentAt: -1 },
      { ...base, order: { ...order, note: 'x' } },
    ]) {
      const raw = JSON.stringify(event);
      const ts = String(Date.now());
      const r = await t.call('POST', '/v1/callbacks/finance', {
        raw,
        headers: { 'x-finance-timestamp': ts, 'x-finance-signature': signPayload(secret, raw, ts) },
      });
      expect([r.status, r.body.error.code]).toStrictEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('answers a trickling body and trickling headers 408 and closes, while claims keep succeeding', async () => {
    const id = await t.activePacket('alice', { outOrderNo: no('slow'), totalAmount: 1_000, totalCount: 20 });
    const body = JSON.stringify({ outOrderNo: no('trickle'), totalAmount: 100, totalCount: 1 });
    const head =
      `POST /v1/c2c/packets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${await t.token('alice')}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const slowBody = rawExchange(t.url, [head, ...body.split('')], 300);
    const slowHeaders = rawExchange(t.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n'.split(''), 300);
    const claims = [];
    for (let i = 0; i < 10; i++) {
      claims.push(await t.claim(id, `fast${i}`));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(claims.map((c) => c.status)).toStrictEqual(Array(10).fill(200));
    for (const got of await Promise.all([slowBody, slowHeaders])) {
      expect(got).toMatch(/^HTTP\/1\.1 408/);
      expect(got.toLowerCase()).toContain('connection: close');
      expect(JSON.parse(got.slice(got.indexOf('\r\n\r\n') + 4)).error.code).toBe('REQUEST_TIMEOUT');
    }
  });

  it('lets a client still sending its body read the 408 and a clean close, not a reset; the request is not acted on', async () => {
    const outOrderNo = no('late-body');
    const packet = { outOrderNo, totalAmount: 100, totalCount: 1, greeting: 'x'.repeat(140) };
    const body = JSON.stringify(packet);
    const { hostname, port } = new URL(t.url);
    // half-open allowed: the server's FIN after its answer does not stop this client sending
    const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
    const seen = await new Promise<{ got: string; error: string | undefined }>((resolve) => {
      let got = '';
      let error: string | undefined;
      let sent = 0;
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (got += d));
      socket.on('error', (e: Error & { code?: string }) => (error = e.code ?? e.message));
      socket.on('close', () => resolve({ got, error }));
      socket.on('connect', async () => {
        socket.write(
          `POST /v1/c2c/packets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${await t.token('alice')}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        // the body starts after the request timeout, and goes on past the answer, as a busy client's would
        await new Promise((r) => setTimeout(r, 2_500));
        const tick = setInterval(() => {
          if (socket.destroyed) return clearInterval(tick);
          if (sent >= body.length) {
            clearInterval(tick);
            return void socket.end();
          }
          socket.write(body.slice(sent, (sent += 20)));
        }, 50);
      });
    });
    expect(seen.got).toMatch(/^HTTP\/1\.1 408/);
    expect(seen.error).toBeUndefined();
    // that request was never acted on: the same order is new when sent again
    const again = await t.call('POST', '/v1/c2c/packets', { uid: 'alice', body: packet });
    expect([again.status, again.body.created]).toStrictEqual([201, true]);
    // and the server answers as ever
    expect((await t.call('GET', '/healthz')).status).toBe(200);
  });

  it('lets any signed-in user read a packet and its claims by id, and the sender claim their own', async () => {
    const id = await t.activePacket('sam', { outOrderNo: no('read'), totalAmount: 300, totalCount: 3 });
    expect((await t.claim(id, 'sam')).status).toBe(200);
    expect((await t.claim(id, 'tom')).status).toBe(200);
    const stranger = await t.call('GET', `/v1/packets/${id}/claims`, { uid: 'stranger' });
    expect(stranger.status).toBe(200);
    expect(stranger.body.claims.map((c: { uid: string }) => c.uid).sort()).toStrictEqual(['sam', 'tom']);
    expect((await t.call('GET', `/v1/packets/${id}`, { uid: 'stranger' })).status).toBe(200);
    expect((await t.call('GET', `/v1/packets/${id}`, {})).status).toBe(401);
    expect((await t.call('GET', `/v1/packets/${id}/claims`, {})).status).toBe(401);
  });
});
