/**
 * Issue 6 end to end: `serve` with two --mysql URLs (startService), senders on both shards:
 * create, pay at the cashier, 100 concurrent claimers per packet over HTTP, the worker's
 * transfers on both shards; the money is exact and every packet's rows are in its sender's database.
 */
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOfPacketNo } from '../../src/storage/sharded/shard-routing.js';
import { startTestService, type TestService } from '../support/service.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';
import { uidOn } from './shard-support.js';

const count = async (url: string, sql: string, args: unknown[]): Promise<number> => {
  const conn = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(sql, args);
    return Number(rows[0]?.['n']);
  } finally {
    await conn.end();
  }
};

describe.skipIf(!(await mysqlAvailable()))('C2C over HTTP on 2 MySQL shards', () => {
  let dbs: TestMysql[] = [];
  let t: TestService;
  beforeAll(async () => {
    dbs = [await createTestMysql('svc0'), await createTestMysql('svc1')];
    t = await startTestService('sqlite', {
      config: { mysql: dbs.map((d) => d.url), worker: { pollMs: 50 } },
    });
  });
  afterAll(async () => {
    await t?.stop();
    const conn = await mysql.createConnection({ uri: dbs[0]!.url });
    for (const db of dbs)
      for (const suffix of ['_finance', '_shadow', '_finance_shadow'])
        await conn.query(`DROP DATABASE IF EXISTS \`${db.database}${suffix}\``);
    await conn.end();
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('gives 100 concurrent claimers of each shard packet exactly its amount, and the worker transfers on both shards', async () => {
    const senders = [uidOn(0, 2, 'httpsender'), uidOn(1, 2, 'httpsender')];
    const ids = await Promise.all(
      senders.map((sender, i) =>
        t.activePacket(sender, {
          outOrderNo: `sharded-${i}-${Date.now()}`,
          totalAmount: 10_000,
          totalCount: 100,
        }),
      ),
    );
    expect(ids.map((id) => shardOfPacketNo(id, 2))).toStrictEqual([0, 1]);

    const results = await Promise.all(
      ids.flatMap((id, p) =>
        Array.from({ length: 100 }, (_, i) => t.claim(id, `claimer-${p}-${i}`).then((r) => ({ id, ...r }))),
      ),
    );
    for (const [shard, id] of ids.entries()) {
      const mine = results.filter((r) => r.id === id);
      expect(mine.filter((r) => r.status === 200)).toHaveLength(100);
      expect(mine.reduce((sum, r) => sum + (r.body.amount as number), 0)).toBe(10_000);
      const db = dbs[shard]!.url;
      const other = dbs[1 - shard]!.url;
      expect(await count(db, 'SELECT COUNT(*) AS n FROM claims WHERE packet_id = ?', [id])).toBe(100);
      expect(await count(other, 'SELECT COUNT(*) AS n FROM packets WHERE id = ?', [id])).toBe(0);
      expect(await count(other, 'SELECT COUNT(*) AS n FROM claims WHERE packet_id = ?', [id])).toBe(0);
    }

    // the outbox worker leases the transfer tasks of both shards (5 each is enough to see it: the
    // rest carry on in the background, as in the single-database suites)
    const transferred = (shard: number, id: string) =>
      count(
        dbs[shard]!.url,
        "SELECT COUNT(*) AS n FROM claims WHERE packet_id = ? AND status = 'transferred'",
        [id],
      );
    const progress = () => Promise.all(ids.map((id, shard) => transferred(shard, id)));
    for (let i = 0; i < 600 && (await progress()).some((n) => n < 5); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await progress()).every((n) => n >= 5)).toBe(true);
    const packet = await t.call('GET', `/v1/packets/${ids[1]}`, { uid: senders[1]! });
    expect(packet.body).toMatchObject({ status: 'exhausted', remainingAmount: 0 });
  });
});
