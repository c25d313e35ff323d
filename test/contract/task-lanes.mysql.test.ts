/**
 * The worker leases its two lanes side by side (transfers in batches, the other kinds one by one),
 * each with `SELECT … FOR UPDATE SKIP LOCKED` in a REPEATABLE READ transaction. Such a scan locks
 * every row it reads; read by (status, due_at), the single lane's scan for a payment due after a
 * backlog of transfers read, and locked, every due transfer on its way, and the batch lane leasing
 * meanwhile skipped them all: it got a short lease and paused for a poll (seen in bench:transfer).
 * Each lane's scan now reads its own kinds' rows only (tasks_status_kind_due_idx), and one
 * worker leases its lanes one after the other (src/worker/create-worker.ts); this is two workers
 * (processes) leasing at once, where the other lane's scan still locks at most the one row just
 * past its range (REPEATABLE READ's next-key lock), never the backlog.
 */
import type { Pool } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacketStore } from '../../src/domain/ports.js';
import { createMysqlPool, mysqlDialect } from '../../src/storage/mysql/mysql-store.js';
import type { StoreDialect } from '../../src/storage/shared/store-dialect.js';
import { createTestMysqlStore, type TestMysqlStore } from '../support/mysql-store.js';
import { mysqlAvailable } from '../support/services.js';

const TRANSFERS = 300;

describe.skipIf(!(await mysqlAvailable()))('the worker lanes leasing side by side on MariaDB', () => {
  let db: TestMysqlStore;
  let pool: Pool;
  let store: PacketStore;
  let dialect: StoreDialect;
  beforeAll(async () => {
    db = await createTestMysqlStore('lanes');
    ({ store } = db);
    pool = createMysqlPool({ url: db.url, connectionLimit: 4 });
    dialect = mysqlDialect(pool);
    const task = (kind: string, ref: string, dueAt: number) => [kind, ref, 'pending', dueAt, 0, 0, 0];
    const rows = [
      ...Array.from({ length: TRANSFERS }, (_, i) => task('transfer', `C${i}`, 1 + i)),
      task('payment_recheck', 'O1', 1_000),
      task('refund', 'R1', 1_001),
    ];
    await pool.query(
      'INSERT INTO tasks (kind, ref, status, due_at, attempts, created_at, updated_at) VALUES ?',
      [rows],
    );
  }, 60_000);
  afterAll(async () => {
    await dialect?.close();
    await db?.drop();
  });

  it("leases the due transfers while another worker's single-lane scan is still open, and that lane its own", async () => {
    let scanned!: () => void;
    const scanDone = new Promise<void>((resolve) => (scanned = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const singles = dialect.write(async (tx) => {
      const due = await tx.dueTasks({
        now: 5_000,
        limit: 32,
        kinds: ['payment_recheck', 'refund', 'expire'],
      });
      scanned();
      await held; // the single lane's transaction stays open, its locks held
      return due;
    });
    await scanDone;
    const bulk = await store.leaseTasks({
      owner: 'bulk-lane',
      now: 5_000,
      leaseMs: 60_000,
      limit: TRANSFERS,
      kinds: ['transfer'],
    });
    release();
    expect(bulk.length).toBeGreaterThanOrEqual(TRANSFERS - 1); // by (status, due_at): none
    expect(new Set(bulk.map((t) => t.kind))).toStrictEqual(new Set(['transfer']));
    expect((await singles).map((t) => t.ref)).toStrictEqual(['O1', 'R1']);
  });
});
