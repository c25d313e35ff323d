/**
 * SQLite adapter (@libsql/client + drizzle). One file, WAL journal, a busy timeout for other
 * processes, and write transactions serialized in process by a mutex (BEGIN IMMEDIATE each).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import type { ResultSet } from '@libsql/client';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Dialect, TxOps } from '../dialect.js';
import { lockOrderOf } from '../dialect.js';
import { createMutex } from '../mutex.js';
import type { Account, BooksCheck, LedgerEntry, StoredOrder } from '../types.js';
import { SQLITE_MIGRATIONS, SQLITE_MIGRATIONS_TABLE } from './migrations.js';
import { sqliteBatchReads, sqliteBatchTxOps } from './batch-ops.js';
import { sqliteInstallReads, sqliteInstallTxOps } from './install-ops.js';
import { sqliteRainReads, sqliteRainTxOps } from './rain-ops.js';
import { sqliteRainExportReads } from './rain-export-ops.js';
import { sqliteSignedRequests } from './signed-requests.js';
import { accounts, ledgerEntries, orders } from './schema.js';
import { openSqliteReader, type SqliteReader } from '../../../storage/sqlite/sqlite-reader.js';

type Db = BaseSQLiteDatabase<'async', ResultSet>;

const BUSY_TIMEOUT_MS = 5_000;
const LEDGER_COLUMNS =
  'id, txn_id AS txnId, order_no AS orderNo, kind, account, direction, amount, created_at AS createdAt';

function txOps(tx: Db): TxOps {
  return {
    ...sqliteRainTxOps(tx), // issue 3
    ...sqliteInstallTxOps(tx), // issue 5
    ...sqliteBatchTxOps(tx), // batch transfers
    async lockOrder(orderNo) {
      const rows = await tx.select().from(orders).where(eq(orders.orderNo, orderNo)).limit(1);
      return rows[0] ?? null;
    },
    async insertOrder(order) {
      await tx.insert(orders).values(order);
    },
    async settleOrder(orderNo, txnId, now) {
      await tx
        .update(orders)
        .set({ status: 'succeeded', txnId, updatedAt: now })
        .where(eq(orders.orderNo, orderNo));
    },
    async closeOrder(orderNo, now) {
      await tx
        .update(orders)
        .set({ status: 'closed', updatedAt: now })
        .where(and(eq(orders.orderNo, orderNo), eq(orders.status, 'pending')));
    },
    async failOrder(orderNo, now) {
      await tx
        .update(orders)
        .set({ status: 'failed', updatedAt: now })
        .where(and(eq(orders.orderNo, orderNo), eq(orders.status, 'pending')));
    },
    async lockAccounts(ids) {
      const rows = await tx
        .select()
        .from(accounts)
        .where(inArray(accounts.id, lockOrderOf(ids)));
      return new Map(rows.map((a) => [a.id, a]));
    },
    async insertAccount(account) {
      await tx.insert(accounts).values(account);
    },
    async addToBalance(id, delta, now) {
      await tx
        .update(accounts)
        .set({ balance: sql`${accounts.balance} + ${delta}`, updatedAt: now })
        .where(eq(accounts.id, id));
    },
    async insertLedger(entries) {
      if (entries.length > 0) await tx.insert(ledgerEntries).values([...entries]);
    },
    async sumRefunds(payOrderNo) {
      const [row] = await tx
        .select({ total: sql<number>`coalesce(sum(${orders.amount}), 0)` })
        .from(orders)
        .where(
          and(
            eq(orders.payOrderNo, payOrderNo),
            eq(orders.kind, 'refund'),
            inArray(orders.status, ['pending', 'succeeded']),
          ),
        );
      return Number(row?.total ?? 0);
    },
  };
}

export function openSqlite(file: string): Dialect {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  const client = createClient({ url: `file:${path}`, timeout: BUSY_TIMEOUT_MS });
  const db = drizzle(client);
  const mutex = createMutex();
  let reader: SqliteReader | undefined;
  let walReady: Promise<unknown> | undefined;
  // WAL is a property of the file, set once; readers then never block the writer.
  const ready = () => (walReady ??= client.execute('PRAGMA journal_mode = WAL'));

  const write = async <T>(fn: (tx: TxOps) => Promise<T>): Promise<T> => {
    await ready();
    return mutex.run(() => db.transaction((tx) => fn(txOps(tx))));
  };

  return {
    ...sqliteRainReads(db), // issue 3
    ...sqliteRainExportReads(db), // issue 8
    ...sqliteInstallReads(db), // issue 5
    ...sqliteBatchReads(db), // batch transfers
    ...sqliteSignedRequests(), // issue 18
    kind: 'sqlite',
    write,

    async getOrder(orderNo): Promise<StoredOrder | null> {
      const rows = await db.select().from(orders).where(eq(orders.orderNo, orderNo)).limit(1);
      return rows[0] ?? null;
    },

    async getAccount(id): Promise<Account | null> {
      const rows = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
      return rows[0] ?? null;
    },

    // Walks the primary key from the window's first entry. Left to itself SQLite took the
    // created_at index and sorted the window's every entry by id for each page: quadratic in the
    // window (a 1,000,000-order day's recon spent minutes here). Issue 22: the pages are read by
    // `libsql` itself (sqlite-reader.ts), not through the client and drizzle's row mapping.
    async listLedger(q): Promise<LedgerEntry[]> {
      await ready();
      const db = (reader ??= openSqliteReader(path, BUSY_TIMEOUT_MS));
      let afterId = q.afterId;
      if (afterId === undefined && q.fromMs !== undefined) {
        const [first] = db.all(`SELECT min(id) AS id FROM ledger_entries WHERE created_at >= ?`, [q.fromMs]);
        if (first?.id === null || first?.id === undefined) return [];
        afterId = Number(first.id) - 1;
      }
      // `+created_at`: the time bounds filter, they do not choose the index
      const bounds: [string, number | undefined][] = [
        ['id > ?', afterId],
        ['+created_at >= ?', q.fromMs],
        ['+created_at < ?', q.toMs],
      ];
      const used = bounds.filter((b): b is [string, number] => b[1] !== undefined);
      const where = used.length > 0 ? `WHERE ${used.map((b) => b[0]).join(' AND ')}` : '';
      return db.all(
        `SELECT ${LEDGER_COLUMNS} FROM ledger_entries ${where} ORDER BY id LIMIT ${Math.floor(q.limit)}`,
        used.map((b) => b[1]),
      ) as unknown as LedgerEntry[];
    },

    // Under the write mutex, so the sums see one consistent state.
    checkBooks: () =>
      mutex.run(async (): Promise<BooksCheck> => {
        const [ledger] = await db
          .select({
            total: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)`,
            count: sql<number>`count(*)`,
          })
          .from(ledgerEntries);
        const [balances] = await db
          .select({ total: sql<number>`coalesce(sum(${accounts.balance}), 0)`, count: sql<number>`count(*)` })
          .from(accounts);
        const perAccount = sql<number>`coalesce((select sum(l.amount) from ledger_entries l where l.account = ${accounts.id}), 0)`;
        const mismatched = await db
          .select({ account: accounts.id, balance: accounts.balance, ledger: perAccount })
          .from(accounts)
          .where(ne(accounts.balance, perAccount));
        return {
          ledgerTotal: Number(ledger?.total ?? 0),
          balanceTotal: Number(balances?.total ?? 0),
          mismatched: mismatched.map((m) => ({ ...m, ledger: Number(m.ledger) })),
          accounts: Number(balances?.count ?? 0),
          entries: Number(ledger?.count ?? 0),
        };
      }),

    async migrate() {
      await ready();
      await mutex.run(async () => {
        await client.execute(SQLITE_MIGRATIONS_TABLE);
        const applied = await client.execute('SELECT version FROM schema_migrations');
        const done = new Set(applied.rows.map((r) => Number(r.version)));
        for (const m of SQLITE_MIGRATIONS) {
          if (done.has(m.version)) continue;
          // One batch = one transaction: a migration is applied whole or not at all.
          await client.batch(
            [
              ...m.statements,
              {
                sql: 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
                args: [m.version, m.name, Date.now()],
              },
            ],
            'write',
          );
        }
      });
    },

    async close() {
      reader?.close();
      await mutex.run(async () => client.close());
    },
  };
}
