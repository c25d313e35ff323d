/**
 * Issue 6 through the built binary: `redpkt serve --role gateway` refuses to start without cores,
 * and a gateway in front of two `redpkt serve` processes on one MariaDB keeps a packet's money
 * right when the packet's core is killed (SIGKILL: claims in flight die with it) mid-run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { CORE_HEADER } from '../../src/gateway/gateway-handler.js';
import { createRendezvous } from '../../src/gateway/rendezvous.js';
import { BIN, startServe, type ServeProcess } from '../support/serve-process.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';

const ENV = {
  ...process.env,
  REDPKT_MYSQL: undefined,
  REDPKT_REDIS: undefined,
  REDPKT_SECRET: undefined,
  REDPKT_DATA_DIR: undefined,
};
const SECRET = 'gateway-cli-secret-0123456789abc';

describe('redpkt serve --role gateway', () => {
  // the other usage errors (a bad or repeated --core, --core without the role, no secret) are
  // checked in process: src/config/serve-config.test.ts, test/gateway/proxy.test.ts
  it('exits 3 without --core', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--role', 'gateway', '--secret', SECRET], {
      encoding: 'utf8',
      env: ENV,
      timeout: 30_000,
    });
    expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/USAGE: --role gateway needs --core/)]);
  });
});

const ready = await mysqlAvailable();

describe.skipIf(!ready)('a gateway in front of two serve processes, one killed mid-run', () => {
  const started: ServeProcess[] = [];
  let cleanup: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
    await cleanup?.();
  });

  it('claims on: exactly the shares, summing to the amount, no uid twice, no 5xx', async () => {
    const db = await createTestMysql('gwcli');
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-gw-cli-'));
    cleanup = async () => {
      await rm(dir, { recursive: true, force: true });
      const conn = await mysql.createConnection({ uri: db.url });
      await conn.query(`DROP DATABASE IF EXISTS \`${db.database}_finance\``);
      await conn.end();
      await db.drop();
    };
    const coreArgs = (name: string) => [
      ...['--mysql', db.url, '--secret', SECRET, '--data-dir', join(dir, name), '--port', '0'],
      ...['--log-level', 'warn', '--no-claim-limiter'],
    ];
    // one after the other: the first creates the tables
    const a = await startServe(coreArgs('a'), ENV);
    started.push(a);
    const b = await startServe(coreArgs('b'), ENV);
    started.push(b);
    const gw = await startServe(
      ['--role', 'gateway', '--core', a.url, '--core', b.url, '--secret', SECRET, '--port', '0'].concat([
        '--health-every-ms',
        '200',
      ]),
      ENV,
    );
    started.push(gw);

    const call = async (method: string, path: string, uid: string, body?: unknown) => {
      const res = await fetch(`${gw.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await issueToken(SECRET, uid)}`,
          'content-type': 'application/json',
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
      return { status: res.status, body: (await res.json()) as any, core: res.headers.get(CORE_HEADER) };
    };
    const created = await call('POST', '/v1/c2c/packets', 'sender', {
      outOrderNo: 'kill-1',
      totalAmount: 20_000,
      totalCount: 80,
    });
    expect(created.status).toBe(201);
    expect((await call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, 'sender')).status).toBe(
      200,
    );
    const id: string = created.body.packetId;
    for (
      let i = 0;
      i < 400 && (await call('GET', `/v1/packets/${id}`, 'sender')).body.status !== 'active';
      i++
    )
      await new Promise((r) => setTimeout(r, 25));

    const [ownerIndex, nextIndex] = createRendezvous([a.url, b.url]).rank(id) as [number, number];
    const owner = [a, b][ownerIndex]!;
    const answers: {
      status: number;
      body: { amount?: number; error?: { code: string } };
      core: string | null;
    }[] = [];
    let nextUid = 0;
    let ok = 0;
    let killed: Promise<void> | undefined;
    const claimer = async () => {
      while (nextUid < 200) {
        const uid = `k${nextUid++}`;
        for (let retries = 0; ; retries++) {
          const r = await call('POST', `/v1/packets/${id}/claims`, uid);
          if (r.status === 429 && retries < 10) {
            await new Promise((res) => setTimeout(res, r.body.error.retryAfterMs));
            continue;
          }
          answers.push(r);
          if (r.status === 200 && ++ok === 20) killed = owner.kill();
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: 20 }, claimer));
    await killed;

    const oks = answers.filter((r) => r.status === 200);
    expect(oks).toHaveLength(80);
    expect(oks.reduce((s, r) => s + r.body.amount!, 0)).toBe(20_000);
    expect(answers.filter((r) => r.status >= 500)).toEqual([]);
    expect(new Set(answers.filter((r) => r.status !== 200).map((r) => r.body.error?.code))).toEqual(
      new Set(['PACKET_EXHAUSTED']),
    );
    expect(oks.filter((r) => r.core === owner.url).length).toBeGreaterThanOrEqual(20);
    expect(oks.filter((r) => r.core === [a, b][nextIndex]!.url).length).toBeGreaterThan(0);
    const health = (await (await fetch(`${gw.url}/healthz`)).json()) as {
      cores: { url: string; up: boolean }[];
    };
    expect(health.cores.find((c) => c.url === owner.url)).toMatchObject({ up: false });
    expect(await gw.stop()).toBe(0); // SIGTERM: a clean shutdown
    const conn = await mysql.createConnection({ uri: db.url });
    try {
      const [rows] = await conn.query(
        'SELECT COUNT(*) AS n, SUM(amount) AS total, COUNT(DISTINCT uid) AS uids FROM claims WHERE packet_id = ?',
        [id],
      );
      const row = (rows as { n: number; total: string; uids: number }[])[0]!;
      expect([Number(row.n), Number(row.total), Number(row.uids)]).toEqual([80, 20_000, 80]);
    } finally {
      await conn.end();
    }
  });
});
