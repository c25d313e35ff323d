/**
 * Issue 22: the MariaDB/MySQL counterpart of recon-query-plans.sqlite.test.ts. On a store with a
 * few thousand packets and claims over ten days (analyzed, so the optimizer has statistics), every keyset page
 * the recon store sends walks the order table's `created_at` index with no filesort and no
 * temporary table, and reads that table alone (every other table a per-row look-up by key): with
 * the packet type as a JOIN (also as CROSS JOIN, EXISTS or IN) MariaDB drove the claims' page from
 * packets' type index and sorted the window's every claim for each page (1.2 s a page at 50,000
 * packets, a size this test does not build, hence the structural check).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { ReconOrderRow, ReconScope } from '../../src/domain/ports.js';
import { createStore } from '../../src/storage/create-store.js';
import { mysqlRunner } from '../../src/storage/recon/create-recon-store.js';
import { createReconStore, type SqlRunner, type SqlValue } from '../../src/storage/recon/recon-store.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';

const KINDS: [ReconScope, ReconOrderRow['kind']][] = [
  ['c2c', 'payment'],
  ['c2c', 'transfer'],
  ['c2c', 'refund'],
  ['b2c', 'transfer'],
  ['b2c', 'return'],
];
const PACKETS = 2000;
const DAY = 86_400_000;
const T0 = 1_770_739_200_000;
/** The store spans ten days, the window one of them (as a real store: the window is a slice). */
const STEP = (10 * DAY) / PACKETS;

/** 0..9999 without a sequence engine or a recursion limit (MySQL and MariaDB). */
const DIGIT = `(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
  UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)`;
const NUMBERS = `(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d AS i FROM ${DIGIT} a, ${DIGIT} b, ${DIGIT} c, ${DIGIT} e)`;

interface PlanRow {
  id: number;
  table: string | null;
  key: string | null;
  Extra: string | null;
}

describe.skipIf(!(await mysqlAvailable()))('the recon pages on MariaDB/MySQL', () => {
  let db: TestMysql;
  let runner: SqlRunner;
  const sent: { sql: string; args: readonly SqlValue[] }[] = [];

  beforeAll(async () => {
    db = await createTestMysql('reconplans');
    const store = await createStore({ kind: 'mysql', urls: [db.url] });
    await store.migrate();
    await store.close();
    const switches = await createSwitchStore({ kind: 'mysql', urls: [db.url] });
    await switches.migrate();
    await switches.close();
    const conn = await mysql.createConnection({ uri: db.url });
    try {
      const at = `${T0} + n.i * ${STEP}`;
      await conn.query(`INSERT INTO packets (id, type, sender_uid, out_order_no, total_amount, total_count,
          remaining_amount, remaining_count, split_mode, status, greeting, pay_order_no, expires_at, created_at, updated_at)
        SELECT CONCAT('P', LPAD(n.i, 8, '0')), 'c2c', CONCAT('u', n.i), CONCAT('o', n.i), 400, 4, 0, 0, 'fixed',
          'exhausted', '', CONCAT('PAY', LPAD(n.i, 8, '0')), ${at} + ${DAY}, ${at}, ${at}
        FROM ${NUMBERS} n WHERE n.i < ${PACKETS}`);
      await conn.query(`INSERT INTO payment_orders (pay_order_no, packet_id, payer_uid, amount, status,
          provider_txn_id, created_at, updated_at)
        SELECT CONCAT('PAY', LPAD(n.i, 8, '0')), CONCAT('P', LPAD(n.i, 8, '0')), CONCAT('u', n.i), 400, 'paid',
          CONCAT('TXN', n.i), ${at}, ${at}
        FROM ${NUMBERS} n WHERE n.i < ${PACKETS}`);
      await conn.query(`INSERT INTO claims (claim_no, packet_id, uid, seq, amount, status, created_at, updated_at)
        SELECT CONCAT('C', LPAD(n.i, 8, '0'), '-', j.d), CONCAT('P', LPAD(n.i, 8, '0')), CONCAT('c', j.d), j.d, 100,
          'transferred', ${at} + j.d, ${at} + j.d
        FROM ${NUMBERS} n, ${DIGIT} j WHERE n.i < ${PACKETS} AND j.d BETWEEN 1 AND 4`);
      await conn.query(`ANALYZE TABLE packets, payment_orders, claims`);
    } finally {
      await conn.end();
    }
    runner = mysqlRunner(db.url);
  });
  afterAll(async () => {
    await runner?.close();
    await db?.drop();
  });

  async function plansOf(read: (store: ReturnType<typeof createReconStore>) => Promise<unknown>) {
    sent.length = 0;
    const recording: SqlRunner = {
      all: (sql, args) => (sent.push({ sql, args }), runner.all(sql, args)),
      run: (sql, args) => runner.run(sql, args),
      close: async () => {},
    };
    await read(createReconStore(recording));
    expect(sent.length).toBeGreaterThan(0);
    return Promise.all(
      sent.map(async (s) => (await runner.all(`EXPLAIN ${s.sql}`, s.args)) as unknown as PlanRow[]),
    );
  }

  const middle = T0 + DAY / 2;

  it.each(KINDS)('reads %s %s orders along the created_at index, no sort per page', async (scope, kind) => {
    const [plan] = await plansOf((s) =>
      s.listOrders({
        scope,
        kind,
        fromMs: T0,
        toMs: T0 + DAY,
        after: { createdAt: middle, orderNo: 'X' },
        limit: 1000,
      }),
    );
    for (const row of plan!) expect(String(row.Extra ?? '')).not.toMatch(/filesort|temporary/i);
    expect(plan![0]).toMatchObject({ table: 'o', key: expect.stringMatching(/created/) });
    // the page's own SELECT reads the order table alone; the rest are per-row look-ups by key (a
    // JOIN lets the optimizer drive from the other table: it did at 50,000 packets, not at this size)
    expect(plan!.filter((r) => r.id === 1).map((r) => r.table)).toEqual(['o']);
  });

  it('reads packet totals and subsidies along an index, no sort per page', async () => {
    const plans = await plansOf(async (s) => {
      for (const type of ['c2c', 'b2c'] as const)
        await s.listPacketTotals({
          type,
          fromMs: T0,
          toMs: T0 + DAY,
          after: { createdAt: middle, packetId: 'P' },
          limit: 1000,
        });
      await s.listSubsidies({
        fromMs: T0,
        toMs: T0 + DAY,
        after: { issuedAt: middle, outGrantNo: 'G' },
        limit: 1000,
      });
    });
    expect(plans).toHaveLength(3);
    for (const plan of plans) {
      for (const row of plan) expect(String(row.Extra ?? '')).not.toMatch(/filesort|temporary/i);
      expect(plan[0]!.key).toMatch(/created|issued/);
    }
  });
});
