/**
 * Two real `redpkt serve` processes on one fresh MariaDB database and Redis: switches set through
 * one instance (or straight in the database) reach both within a second, and an endpoint limit
 * holds over the pair.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAdminKey } from '../../src/auth/admin-key.js';
import { issueToken } from '../../src/auth/tokens.js';
import { createTestMysql, mysqlAvailable, redisAvailable, testRedisUrl } from '../support/services.js';
import type { TestMysql } from '../support/services.js';
import { runCli } from './support/cli.js';
import { sleep } from './support/ops-service.js';
import type { ServeProcess } from './support/serve-process.js';
import { startServeProcess } from './support/serve-process.js';

const SECRET = 'cluster-secret-0123456789abcdef';
/** How long a poll waits for its condition: generous, the suite runs on busy machines (issue 18). */
const UNTIL_MS = 60_000;
/** A test that polls several times and runs the CLI a few times. */
const TEST_MS = 240_000;
const ready = (await mysqlAvailable()) && (await redisAvailable());

describe.skipIf(!ready)('two instances on one MariaDB + Redis', () => {
  let db: TestMysql;
  let dir: string;
  let a: ServeProcess;
  let b: ServeProcess;
  const token = (uid: string) => issueToken(SECRET, uid);

  beforeAll(async () => {
    db = await createTestMysql('ops');
    dir = await mkdtemp(join(tmpdir(), 'redpkt-cluster-'));
    const args = (name: string) => [
      '--mysql',
      db.url,
      '--redis',
      testRedisUrl,
      '--secret',
      SECRET,
      '--data-dir',
      join(dir, name),
      '--log-level',
      'warn',
      '--poll-ms',
      '100',
    ];
    // one after the other: the first creates the tables
    a = await startServeProcess(args('a'));
    b = await startServeProcess(args('b'));
  }, TEST_MS);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await rm(dir, { recursive: true, force: true });
    if (db) {
      const conn = await mysql.createConnection({ uri: db.url });
      await conn.query(`DROP DATABASE IF EXISTS \`${db.database}_finance\``);
      await conn.end();
      await db.drop();
    }
  });

  async function call(base: string, method: string, path: string, uid?: string, body?: unknown) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (uid) headers.authorization = `Bearer ${await token(uid)}`;
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body: parsed };
  }

  async function activePacket(base: string, outOrderNo: string, count: number): Promise<string> {
    const created = await call(base, 'POST', '/v1/c2c/packets', 'sender', {
      outOrderNo,
      totalAmount: count * 100,
      totalCount: count,
    });
    expect(created.status).toBe(201);
    expect(
      (await call(base, 'POST', `/finance/cashier/${created.body.payOrderNo}/pay`, 'sender')).status,
    ).toBe(200);
    const until = Date.now() + UNTIL_MS;
    while (Date.now() < until) {
      if (
        (await call(base, 'GET', `/v1/packets/${created.body.packetId}`, 'sender')).body.status === 'active'
      )
        return created.body.packetId;
      await sleep(25);
    }
    throw new Error(`not active within ${UNTIL_MS} ms`);
  }

  /** A send attempt that cannot create anything: 400 when sends are open, 503 when degraded. */
  const sendProbe = (base: string) =>
    call(base, 'POST', '/v1/c2c/packets', 'sender', {}).then((r) => r.status);

  /** Milliseconds until every instance answers `status` to the probe (null: not within UNTIL_MS). */
  async function untilAll(status: number, probe: (base: string) => Promise<number>): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < UNTIL_MS) {
      const statuses = await Promise.all([a.url, b.url].map(probe));
      if (statuses.every((s) => s === status)) return Date.now() - started;
      await sleep(10);
    }
    return null;
  }

  it(
    'degrades C2C sends on both after `redpkt degrade c2c-send on`; B2C sends and claims keep working; off restores',
    async () => {
      const packetId = await activePacket(a.url, 'cluster-1', 4);
      expect(await untilAll(400, sendProbe)).not.toBeNull();

      const on = await runCli([
        'degrade',
        'c2c-send',
        'on',
        '--target',
        a.url,
        '--secret',
        SECRET,
        '--reason',
        'finance slow',
        '--actor',
        'oncall',
      ]);
      expect([on.status, on.stderr]).toEqual([0, '']);
      const reached = await untilAll(503, sendProbe);
      expect(reached).not.toBeNull(); // how fast is a speed, not asserted (issue 18)
      const degraded = await call(b.url, 'POST', '/v1/c2c/packets', 'sender', {
        outOrderNo: 'x',
        totalAmount: 100,
        totalCount: 1,
      });
      expect(degraded.body.error).toMatchObject({ code: 'DEGRADED', retryAfterMs: expect.any(Number) });

      // B2C sends are not gated by it (an empty body is refused by validation, not by the switch)
      for (const base of [a.url, b.url])
        expect((await call(base, 'POST', '/v1/b2c/packets', 'sender', {})).status).toBe(400);
      // claims on either instance keep working
      expect((await call(a.url, 'POST', `/v1/packets/${packetId}/claims`, 'claimer-a')).status).toBe(200);
      expect((await call(b.url, 'POST', `/v1/packets/${packetId}/claims`, 'claimer-b')).status).toBe(200);

      const off = await runCli([
        'degrade',
        'c2c-send',
        'off',
        '--target',
        b.url,
        '--secret',
        SECRET,
        '--actor',
        'oncall',
      ]);
      expect(off.status).toBe(0);
      const restored = await untilAll(400, sendProbe);
      expect(restored).not.toBeNull();
    },
    TEST_MS,
  );

  it(
    'reaches both from a change written straight to the database (with --redis), and audits every change',
    async () => {
      const packetId = await activePacket(b.url, 'cluster-2', 4);
      const claimProbe = (uid: string) => (base: string) =>
        call(base, 'POST', `/v1/packets/${packetId}/claims`, uid).then((r) => r.status);
      const on = await runCli([
        'degrade',
        'claim',
        'on',
        '--mysql',
        db.url,
        '--redis',
        testRedisUrl,
        '--actor',
        'dba',
      ]);
      expect([on.status, on.stderr]).toEqual([0, '']);
      const reached = await untilAll(503, claimProbe('probe-1'));
      expect(reached).not.toBeNull(); // how fast is a speed, not asserted (issue 18)
      await runCli(['degrade', 'claim', 'off', '--mysql', db.url, '--redis', testRedisUrl, '--actor', 'dba']);
      expect(await untilAll(200, claimProbe('probe-2'))).not.toBeNull();

      const audit = await runCli(['degrade', 'audit', '--target', b.url, '--secret', SECRET, '--json']);
      const { entries } = JSON.parse(audit.stdout) as { entries: Array<Record<string, unknown>> };
      expect(entries.slice(0, 4).map((e) => [e.name, e.oldValue, e.newValue, e.actor, e.via])).toEqual([
        ['claim', 1, 0, 'dba', 'direct'],
        ['claim', 0, 1, 'dba', 'direct'],
        ['c2c-send', 1, 0, 'oncall', 'admin-api'],
        ['c2c-send', 0, 1, 'oncall', 'admin-api'],
      ]);
      expect(entries[3]).toMatchObject({ reason: 'finance slow' });
    },
    TEST_MS,
  );

  it(
    'answers 401 without the admin key and 403 to a user token, on both',
    async () => {
      for (const base of [a.url, b.url]) {
        expect((await call(base, 'GET', '/admin/switches')).status).toBe(401);
        expect((await call(base, 'GET', '/admin/switches', 'alice')).status).toBe(403);
        const ok = await fetch(`${base}/admin/switches`, {
          headers: { 'x-admin-key': deriveAdminKey(SECRET) },
        });
        expect(ok.status).toBe(200);
      }
      const refused = await runCli([
        'degrade',
        'status',
        '--target',
        a.url,
        '--admin-key',
        'wrong-key-0123456789abcdef',
      ]);
      expect([refused.status, refused.stderr]).toEqual([3, expect.stringMatching(/refused the admin key/)]);
    },
    TEST_MS,
  );

  /** How many endpoint-limit decisions this instance made alone because Redis did not answer in time. */
  async function bypassed(base: string): Promise<number> {
    const text = await (await fetch(`${base}/metrics`)).text();
    const m = /^redpkt_limiter_bypassed\{limiter="endpoint"\} (\d+)/m.exec(text);
    return Number(m?.[1] ?? 0);
  }

  it(
    'holds a limit of N/s over both instances: never more passes than the limit allows',
    async () => {
      const perSecond = 10;
      const packetId = await activePacket(a.url, 'cluster-3', 1);
      const set = await runCli([
        'limit',
        'set',
        'query-details',
        String(perSecond),
        '--target',
        a.url,
        '--secret',
        SECRET,
      ]);
      expect(set.status).toBe(0);
      const auth = { authorization: `Bearer ${await token('reader')}` };
      const read = async (base: string) => {
        const res = await fetch(`${base}/v1/packets/${packetId}`, { headers: auth });
        await res.arrayBuffer();
        return res.status;
      };
      // A burst sized by the limit: six seconds' budget at once on each instance is refused in part
      // however slowly this machine sends it (issue 18), once the new limit reached the instance.
      expect(
        await untilAll(429, async (base) => {
          const statuses = await Promise.all(Array.from({ length: perSecond * 6 }, () => read(base)));
          return statuses.includes(429) ? 429 : 200;
        }),
      ).not.toBeNull();

      // Steady overload from both sides (more readers than the limit admits a second, each reading
      // back to back); count the passes that were both asked and answered inside the window, so
      // each was decided inside it, whatever the latency.
      const warmUpMs = 1200;
      const windowMs = 3000;
      const bypassedBefore = await Promise.all([a.url, b.url].map(bypassed));
      const started = Date.now();
      const passed = { a: 0, b: 0 };
      let refused = 0;
      const worker = async (name: 'a' | 'b', base: string) => {
        while (Date.now() - started < warmUpMs + windowMs) {
          const asked = Date.now() - started;
          const status = await read(base);
          const answered = Date.now() - started;
          if (asked >= warmUpMs && answered < warmUpMs + windowMs) {
            if (status === 200) passed[name]++;
            else if (status === 429) refused++;
          }
        }
      };
      await Promise.all([
        ...Array.from({ length: perSecond }, () => worker('a', a.url)),
        ...Array.from({ length: perSecond }, () => worker('b', b.url)),
      ]);
      // The sliding window admits at most the limit in any one second, so a window of three seconds
      // spans four of them at most. While Redis did not answer in time (commandTimeout), an instance
      // decides alone with its own twin of the limit (issue 19): each such instance adds one limit.
      const bypassedAfter = await Promise.all([a.url, b.url].map(bypassed));
      const alone = bypassedAfter.filter((n, i) => n > bypassedBefore[i]!).length;
      const bound = ((perSecond * windowMs) / 1000 + perSecond) * (1 + alone);
      // An upper bound: how close to the limit the passes come is a speed, measured in benchmarks,
      // not here (issue 18).
      expect(passed.a + passed.b).toBeLessThanOrEqual(bound);
      expect(refused).toBeGreaterThan(0); // the limit was what held it
      await runCli(['limit', 'clear', 'query-details', '--target', a.url, '--secret', SECRET]);
    },
    TEST_MS,
  );
});
