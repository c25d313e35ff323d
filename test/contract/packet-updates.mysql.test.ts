/**
 * Issue 25: a claim group's packet UPDATEs are one statement, its changes read by JSON_TABLE
 * (src/storage/mysql/packet-updates.ts). Each packet keeps its own guard, a guard that misses
 * for any one packet fails the group, and the statement finds the packets by the primary key.
 */
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/domain/packet.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { IN_LIST_MAX_VALUES } from '../../src/storage/mysql/in-lists.js';
import { writeMysqlClaims } from '../../src/storage/mysql/mysql-claim-tx.js';
import { createMysqlPool } from '../../src/storage/mysql/mysql-store.js';
import { packetUpdateStatements } from '../../src/storage/mysql/packet-updates.js';
import type { PacketWrite } from '../../src/storage/shared/store-dialect.js';
import { activePacket } from './contract-fixtures.js';
import { createTestMysqlStore, type TestMysqlStore } from '../support/mysql-store.js';
import { mysqlAvailable } from '../support/services.js';

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
  let db: TestMysqlStore;
  let store: PacketStore;
  let pool: Pool;
  let packets: Packet[];
  beforeAll(async () => {
    db = await createTestMysqlStore('pktupd');
    ({ store } = db);
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

  it('updates a group larger than one IN list in one statement, joined on the primary key', async () => {
    const writes = Array.from({ length: IN_LIST_MAX_VALUES + 5 }, (_, i) =>
      oneClaimOf({ ...packets[0]!, id: `P00MISSING${String(i).padStart(6, '0')}` }, 1),
    );
    const { statements, values } = packetUpdateStatements(writes);
    expect(statements).toHaveLength(1);
    const conn = await pool.getConnection();
    try {
      const [plan] = await conn.query<RowDataPacket[]>(
        `EXPLAIN ${conn.format(statements[0]!, values as unknown[])}`,
      );
      // the JSON table is read once, each of its rows finds its packet by the primary key
      const onPackets = plan.filter((row) => row.table === 'p');
      expect(onPackets, JSON.stringify(plan)).toHaveLength(1);
      expect(onPackets[0]!.type, JSON.stringify(plan)).toBe('eq_ref');
      expect(onPackets[0]!.key, JSON.stringify(plan)).toBe('PRIMARY');
      // and the statement runs: none of these packets exists, so no row matches
      const [result] = await conn.query<ResultSetHeader>(statements[0]!, values as unknown[]);
      expect(result.affectedRows).toBe(0);
    } finally {
      conn.release();
    }
  });

  it('reads every value of a change exactly, the largest safe fen and a time included', async () => {
    const before = await Promise.all(packets.slice(0, 2).map((p) => read(p.id)));
    const writes = before.map((p) => ({
      ...oneClaimOf(p, Number.MAX_SAFE_INTEGER - 7),
      change: { ...oneClaimOf(p, 0).change, updatedAt: Number.MAX_SAFE_INTEGER - 7 },
    }));
    await expect(apply(before, writes)).resolves.toBe(true);
    for (const p of before) expect((await read(p.id)).updatedAt).toBe(Number.MAX_SAFE_INTEGER - 7);
  });

  it('refuses a change that does not fit a column instead of writing a NULL or a 0', async () => {
    const before = await Promise.all(packets.slice(0, 2).map((p) => read(p.id)));
    const writes = before.map((p) => oneClaimOf(p, 1));
    writes[1] = {
      ...writes[1]!,
      change: { ...writes[1]!.change, remainingAmount: 1.5 },
    };
    // MariaDB's JSON_TABLE would read it as 0 with a warning: the statement is never sent
    await expect(apply(before, writes)).rejects.toMatchObject({ code: 'INTERNAL' });
    for (const p of before) expect((await read(p.id)).remainingCount).toBe(p.remainingCount);
  });
});
