/**
 * The gateway as a reverse proxy, in front of stand-in cores (real HTTP servers, no database):
 * what it forwards and returns, where each request goes, and what it does when a core refuses,
 * dies with a request in hand, or never answers.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { sign } from 'hono/jwt';
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import type { ServeConfig } from '../../src/config/serve-config.js';
import { createMemoryClaimLimiter } from '../../src/cache/memory-claim-limiter.js';
import { createClaimGate } from '../../src/gateway/claim-gate.js';
import { createCoreSet } from '../../src/gateway/core-set.js';
import { CORE_HEADER, createGatewayHandler } from '../../src/gateway/gateway-handler.js';
import { createCoreRouter } from '../../src/gateway/core-router.js';
import { createRendezvous } from '../../src/gateway/rendezvous.js';
import { listenHttp } from '../../src/runtime/http-listener.js';
import { startTestGateway } from './test-gateway.js';
import {
  dropConnection,
  echo,
  freePort,
  hang,
  packetOwnedBy,
  startFakeCore,
  type FakeCore,
} from './fake-core.js';

const SECRET = 'gateway-test-secret-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeCores(n: number): Promise<FakeCore[]> {
  const cores: FakeCore[] = [];
  for (let i = 0; i < n; i++) {
    const core = await startFakeCore();
    cleanups.push(() => core.close());
    cores.push(core);
  }
  return cores;
}

async function gateway(origins: string[], extra: Partial<ServeConfig> = {}) {
  const gw = await startTestGateway(origins, SECRET, { claimLimiter: false, ...extra });
  cleanups.push(() => gw.close());
  return gw;
}

async function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const until = async (what: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the gateway forwards requests as they came', () => {
  it('passes method, path, query, headers and body, and returns status, headers and body', async () => {
    const [core] = await fakeCores(1);
    core!.behave((req, res) => {
      res.writeHead(201, [
        ['content-type', 'application/json'],
        ['x-request-id', String(req.headers['x-request-id'])],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ]);
      res.end(JSON.stringify(req));
    });
    const gw = await gateway([core!.url]);
    const r = await send(
      gw.url,
      'POST',
      '/v1/c2c/packets?trace=1&x=%20y',
      {
        authorization: 'Bearer abc.def.ghi',
        'x-request-id': 'req-42',
        'x-redpkt-shadow': '1',
        'content-type': 'application/json',
      },
      '{"outOrderNo":"o-1","totalAmount":100}',
    );
    expect(r.status).toBe(201);
    expect(r.headers.get('x-request-id')).toBe('req-42');
    expect(r.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(r.headers.get(CORE_HEADER)).toBe(core!.url);
    expect(r.json).toMatchObject({
      method: 'POST',
      url: '/v1/c2c/packets?trace=1&x=%20y',
      body: '{"outOrderNo":"o-1","totalAmount":100}',
      headers: {
        authorization: 'Bearer abc.def.ghi',
        'x-request-id': 'req-42',
        'x-redpkt-shadow': '1',
        'content-type': 'application/json',
        host: new URL(core!.url).host,
      },
    });
  });

  it('refuses a body above 64 KiB itself, forwarding nothing', async () => {
    const [core] = await fakeCores(1);
    const gw = await gateway([core!.url]);
    const r = await send(
      gw.url,
      'POST',
      '/v1/c2c/packets',
      { 'content-type': 'application/json' },
      'x'.repeat(70_000),
    );
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'request body too large' } });
    expect(core!.received).toHaveLength(0);
  });

  it('reads a chunked body (no length given) off the stream: forwarded whole below 64 KiB, refused above', async () => {
    const [core] = await fakeCores(1);
    const gw = await gateway([core!.url]);
    // written in pieces with no content-length: Node sends it chunked, the gateway counts as it reads
    const chunked = (pieces: string[]) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(`${gw.url}/v1/c2c/packets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
        });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        });
        req.on('error', reject);
        for (const p of pieces) req.write(p);
        req.end();
      });
    const small = await chunked(['{"outOrderNo":', '"o-2"}']);
    expect(small.status).toBe(200);
    expect(core!.received).toHaveLength(1);
    expect(core!.received[0]!.body).toBe('{"outOrderNo":"o-2"}');
    const large = await chunked(Array.from({ length: 5 }, () => 'x'.repeat(16_000)));
    expect(large.status).toBe(400);
    expect(JSON.parse(large.text)).toEqual({
      error: { code: 'VALIDATION_FAILED', message: 'request body too large' },
    });
    expect(core!.received).toHaveLength(1);
  });
});

describe('the gateway routes by packet id', () => {
  it('sends every request of a packet to its top-ranked core, and the rest round robin', async () => {
    const cores = await fakeCores(3);
    const origins = cores.map((c) => c.url);
    const gw = await gateway(origins);
    const ranking = createRendezvous(origins);
    const seen = new Set<string>();
    for (let k = 0; k < 12; k++) {
      const id = packetOwnedBy(origins, k % 3);
      for (const [method, path] of [
        ['GET', `/v1/packets/${id}`],
        ['POST', `/v1/packets/${id}/claims`],
        ['GET', `/v1/packets/${id}/claims`],
      ] as const) {
        const r = await send(gw.url, method, path);
        expect(r.headers.get(CORE_HEADER)).toBe(origins[ranking.rank(id)[0]!]);
        seen.add(r.headers.get(CORE_HEADER)!);
      }
    }
    expect(seen.size).toBe(3);
    const before = cores.map((c) => c.received.length);
    for (let k = 0; k < 9; k++) expect((await send(gw.url, 'GET', '/v1/subsidies')).status).toBe(200);
    expect(cores.map((c, i) => c.received.length - before[i]!)).toEqual([3, 3, 3]);
  });
});

describe('the gateway fails over', () => {
  it('marks a refusing core down, goes to the next in the ranking, and takes it back once healthy', async () => {
    const [b] = await fakeCores(1);
    const port = await freePort();
    const deadUrl = `http://127.0.0.1:${port}`;
    const origins = [deadUrl, b!.url];
    const gw = await gateway(origins);
    const id = packetOwnedBy(origins, 0);
    const r = await send(gw.url, 'POST', `/v1/packets/${id}/claims`);
    expect([r.status, r.headers.get(CORE_HEADER)]).toEqual([200, b!.url]);
    const health = await send(gw.url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json.cores).toEqual([
      expect.objectContaining({ url: deadUrl, up: false, reason: expect.stringMatching(/ECONNREFUSED/) }),
      expect.objectContaining({ url: b!.url, up: true }),
    ]);

    const revived = await startFakeCore(port);
    cleanups.push(() => revived.close());
    await until(() => gw.cores.isUp(0));
    const back = await send(gw.url, 'GET', `/v1/packets/${id}`);
    expect(back.headers.get(CORE_HEADER)).toBe(deadUrl);
    expect(revived.received).toHaveLength(1);
  });

  it('sends an idempotent request again to the next core when one dies with it in hand', async () => {
    const [a, b] = await fakeCores(2);
    a!.behave(dropConnection);
    const origins = [a!.url, b!.url];
    const gw = await gateway(origins);
    const id = packetOwnedBy(origins, 0);
    const r = await send(gw.url, 'POST', `/v1/packets/${id}/claims`, { authorization: 'Bearer t' }, '');
    expect([r.status, r.headers.get(CORE_HEADER)]).toEqual([200, b!.url]);
    expect(a!.received).toHaveLength(1); // it did reach the dying core first
    expect(b!.received.map((x) => x.url)).toEqual([`/v1/packets/${id}/claims`]);
  });

  it('does not send a non-idempotent request again: 503 DEPENDENCY_FAILED, sent once', async () => {
    const [a, b] = await fakeCores(2);
    a!.behave(dropConnection);
    const gw = await gateway([a!.url, b!.url]);
    // the first request without a packet id goes to the first core (round robin from 0)
    const r = await send(gw.url, 'POST', '/finance/rain/spring/draw', { authorization: 'Bearer t' }, '');
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('DEPENDENCY_FAILED');
    expect(r.json.error.message).toMatch(/not safe to send again/);
    expect(a!.received).toHaveLength(1);
    expect(b!.received).toHaveLength(0);
  });

  it('fails an idempotent request over when a core does not answer in time, and marks it down after 3 in a row', async () => {
    const [a, b] = await fakeCores(2);
    a!.behave(hang); // its health check still passes: only its requests hang
    const origins = [a!.url, b!.url];
    const gw = await gateway(origins, { coreTimeoutMs: 300, healthEveryMs: 60_000 });
    const id = packetOwnedBy(origins, 0);
    for (let k = 1; k <= 3; k++) {
      const started = Date.now();
      const r = await send(gw.url, 'GET', `/v1/packets/${id}`);
      expect([r.status, r.headers.get(CORE_HEADER)]).toEqual([200, b!.url]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(gw.cores.isUp(0)).toBe(k < 3);
      // the health check the failure ran passes (its next one would bring it back after the third)
      if (k < 3) await gw.cores.checkNow();
    }
    expect(a!.received).toHaveLength(3);
    expect(gw.cores.states()[0]?.reason).toMatch(/3 failures in a row/);
  });

  it('keeps a core up after one stray reset: the request fails over, the next goes back to it', async () => {
    const [a, b] = await fakeCores(2);
    let drops = 1;
    a!.behave((req, res) => {
      if (drops-- > 0) return dropConnection(req, res); // e.g. a kept-alive connection it had closed
      echo(req, res);
    });
    const origins = [a!.url, b!.url];
    const gw = await gateway(origins, { healthEveryMs: 60_000 });
    const id = packetOwnedBy(origins, 0);
    const r = await send(gw.url, 'POST', `/v1/packets/${id}/claims`, { authorization: 'Bearer t' }, '');
    expect([r.status, r.headers.get(CORE_HEADER)]).toEqual([200, b!.url]);
    expect(gw.cores.isUp(0)).toBe(true); // no health check has run since (one every 60 s)
    const next = await send(gw.url, 'GET', `/v1/packets/${id}`);
    expect([next.status, next.headers.get(CORE_HEADER)]).toEqual([200, a!.url]);
    expect(a!.received).toHaveLength(2);
  });

  it('marks a core down after one failure when its health check fails too', async () => {
    const [a, b] = await fakeCores(2);
    a!.behave(dropConnection);
    const origins = [a!.url, b!.url];
    const gw = await gateway(origins, { healthEveryMs: 60_000 });
    const id = packetOwnedBy(origins, 0);
    await a!.close(); // gone: kept-alive connections reset, new ones refused
    const r = await send(gw.url, 'GET', `/v1/packets/${id}`);
    expect([r.status, r.headers.get(CORE_HEADER)]).toEqual([200, b!.url]);
    await until(() => !gw.cores.isUp(0));
  });

  it('takes a core down on health checks that only time out at the third in a row, not the first', async () => {
    // a core that answers requests but is too busy to answer /readyz within the check's 2 s
    let slow = true;
    const busy = createServer((req, res) => {
      if (req.url === '/readyz' && slow) return; // never answered: the check times out
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url === '/readyz' ? '{"status":"ready","checks":{}}' : '{"ok":true}');
    });
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          busy.closeAllConnections();
          busy.close(() => r());
        }),
    );
    const origin = `http://127.0.0.1:${(busy.address() as AddressInfo).port}`;
    const cores = createCoreSet({ origins: [origin], requestTimeoutMs: 2_000, healthEveryMs: 600_000 });
    cleanups.push(() => cores.close());
    const timeouts = () => cores.states()[0]!.checkTimeouts;
    // the check the set starts with times out; from then on each checkNow is one whole check
    await until(() => timeouts() === 1, 10_000);
    await cores.checkNow();
    expect([timeouts(), cores.isUp(0)]).toEqual([2, true]);
    slow = false;
    await cores.checkNow(); // passes: the run of timeouts ends
    expect([timeouts(), cores.isUp(0)]).toEqual([0, true]);
    slow = true;
    await cores.checkNow();
    await cores.checkNow();
    expect([timeouts(), cores.isUp(0)]).toEqual([2, true]);
    await cores.checkNow();
    expect(cores.isUp(0)).toBe(false);
    expect(cores.states()[0]?.reason).toMatch(/3 in a row.*Headers Timeout/);
  }, 30_000);

  it('answers 503 DEPENDENCY_FAILED when no core is up, and /healthz says so', async () => {
    const origins = [`http://127.0.0.1:${await freePort()}`, `http://127.0.0.1:${await freePort()}`];
    const gw = await gateway(origins);
    await until(() => !gw.cores.isUp(0) && !gw.cores.isUp(1));
    const r = await send(gw.url, 'GET', `/v1/packets/${packetOwnedBy(origins, 1)}`);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.json).toEqual({
      error: { code: 'DEPENDENCY_FAILED', message: 'no core is up; retry shortly', retryAfterMs: 1000 },
    });
    const health = await send(gw.url, 'GET', '/healthz');
    expect([health.status, health.json.ok, health.json.role]).toEqual([503, false, 'gateway']);
  });
});

describe('the claim gate in front of claims', () => {
  it("needs the cores' secret to start, from --secret or the data dir, never a new one", async () => {
    const [core] = await fakeCores(1);
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-gw-secret-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const noSecret = { dataDir: dir, secret: undefined, claimLimiter: true };
    await expect(gateway([core!.url], noSecret)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/--secret/),
    });
    await expect(readFile(join(dir, 'secret'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(join(dir, 'secret'), `${SECRET}\n`);
    const gw = await gateway([core!.url], noSecret);
    const id = packetOwnedBy([core!.url], 0);
    const auth = { authorization: `Bearer ${await issueToken(SECRET, 'u1')}` };
    const r = await send(gw.url, 'POST', `/v1/packets/${id}/claims`, auth);
    expect([r.status, r.headers.get(CORE_HEADER)]).toEqual([200, core!.url]);
  });

  async function gatedGateway(origins: string[], windowMs: number) {
    const cores = createCoreSet({ origins, requestTimeoutMs: 2_000, healthEveryMs: 60_000 });
    const claimGate = createClaimGate({
      secret: SECRET,
      limiters: {
        real: createMemoryClaimLimiter({ factor: 1.5, windowMs }),
        shadow: createMemoryClaimLimiter({ factor: 1.5, windowMs }),
      },
    });
    const router = createCoreRouter({ origins, isUp: (i) => cores.isUp(i) });
    const handler = createGatewayHandler({ cores, router, claimGate });
    const listener = await listenHttp(handler, '127.0.0.1', 0);
    cleanups.push(async () => {
      await listener.close();
      await cores.close();
      await claimGate.close();
    });
    return listener.url;
  }

  it('checks the token first: 401 at the gateway, nothing forwarded', async () => {
    const [core] = await fakeCores(1);
    const url = await gatedGateway([core!.url], 60_000);
    const id = packetOwnedBy([core!.url], 0);
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const r = await send(url, 'POST', `/v1/packets/${id}/claims`, headers);
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('UNAUTHENTICATED');
    }
    expect(core!.received).toHaveLength(0);
  });

  it('refuses at its claim gate a token over serve --max-token-lifetime, as the cores do', async () => {
    const [core] = await fakeCores(1);
    const gw = await gateway([core!.url], { claimLimiter: true, maxTokenLifetimeSec: 2 * 24 * 3600 });
    const id = packetOwnedBy([core!.url], 0);
    const now = Math.floor(Date.now() / 1000);
    const claim = async (lifetimeSec: number) => {
      const token = await sign({ sub: 'eve', iat: now, exp: now + lifetimeSec }, SECRET, 'HS256');
      return send(gw.url, 'POST', `/v1/packets/${id}/claims`, { authorization: `Bearer ${token}` });
    };
    const long = await claim(3 * 24 * 3600);
    expect([long.status, long.json.error.code]).toStrictEqual([401, 'UNAUTHENTICATED']);
    expect(core!.received).toHaveLength(0);
    expect((await claim(24 * 3600)).status).toBe(200); // forwarded (the stand-in core echoes)
    expect(core!.received).toHaveLength(1);
  });

  it('limits claims per packet from the remaining count the core answered, and forwards claims on an exhausted packet', async () => {
    const [core] = await fakeCores(1);
    const url = await gatedGateway([core!.url], 60_000);
    const id = packetOwnedBy([core!.url], 0);
    const auth = { authorization: `Bearer ${await issueToken(SECRET, 'u1')}` };
    core!.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ claimNo: `${id}-1`, packetId: id, amount: 5, remainingCount: 2, status: 'pending' }),
      );
    });
    expect((await send(url, 'POST', `/v1/packets/${id}/claims`, auth)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20)); // the limiter learns after the answer
    // remaining 2 -> ceil(2 x 1.5) = 3 attempts pass this window (one window: 60 s)
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => send(url, 'POST', `/v1/packets/${id}/claims`, auth)),
    );
    expect(burst.filter((r) => r.status === 200)).toHaveLength(3);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited).toHaveLength(7);
    expect(limited[0]!.json.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
    expect(core!.received).toHaveLength(4);

    const other = packetOwnedBy([core!.url], 0);
    core!.behave((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'PACKET_EXHAUSTED', message: 'all shares claimed' } }));
    });
    expect((await send(url, 'POST', `/v1/packets/${other}/claims`, auth)).status).toBe(409);
    await new Promise((r) => setTimeout(r, 20));
    // the limiter knows it is exhausted, but only the core knows whether this claimer holds a share
    const again = await send(url, 'POST', `/v1/packets/${other}/claims`, auth);
    expect([again.status, again.json.error.code, again.headers.get(CORE_HEADER)]).toEqual([
      409,
      'PACKET_EXHAUSTED',
      core!.url,
    ]);
    expect(core!.received).toHaveLength(6);
  });

  it("limits a new packet's very first burst from the share count its send answered", async () => {
    const [core] = await fakeCores(1);
    const url = await gatedGateway([core!.url], 60_000);
    const id = packetOwnedBy([core!.url], 0);
    const auth = { authorization: `Bearer ${await issueToken(SECRET, 'sender')}` };
    core!.behave((req, res) => {
      if (req.url === '/v1/b2c/packets') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ packetId: id, status: 'active', totalAmount: 400, totalCount: 4, created: true }),
        );
        return;
      }
      // (no remainingCount: only the send teaches the limiter here)
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ claimNo: `${id}-1`, packetId: id, amount: 100 }));
    });
    const sent = await send(
      url,
      'POST',
      '/v1/b2c/packets',
      { ...auth, 'content-type': 'application/json' },
      '{}',
    );
    expect(sent.status).toBe(201);
    // no claim has been answered yet: 4 shares -> ceil(4 x 1.5) = 6 attempts pass this window
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => send(url, 'POST', `/v1/packets/${id}/claims`, auth)),
    );
    expect(burst.filter((r) => r.status === 429)).toHaveLength(14);
    expect(core!.received.filter((r) => r.url?.endsWith('/claims'))).toHaveLength(6);

    // a replayed send (200) may answer an older packet with fewer shares left: it teaches nothing
    const replayed = packetOwnedBy([core!.url], 0);
    core!.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ packetId: replayed, status: 'active', totalCount: 4, created: false }));
    });
    await send(url, 'POST', '/v1/b2c/packets', { ...auth, 'content-type': 'application/json' }, '{}');
    const unknown = await Promise.all(
      Array.from({ length: 10 }, () => send(url, 'POST', `/v1/packets/${replayed}/claims`, auth)),
    );
    expect(unknown.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('gives the claimer of the last share who lost the answer their claim again, not PACKET_EXHAUSTED', async () => {
    const [core] = await fakeCores(1);
    const url = await gatedGateway([core!.url], 60_000);
    const id = packetOwnedBy([core!.url], 0);
    const holder = await issueToken(SECRET, 'holder');
    const late = await issueToken(SECRET, 'late');
    // the core as the database answers: the holder's stored claim, anyone else exhausted
    core!.behave((req, res) => {
      if (req.headers.authorization === `Bearer ${holder}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ claimNo: `${id}-1`, packetId: id, amount: 100, remainingCount: 0 }));
        return;
      }
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'PACKET_EXHAUSTED', message: 'all shares claimed' } }));
    });
    const first = await send(url, 'POST', `/v1/packets/${id}/claims`, { authorization: `Bearer ${holder}` });
    expect([first.status, first.json.claimNo]).toEqual([200, `${id}-1`]);
    await new Promise((r) => setTimeout(r, 20)); // the limiter learns remaining 0
    const other = await send(url, 'POST', `/v1/packets/${id}/claims`, { authorization: `Bearer ${late}` });
    expect([other.status, other.json.error.code]).toEqual([409, 'PACKET_EXHAUSTED']);

    const retry = await send(url, 'POST', `/v1/packets/${id}/claims`, { authorization: `Bearer ${holder}` });
    expect([retry.status, retry.json.claimNo, retry.headers.get(CORE_HEADER)]).toEqual([
      200,
      `${id}-1`,
      core!.url,
    ]);
  });

  it('refuses percent-encoded paths, which the core would decode into a claim its limiter never saw', async () => {
    const [a, b] = await fakeCores(2);
    const origins = [a!.url, b!.url];
    const url = await gatedGateway(origins, 60_000);
    const id = packetOwnedBy(origins, 0);
    const auth = { authorization: `Bearer ${await issueToken(SECRET, 'u1')}` };
    a!.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ claimNo: `${id}-1`, packetId: id, amount: 5, remainingCount: 1 }));
    });
    expect((await send(url, 'POST', `/v1/packets/${id}/claims`, auth)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    // remaining 1 -> ceil(1 x 1.5) = 2 attempts pass this window (60 s); the rest wait
    for (const status of [200, 200, 429]) {
      expect((await send(url, 'POST', `/v1/packets/${id}/claims`, auth)).status).toBe(status);
    }

    // every one of these is `POST /v1/packets/<id>/claims` to Hono on the core (it decodes the path)
    const encoded = [
      `/v1/packets/${id}/claim%73`,
      `/v1/packets/%${id.charCodeAt(0).toString(16)}${id.slice(1)}/claims`,
      `/v1/packets/${id.slice(0, -1)}%${id.charCodeAt(id.length - 1).toString(16)}/claims`,
      `/%761/packets/${id}/claims`,
      `/v1/packets/${id}/%63laims`,
    ];
    // (as the cores' router really does: Hono decodes the path before routing)
    const hono = new Hono();
    hono.post('/v1/packets/:id/claims', (c) => c.json({ claimOf: c.req.param('id') }));
    for (const path of encoded) {
      const routed = await hono.request(`http://core${path}`, { method: 'POST' });
      expect([path, routed.status, await routed.json()]).toEqual([path, 200, { claimOf: id }]);
    }
    const before = [a!.received.length, b!.received.length];
    for (const path of encoded) {
      for (let k = 0; k < 3; k++) {
        const r = await send(url, 'POST', path, auth);
        expect([path, r.status, r.json?.error?.code, r.headers.get(CORE_HEADER)]).toEqual([
          path,
          400,
          'VALIDATION_FAILED',
          null,
        ]);
      }
    }
    expect([a!.received.length, b!.received.length]).toEqual(before);
    // the query string is not the path: it is forwarded as it came
    const q = await send(url, 'GET', `/v1/packets/${id}?x=%20y`, auth);
    expect([q.status, q.headers.get(CORE_HEADER)]).toEqual([200, a!.url]);
  });
});
