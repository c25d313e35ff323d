/**
 * MySQL/MariaDB adapter (mysql2 pool + drizzle). READ COMMITTED transactions with
 * `SELECT … FOR UPDATE` in one lock order, retried when InnoDB picks them as a deadlock victim.
 */
import { and, asc, eq, gt, gte, inArray, lt, ne, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { MySqlDatabase } from 'drizzle-orm/mysql-core';
import { drizzle } from 'drizzle-orm/mysql2';
import type { MySql2PreparedQueryHKT, MySql2QueryResultHKT } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import type { Dialect, TxOps } from '../dialect.js';
import { lockOrderOf } from '../dialect.js';
import type { Account, BooksCheck, LedgerEntry, LedgerQuery, StoredOrder } from '../types.js';
import { MYSQL_MIGRATIONS, MYSQL_MIGRATIONS_TABLE } from './migrations.js';
import { withRetry } from './retry.js';
import { mysqlBatchReads, mysqlBatchTxOps } from './batch-ops.js';
import { mysqlInstallReads, mysqlInstallTxOps } from './install-ops.js';
import { mysqlRainReads, mysqlRainTxOps } from './rain-ops.js';
import { mysqlRainExportReads } from './rain-export-ops.js';
import { mysqlSignedRequests } from './signed-requests.js';
import { accounts, ledgerEntries, orders } from './schema.js';

type Db = MySqlDatabase<MySql2QueryResultHKT, MySql2PreparedQueryHKT>;

function txOps(tx: Db): TxOps {
  return {
    ...mysqlRainTxOps(tx), // issue 3
    ...mysqlInstallTxOps(tx), // issue 5
    ...mysqlBatchTxOps(tx), // batch transfers
    async lockOrder(orderNo) {
      const rows = await tx.select().from(orders).where(eq(orders.orderNo, orderNo)).limit(1).for('update');
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
      const found = new Map<string, Account>();
      // One statement per account, in id order: the lock order is explicit, not up to the optimizer.
      for (const id of lockOrderOf(ids)) {
        const [row] = await tx.select().from(accounts).where(eq(accounts.id, id)).for('update');
        if (row) found.set(id, row);
      }
      return found;
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
        .select({ total: sql`coalesce(sum(${orders.amount}), 0)`.mapWith(Number) })
        .from(orders)
        .where(
          and(
            eq(orders.payOrderNo, payOrderNo),
            eq(orders.kind, 'refund'),
            inArray(orders.status, ['pending', 'succeeded']),
          ),
        );
      return row?.total ?? 0;
    },
  };
}

function ledgerFilter(q: LedgerQuery): SQL | undefined {
  return and(
    q.fromMs === undefined ? undefined : gte(ledgerEntries.createdAt, q.fromMs),
    q.toMs === undefined ? undefined : lt(ledgerEntries.createdAt, q.toMs),
    q.afterId === undefined ? undefined : gt(ledgerEntries.id, q.afterId),
  );
}

export function openMysql(url: string): Dialect {
  // trace: false: no stack captured per query (see createMysqlPool in src/storage/mysql/mysql-store.ts)
  const pool = mysql.createPool({ uri: url, connectionLimit: 10, waitForConnections: true, trace: false });
  const db: Db = drizzle({ client: pool });

  return {
    ...mysqlRainReads(db), // issue 3
    ...mysqlRainExportReads(db), // issue 8
    ...mysqlInstallReads(db), // issue 5
    ...mysqlBatchReads(db), // batch transfers
    ...mysqlSignedRequests(pool), // issue 18
    kind: 'mysql',

    write: (fn) =>
      withRetry(() => db.transaction((tx) => fn(txOps(tx)), { isolationLevel: 'read committed' })),

    async getOrder(orderNo): Promise<StoredOrder | null> {
      const rows = await db.select().from(orders).where(eq(orders.orderNo, orderNo)).limit(1);
      return rows[0] ?? null;
    },

    async getAccount(id): Promise<Account | null> {
      const rows = await db.select().from(accounts).where(eq(accounts.id, id)).limit(1);
      return rows[0] ?? null;
    },

    async listLedger(q): Promise<LedgerEntry[]> {
      return db
        .select()
        .from(ledgerEntries)
        .where(ledgerFilter(q))
        .orderBy(asc(ledgerEntries.id))
        .limit(q.limit);
    },

    // One consistent snapshot for all three sums. (No accessMode: drizzle 0.45 renders
    // `with consistent snapshot read only` without the comma MariaDB needs.)
    checkBooks: () =>
      db.transaction(
        async (tx): Promise<BooksCheck> => {
          const total = sql`coalesce(sum(${ledgerEntries.amount}), 0)`.mapWith(Number);
          const [ledger] = await tx
            .select({ total, count: sql`count(*)`.mapWith(Number) })
            .from(ledgerEntries);
          const [balances] = await tx
            .select({
              total: sql`coalesce(sum(${accounts.balance}), 0)`.mapWith(Number),
              count: sql`count(*)`.mapWith(Number),
            })
            .from(accounts);
          const perAccount = sql`coalesce((select sum(l.amount) from ledger_entries l where l.account = ${accounts.id}), 0)`;
          const mismatched = await tx
            .select({ account: accounts.id, balance: accounts.balance, ledger: perAccount.mapWith(Number) })
            .from(accounts)
            .where(ne(accounts.balance, perAccount));
          return {
            ledgerTotal: ledger?.total ?? 0,
            balanceTotal: balances?.total ?? 0,
            mismatched,
            accounts: balances?.count ?? 0,
            entries: ledger?.count ?? 0,
          };
        },
        { isolationLevel: 'repeatable read', withConsistentSnapshot: true },
      ),

    async migrate() {
      await pool.query(MYSQL_MIGRATIONS_TABLE);
      const [rows] = await pool.query('SELECT version FROM schema_migrations');
      const done = new Set((rows as { version: number }[]).map((r) => Number(r.version)));
      for (const m of MYSQL_MIGRATIONS) {
        if (done.has(m.version)) continue;
        for (const statement of m.statements) await pool.query(statement);
        await pool.query(
          'INSERT IGNORE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
          [m.version, m.name, Date.now()],
        );
      }
    },

    async close() {
      await pool.end();
    },
  };
}
