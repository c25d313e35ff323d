/**
 * A gateway in front of real cores: `n` all-in-one services (startService) in this process on one
 * fresh MariaDB database (and its `_finance` twin), started one after the other (the first creates
 * the tables), each without its own claim limiter; the gateway runs it for them (in process).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { issueToken } from '../../src/auth/tokens.js';
import { jsonCall, type JsonAnswer } from '../support/json-call.js';
import type { RunningGateway } from '../../src/runtime/start-gateway.js';
import { startService, type RunningService } from '../../src/runtime/start-service.js';
import { createTestMysql, type TestMysql } from '../support/services.js';
import { startTestGateway } from './test-gateway.js';

const SECRET = 'gateway-cluster-secret-0123456789';

export type Answer = JsonAnswer;

export interface Cluster {
  db: TestMysql;
  cores: RunningService[];
  gateway: RunningGateway;
  call(method: string, path: string, uid?: string, body?: unknown): Promise<Answer>;
  /** As a real client: on 429 wait retryAfterMs and retry, 10 times at most. */
  claim(packetId: string, uid: string): Promise<Answer & { retries: number }>;
  /** create -> pay at the cashier -> wait until active, all through the gateway. */
  activePacket(sender: string, totalAmount: number, totalCount: number): Promise<string>;
  /** The claims the database holds for a packet. */
  claimsInDb(packetId: string): Promise<{ count: number; sum: number; uids: number }>;
  stop(): Promise<void>;
}

export async function startCluster(n: number): Promise<Cluster> {
  const db = await createTestMysql('gw');
  const dir = await mkdtemp(join(tmpdir(), 'redpkt-gw-'));
  const cores: RunningService[] = [];
  for (let i = 0; i < n; i++) {
    cores.push(
      await startService(
        {
          port: 0,
          host: '127.0.0.1',
          dataDir: join(dir, `core-${i}`),
          mysql: [db.url],
          redis: undefined,
          secret: SECRET,
          worker: { pollMs: 100 },
        },
        { log: () => {}, limiter: false },
      ),
    );
  }
  const gateway = await startTestGateway(
    cores.map((c) => c.url),
    SECRET,
    { dataDir: dir, coreTimeoutMs: 10_000, healthEveryMs: 200, claimLimiter: true },
  );
  const pool = mysql.createPool({ uri: db.url, connectionLimit: 2 });

  const tokens = new Map<string, string>();
  const token = async (uid: string) => {
    let t = tokens.get(uid);
    if (!t) tokens.set(uid, (t = await issueToken(SECRET, uid)));
    return t;
  };
  const call: Cluster['call'] = async (method, path, uid, body) =>
    jsonCall(`${gateway.url}${path}`, method, uid ? await token(uid) : undefined, body);

  return {
    db,
    cores,
    gateway,
    call,
    async claim(packetId, uid) {
      for (let retries = 0; ; retries++) {
        const r = await call('POST', `/v1/packets/${packetId}/claims`, uid);
        if (r.status !== 429 || retries === 10) return { ...r, retries };
        await new Promise((resolve) => setTimeout(resolve, r.body.error.retryAfterMs));
      }
    },
    async activePacket(sender, totalAmount, totalCount) {
      const outOrderNo = `o-${sender}-${Date.now()}`;
      const created = await call('POST', '/v1/c2c/packets', sender, { outOrderNo, totalAmount, totalCount });
      if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
      const pay = await call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, sender);
      if (pay.status !== 200) throw new Error(`pay failed: ${JSON.stringify(pay.body)}`);
      const id: string = created.body.packetId;
      for (let i = 0; i < 400; i++) {
        const p = await call('GET', `/v1/packets/${id}`, sender);
        if (p.body.status === 'active') return id;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`packet ${id} never became active`);
    },
    async claimsInDb(packetId) {
      const [rows] = await pool.query(
        'SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS sum, COUNT(DISTINCT uid) AS uids FROM claims WHERE packet_id = ?',
        [packetId],
      );
      const row = (rows as { count: number | string; sum: number | string; uids: number | string }[])[0]!;
      return { count: Number(row.count), sum: Number(row.sum), uids: Number(row.uids) };
    },
    async stop() {
      await gateway.close();
      for (const core of cores) await core.close();
      await pool.end();
      await rm(dir, { recursive: true, force: true });
      const conn = await mysql.createConnection({ uri: db.url });
      await conn.query(`DROP DATABASE IF EXISTS \`${db.database}_finance\``);
      await conn.end();
      await db.drop();
    },
  };
}
