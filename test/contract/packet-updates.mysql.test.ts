/**
 * Issue 25: a claim group's packet UPDATEs are one statement per 800 packets
 * (src/storage/mysql/packet-updates.ts). Each packet keeps its own guard, a guard that misses
 * for any one packet fails the group, and the statement reads the packets by the primary key.
 */
import type { Pool, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/domain/packet.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { IN_LIST_MAX_VALUES } from '../../src/storage/mysql/in-lists.js';
import { writeMysqlClaims } from '../../src/storage/mysql/mysql-claim-tx.js';
import { createMysqlPool, createMysqlStore } from '../../src/storage/mysql/mysql-store.js';
import { packetUpdateStatements } from '../../src/storage/mysql/packet-updates.js';
import type { PacketWrite } from '../../src/storage/shared/store-dialect.js';
import { activePacket } from './contract-fixtures.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';

/** The write a claim of one share makes on `packet`, guarded by what was read. */
const oneClaimOf = (packet: Packet, now: number): PacketWrite => ({
  packetId: packet.id,
  guard: { status: packet.status, remainingCount: packet.remainingCount },
  change: {
    status: packet.remainingCount === 1 ? 'exhausted' : packet.status,
    remainingAmount: packet.remainingAmount - 1,
    remainingCount: packet.remainingCount - 1,
    updatedAt: now,
  },
});

describe.skipIf(!(await mysqlAvailable()))("the MySQL claim group's packet updates", () => {
  let db: TestMysql;
  let store: PacketStore;
  let pool: Pool;
  let packets: Packet[];
  beforeAll(async () => {
    db = await createTestMysql('pktupd');
    store = await createMysqlStore({ url: db.url });
    await store.migrate();
    pool = createMysqlPool({ url: db.url, connectionLimit: 2 });
    packets = [];
    for (let i = 0; i < 4; i++) packets.push(await activePacket(store));
    // 20,000 more packet rows (copies under other ids): enough that a scan is not the cheap plan
    const [[row]] = await pool.query<RowDataPacket[]>('SELECT * FROM packets LIMIT 1');
    const columns = Object.keys(row!);
    for (let k = 0; k < 10; k++) {
      const copies = Array.from({ length: 2_000 }, (_, j) => {
        const i = k * 2_000 + j;
        const id = `P00FILLER${String(i).padStart(6, '0')}`;
        return columns.map((c) => (c === 'id' ? id : c === 'out_order_no' ? `fill${i}` : row![c]));
      });
      await pool.query(`INSERT INTO packets (${columns.join(', ')}) VALUES ?`, [copies]);
    }
    await pool.query('ANALYZE TABLE packets');
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  const read = async (id: string) => (await store.getPacket(id))!;

  /** Locks `ps` and applies `writes` in the real claim transaction; the group's result. */
  const apply = (ps: readonly Packet[], writes: readonly PacketWrite[]) =>
    writeMysqlClaims(pool.pool, async (tx) => {
      await tx.lockForClaims(ps.map((p) => ({ packetId: p.id, uids: ['u'] })));
      const ok = await tx.applyClaims(writes, [], []);
      if (!ok) throw new Error('guard missed');
      return ok;
    });

  it('updates each packet of a group to its own change in one statement', async () => {
    const now = Date.now();
    const before = await Promise.all(packets.map((p) => read(p.id)));
    expect(packetUpdateStatements(before.map((p) => oneClaimOf(p, now))).statements).toHaveLength(1);
    await expect(
      apply(
        before,
        before.map((p) => oneClaimOf(p, now)),
      ),
    ).resolves.toBe(true);
    for (const p of before) {
      const after = await read(p.id);
      expect(after.remainingCount).toBe(p.remainingCount - 1);
      expect(after.remainingAmount).toBe(p.remainingAmount - 1);
      expect(after.updatedAt).toBe(now);
    }
  });

  it('fails the group and writes nothing when one packet no longer matches its guard', async () => {
    const before = await Promise.all(packets.map((p) => read(p.id)));
    const writes = before.map((p) => oneClaimOf(p, Date.now()));
    // the third packet's guard is one claim stale (as if another transaction had claimed it)
    writes[2] = {
      ...writes[2]!,
      guard: { ...writes[2]!.guard, remainingCount: before[2]!.remainingCount + 1 },
    };
    await expect(apply(before, writes)).rejects.toThrow(/guard missed/);
    for (const p of before) expect((await read(p.id)).remainingCount).toBe(p.remainingCount);
  });

  it('splits a group larger than one IN list into more statements, each a primary-key range', async () => {
    const writes = Array.from({ length: IN_LIST_MAX_VALUES + 5 }, (_, i) =>
      oneClaimOf({ ...packets[0]!, id: `P00MISSING${String(i).padStart(6, '0')}` }, 1),
    );
    const { statements, values } = packetUpdateStatements(writes);
    expect(statements).toHaveLength(2);
    const conn = await pool.getConnection();
    try {
      // both statements' values, in order: the placeholders of the first, then the second's
      let at = 0;
      for (const statement of statements) {
        const n = (statement.match(/\?/g) ?? []).length;
        const sql = conn.format(statement, values.slice(at, at + n) as unknown[]);
        at += n;
        const [plan] = await conn.query<RowDataPacket[]>(`EXPLAIN ${sql}`);
        for (const row of plan) {
          expect(row.type, JSON.stringify(row)).toBe('range');
          expect(row.key, JSON.stringify(row)).toBe('PRIMARY');
        }
      }
      expect(at).toBe(values.length);
    } finally {
      conn.release();
    }
  });
});
