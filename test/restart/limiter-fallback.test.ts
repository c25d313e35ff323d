/**
 * Issue 19 item 1 through the built binary: `serve --redis` with its Redis (a redis-server of the
 * test's own) down starts, limits a hot packet's claims in process (429 RATE_LIMITED, counted in
 * redpkt_limiter_bypassed, logged once), and once Redis is up the shared limiter takes over (its
 * keys appear in that Redis, the count stops growing, the end of the episode is logged once).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { privateRedis, redisServerAvailable, type PrivateRedis } from '../support/redis-server.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';

const ENV = {
  ...process.env,
  REDPKT_MYSQL: undefined,
  REDPKT_REDIS: undefined,
  REDPKT_SECRET: undefined,
  REDPKT_DATA_DIR: undefined,
};
const SECRET = 'limiter-fallback-secret-0123456789ab';

describe.skipIf(!redisServerAvailable())('the claim limiter while Redis is away', () => {
  let redis: PrivateRedis | undefined;
  let serve: ServeProcess | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await serve?.stop();
    await redis?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('limits in process (429) with Redis down, and the shared limiter takes over once it is up', async () => {
    redis = await privateRedis();
    dir = await mkdtemp(join(tmpdir(), 'redpkt-limiter-'));
    serve = await startServe(
      // warn: no line per request, so the limiter's own lines stay in the stderr the test keeps
      ['--port', '0', '--secret', SECRET, '--redis', redis.url, '--data-dir', dir, '--log-level', 'warn'],
      ENV,
    );
    const url = serve.url;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
    const call = async (method: string, path: string, uid: string, body?: unknown): Promise<any> => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await issueToken(SECRET, uid)}`,
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    };
    let packets = 0;
    const activePacket = async (count: number): Promise<string> => {
      const created = await call('POST', '/v1/c2c/packets', 'sender', {
        outOrderNo: `hot-${++packets}`,
        totalAmount: count * 100,
        totalCount: count,
      });
      expect(created.status).toBe(201);
      expect((await call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, 'sender')).status).toBe(
        200,
      );
      const id: string = created.body.packetId;
      const deadline = Date.now() + 30_000;
      while ((await call('GET', `/v1/packets/${id}`, 'sender')).body.status !== 'active') {
        if (Date.now() > deadline) throw new Error(`packet ${id} never became active`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return id;
    };
    /** Many claimers at once on one packet: every answer's status (and code). */
    const burst = async (id: string, claimers: number) =>
      Promise.all(
        Array.from({ length: claimers }, async (_, i) => {
          const r = await call('POST', `/v1/packets/${id}/claims`, `c${packets}-${i}`);
          return {
            status: r.status as number,
            code: r.body.error?.code as string | undefined,
            amount: r.body.amount,
          };
        }),
      );
    const bypassed = async () => {
      const text = await (await fetch(`${url}/metrics`)).text();
      const m = /^redpkt_limiter_bypassed\{limiter="packet"\} (\d+)/m.exec(text);
      return Number(m?.[1] ?? NaN);
    };

    // Redis down: hot packets until one burst shows the in-process limit (a busy machine may
    // spread a burst over several 100 ms windows; each packet is a fresh try)
    let limited = 0;
    for (let tries = 0; limited === 0 && tries < 10; tries++) {
      const answers = await burst(await activePacket(10), 150);
      expect(answers.filter((a) => a.status >= 500)).toEqual([]);
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.length).toBeLessThanOrEqual(10);
      expect(ok.reduce((s, a) => s + a.amount, 0)).toBeLessThanOrEqual(1000);
      limited = answers.filter((a) => a.status === 429 && a.code === 'RATE_LIMITED').length;
    }
    expect(limited).toBeGreaterThan(0);
    expect(await bypassed()).toBeGreaterThan(0);
    expect(serve.stderr().match(/claim limiter: Redis cannot be asked/g)).toHaveLength(1);
    expect(serve.stderr()).not.toMatch(/unlimited|Unhandled error event/);

    // Redis up: once ready, the shared limiter decides (its keys in that Redis, no more fallbacks)
    await redis.start();
    const deadline = Date.now() + 45_000;
    while ((await fetch(`${url}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('serve did not become ready once Redis was up');
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = await bypassed();
    const id = await activePacket(10);
    const answers = await burst(id, 60);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(await bypassed()).toBe(before);
    const client = new Redis(redis.url);
    try {
      // the shared limiter's count of the packet: set at the send, brought down by every claim's answer
      expect(await client.get(`redpkt:limit:{${id}}:remaining`)).toBe('0');
    } finally {
      client.disconnect();
    }
    expect(serve.stderr().match(/claim limiter: Redis answers again/g)).toHaveLength(1);
  });
});
