/**
 * Issue 19 item 2 through the built binary: `/healthz` is liveness, `/readyz` readiness, for the
 * all-in-one serve (its Redis a private redis-server the test stops and starts), `--role worker`,
 * `--role gateway` (ready while a core is up) and a MySQL store that goes away.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateRedis, redisServerAvailable, type PrivateRedis } from '../support/redis-server.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';

const ENV = {
  ...process.env,
  REDPKT_MYSQL: undefined,
  REDPKT_REDIS: undefined,
  REDPKT_SECRET: undefined,
  REDPKT_DATA_DIR: undefined,
};
const SECRET = 'readyz-test-secret-0123456789abcdef';

interface Probe {
  status: number;
  body: { status?: string; checks?: Record<string, { ok: boolean; detail?: string }> };
}

async function probe(url: string, path = '/readyz'): Promise<Probe> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as Probe['body'] };
}

/** Polls `/readyz` until `want` holds (generous deadline: the machine is busy). */
async function readyzUntil(url: string, want: (p: Probe) => boolean, what: string): Promise<Probe> {
  const deadline = Date.now() + 45_000;
  let last: Probe | undefined;
  while (Date.now() < deadline) {
    last = await probe(url).catch(() => undefined);
    if (last && want(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last /readyz: ${JSON.stringify(last)}`);
}

const isReady = (p: Probe) => p.status === 200 && p.body.status === 'ready';
const notReady = (check: string) => (p: Probe) =>
  p.status === 503 && p.body.status === 'not_ready' && p.body.checks?.[check]?.ok === false;

let dir: string;
const started: ServeProcess[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-readyz-'));
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(args: string[]): Promise<ServeProcess> {
  const p = await startServe(['--port', '0', '--secret', SECRET, ...args], ENV);
  started.push(p);
  return p;
}

describe('readiness on the embedded store', () => {
  it('is ready with every check passed; the worker role and a gateway answer /readyz too', async () => {
    const core = await serve(['--data-dir', join(dir, 'embedded')]);
    const ready = await readyzUntil(core.url, isReady, 'the core ready');
    expect(Object.keys(ready.body.checks ?? {}).sort()).toEqual(['store', 'switches', 'worker']);
    expect(Object.values(ready.body.checks ?? {}).every((c) => c.ok)).toBe(true);
    expect((await fetch(`${core.url}/readyz`, { method: 'HEAD' })).status).toBe(200);
    expect((await probe(core.url, '/healthz')).status).toBe(200);

    const worker = await serve([
      ...['--role', 'worker', '--finance-url', core.url, '--data-dir', join(dir, 'embedded')],
    ]);
    const workerReady = await readyzUntil(worker.url, isReady, 'the worker ready');
    expect(Object.keys(workerReady.body.checks ?? {}).sort()).toEqual(['store', 'worker']);

    const gw = await serve(['--role', 'gateway', '--core', core.url, '--health-every-ms', '200']);
    const gwReady = await readyzUntil(gw.url, isReady, 'the gateway ready');
    expect(gwReady.body.checks?.['cores']).toMatchObject({ ok: true, up: 1, of: 1 });
    await core.stop();
    const gwDown = await readyzUntil(gw.url, notReady('cores'), 'the gateway not ready');
    expect(gwDown.body.checks?.['cores']?.detail).toMatch(/^0 of 1 up/);
  });
});

const haveRedis = redisServerAvailable();

describe.skipIf(!haveRedis)('readiness with --redis (a redis-server of the test’s own)', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await privateRedis();
  });
  afterAll(async () => {
    await redis.dispose();
  });

  it('starts with Redis down, alive but not ready; ready once Redis is up; not ready when it stops', async () => {
    const core = await serve(['--redis', redis.url, '--data-dir', join(dir, 'redis')]);
    expect((await probe(core.url, '/healthz')).status).toBe(200);
    const down = await readyzUntil(core.url, notReady('redis'), 'not ready without Redis');
    expect(down.body.checks?.['redis']?.detail).toMatch(/not connected: .*claim-limiter/);
    expect(down.body.checks?.['store']?.ok).toBe(true);

    await redis.start();
    const up = await readyzUntil(core.url, isReady, 'ready once Redis is up');
    expect(up.body.checks?.['redis']?.ok).toBe(true);

    await redis.stop();
    await readyzUntil(core.url, notReady('redis'), 'not ready once Redis stopped');
    await redis.start();
    await readyzUntil(core.url, isReady, 'ready again after Redis came back');
    expect(core.stderr()).not.toMatch(/Unhandled error event/);
  });
});

const haveMysql = await mysqlAvailable();

describe.skipIf(!haveMysql)('readiness on MySQL', () => {
  it('is not ready once its database is gone, naming the store', async () => {
    const db = await createTestMysql('readyz');
    try {
      const core = await serve([
        '--mysql',
        db.url,
        '--data-dir',
        join(dir, 'mysql'),
        '--log-level',
        'silent',
      ]);
      await readyzUntil(core.url, isReady, 'ready on MySQL');
      await db.drop();
      const gone = await readyzUntil(core.url, notReady('store'), 'not ready without its database');
      expect(gone.body.checks?.['store']?.detail).toMatch(/doesn't exist|Unknown database/i);
      await core.stop();
    } finally {
      await db.drop();
      const conn = await mysql.createConnection({ uri: new URL('/', db.url).toString() });
      await conn.query(`DROP DATABASE IF EXISTS \`${db.database}_finance\``);
      await conn.end();
    }
  });
});
