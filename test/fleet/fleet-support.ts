/** Issue 21 tests: talking to a fleet (supervisor, HAProxy) as a client, and cleaning its databases. */
import mysql from 'mysql2/promise';
import { issueToken } from '../../src/auth/tokens.js';
import { jsonCall, type JsonAnswer } from '../support/json-call.js';

export const FLEET_SECRET = 'fleet-test-secret-0123456789abcdef';

export type Answer = JsonAnswer;

export function fleetClient(base: () => string, secret = FLEET_SECRET) {
  const tokens = new Map<string, string>();
  const token = async (uid: string) => {
    let t = tokens.get(uid);
    if (!t) tokens.set(uid, (t = await issueToken(secret, uid)));
    return t;
  };
  const call = async (method: string, path: string, uid?: string, body?: unknown): Promise<Answer> =>
    jsonCall(`${base()}${path}`, method, uid ? await token(uid) : undefined, body);
  return {
    call,
    /** As a client: a 429 or 503 is retried after its retryAfterMs (or 200 ms), 40 times at most. */
    async claim(packetId: string, uid: string): Promise<Answer> {
      for (let i = 0; ; i++) {
        const r = await call('POST', `/v1/packets/${packetId}/claims`, uid).catch((): Answer => ({
          status: 0,
          body: null,
          core: null,
        }));
        if ((r.status !== 429 && r.status !== 503 && r.status !== 0) || i === 40) return r;
        await sleep(r.body?.error?.retryAfterMs ?? 200);
      }
    },
    async activePacket(sender: string, totalAmount: number, totalCount: number): Promise<string> {
      const outOrderNo = `o-${sender}-${Date.now()}`;
      const created = await call('POST', '/v1/c2c/packets', sender, { outOrderNo, totalAmount, totalCount });
      if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
      const pay = await call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, sender);
      if (pay.status !== 200) throw new Error(`pay failed: ${JSON.stringify(pay.body)}`);
      const id: string = created.body.packetId;
      await until(async () => (await call('GET', `/v1/packets/${id}`, sender)).body.status === 'active');
      return id;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 100 ms until it holds; fails after `ms` (generous: the machine is busy). */
export async function until(
  check: () => Promise<boolean> | boolean,
  ms = 60_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The claims a database holds for a packet. */
export async function claimsInDb(
  url: string,
  packetId: string,
): Promise<{ count: number; sum: number; uids: number }> {
  const conn = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await conn.query(
      'SELECT COUNT(*) AS count, COALESCE(SUM(amount), 0) AS sum, COUNT(DISTINCT uid) AS uids FROM claims WHERE packet_id = ?',
      [packetId],
    );
    const row = (rows as Record<string, number | string>[])[0]!;
    return { count: Number(row.count), sum: Number(row.sum), uids: Number(row.uids) };
  } finally {
    await conn.end();
  }
}

/** Drops a test database and the `_finance` / `_shadow` twins serve creates beside it. */
export async function dropWithTwins(url: string): Promise<void> {
  const db = new URL(url).pathname.slice(1);
  if (!db.includes('test')) throw new Error(`refusing to drop ${db}`);
  const conn = await mysql.createConnection({ uri: url });
  try {
    for (const name of [db, `${db}_finance`, `${db}_shadow`, `${db}_shadow_finance`, `${db}_finance_shadow`])
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
}
