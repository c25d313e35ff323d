/**
 * Review of issue 6: MariaDB turns an IN list of 1,000 values or more (`in_predicate_conversion_threshold`;
 * a (packet_id, uid) pair counts two) into a join with a materialized table, when the list's
 * collation is the column's. Then the packets of a claim group are locked in the list's order,
 * not id order, and the claims read depends on the optimizer's choice for the join. The claim
 * transaction keeps every IN list at IN_LIST_MAX_VALUES or fewer (src/storage/mysql/mysql-claim-tx.ts);
 * these are the plans of its statements at the coalescer's largest batch.
 */
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BATCH } from '../../src/core/claim-coalescer.js';
import { newPacketId } from '../../src/domain/ids.js';
import { IN_LIST_MAX_VALUES } from '../../src/storage/mysql/in-lists.js';
import { lockStatements } from '../../src/storage/mysql/mysql-claim-tx.js';
import { createMysqlPool } from '../../src/storage/mysql/mysql-store.js';
import { createTestMysqlStore, type TestMysqlStore } from '../support/mysql-store.js';
import { mysqlAvailable } from '../support/services.js';

interface PlanRow extends RowDataPacket {
  select_type: string;
  table: string | null;
  type: string | null;
  Extra: string | null;
}

const mysqlUp = await mysqlAvailable();

describe.skipIf(!mysqlUp)('the MySQL claim transaction on a batch of the largest size', () => {
  let db: TestMysqlStore;
  let pool: Pool;
  let mariadb = false;
  beforeAll(async () => {
    db = await createTestMysqlStore('inlists');
    pool = createMysqlPool({ url: db.url, connectionLimit: 2 });
    // 20,000 claims over 200 packets: enough rows that a full scan is not the cheap plan
    for (let p = 0; p < 200; p++) {
      const packetId = `P00FILLER${String(p).padStart(6, '0')}`;
      const rows = Array.from({ length: 100 }, (_, i) => [
        `C${p}x${i}`,
        packetId,
        `u${i}`,
        i + 1,
        1,
        'claimed',
        0,
        0,
      ]);
      await pool.query(
        'INSERT INTO claims (claim_no, packet_id, uid, seq, amount, status, created_at, updated_at) VALUES ?',
        [rows],
      );
    }
    await pool.query('ANALYZE TABLE claims, packets');
    const [[version]] = await pool.query<RowDataPacket[]>('SELECT VERSION() AS v');
    mariadb = String(version?.v).includes('MariaDB');
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /**
   * EXPLAINs on a connection whose collation is the tables' own (utf8mb4_bin): MariaDB converts an
   * IN list only when the list's collation matches the column's, which a connection set up that
   * way gets (e.g. a charset on the URL); mysql2's default connection collation does not.
   */
  async function explain(statements: Array<[string, unknown]>): Promise<PlanRow[][]> {
    const conn = await pool.getConnection();
    try {
      await conn.query('SET NAMES utf8mb4 COLLATE utf8mb4_bin');
      const out: PlanRow[][] = [];
      for (const [statement, value] of statements) {
        const [rows] = await conn.query<PlanRow[]>(`EXPLAIN ${conn.format(statement, [value])}`);
        out.push(rows);
      }
      return out;
    } finally {
      conn.release();
    }
  }

  const materialized = (rows: PlanRow[] | undefined) =>
    (rows ?? []).some((r) => r.select_type === 'MATERIALIZED' || String(r.table).startsWith('<subquery'));

  it('reads claims by the (packet_id, uid) key and locks packets by id, no list materialized', async () => {
    const hot = newPacketId(0);
    const hotPairs = Array.from({ length: DEFAULT_MAX_BATCH }, (_, i): [string, string] => [hot, `h${i}`]);
    const spreadIds = Array.from({ length: DEFAULT_MAX_BATCH }, () => newPacketId(0));
    const spreadPairs = spreadIds.map((id, i): [string, string] => [id, `s${i}`]);
    for (const [ids, pairs] of [
      [[hot], hotPairs],
      [spreadIds, spreadPairs],
    ] as const) {
      const { sql, values } = lockStatements(ids, pairs);
      const selects = sql.split(';\n').filter((s) => s.startsWith('SELECT'));
      expect(selects).toHaveLength(values.length);
      expect(selects.length).toBeGreaterThan(2); // a batch this size needs more than one list
      const all = await explain(selects.map((statement, i): [string, unknown] => [statement, values[i]]));
      for (const rows of all) {
        expect(materialized(rows), JSON.stringify(rows)).toBe(false);
        for (const row of rows) {
          expect(row.type, JSON.stringify(row)).not.toBe('ALL');
          expect(String(row.Extra ?? '')).not.toMatch(/Using temporary/);
        }
      }
    }
  });

  it('would be planned as a materialized list with the whole batch in one IN list (why lists are split)', async () => {
    if (!mariadb) return; // MySQL has no IN-list conversion; the split is harmless there
    const hot = newPacketId(0);
    const pairs = Array.from({ length: IN_LIST_MAX_VALUES }, (_, i) => [hot, `h${i}`]);
    const [claimsPlan] = await explain([
      ['SELECT claim_no FROM claims WHERE (packet_id, uid) IN (?)', pairs],
    ]);
    expect(materialized(claimsPlan)).toBe(true);
  });
});
