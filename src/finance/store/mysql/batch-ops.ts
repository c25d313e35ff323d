/**
 * Batch transfers and account openings in finance's MySQL store (see ../batch-dialect.ts).
 * Locking reads are one `SELECT … WHERE key IN (…) ORDER BY key FOR UPDATE` per chunk: InnoDB
 * walks the primary key in ascending order and locks as it goes, and the chunks follow that same
 * order, so a batch takes its locks in the one order every transaction uses (a deadlock that slips
 * through anyway is retried whole, see ./retry.ts).
 */
import { asc, inArray } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { MySqlDatabase } from 'drizzle-orm/mysql-core';
import type { MySql2PreparedQueryHKT, MySql2QueryResultHKT } from 'drizzle-orm/mysql2';
import { BATCH_CHUNK } from '../batch-dialect.js';
import type { BatchReads, BatchTxOps } from '../batch-dialect.js';
import * as q from '../batch-sql.js';
import { lockOrderOf } from '../dialect.js';
import type { Account, StoredOrder } from '../types.js';
import { accounts, orders } from './schema.js';

type Db = MySqlDatabase<MySql2QueryResultHKT, MySql2PreparedQueryHKT>;

export function mysqlBatchReads(db: Db): BatchReads {
  return {
    async openAccountIds(ids) {
      const found = new Set<string>();
      await q.inChunks(lockOrderOf(ids), BATCH_CHUNK, async (part) => {
        const rows = await db.select({ id: accounts.id }).from(accounts).where(inArray(accounts.id, part));
        for (const r of rows) found.add(r.id);
      });
      return found;
    },
  };
}

export function mysqlBatchTxOps(tx: Db): BatchTxOps {
  const run = (statement: SQL) => tx.execute(statement);
  return {
    async lockOrders(orderNos) {
      const found = new Map<string, StoredOrder>();
      await q.inChunks(lockOrderOf(orderNos), BATCH_CHUNK, async (part) => {
        const rows = await tx
          .select()
          .from(orders)
          .where(inArray(orders.orderNo, part))
          .orderBy(asc(orders.orderNo))
          .for('update');
        for (const o of rows) found.set(o.orderNo, o);
      });
      return found;
    },
    async lockAccountSet(ids) {
      const found = new Map<string, Account>();
      await q.inChunks(lockOrderOf(ids), BATCH_CHUNK, async (part) => {
        const rows = await tx
          .select()
          .from(accounts)
          .where(inArray(accounts.id, part))
          .orderBy(asc(accounts.id))
          .for('update');
        for (const a of rows) found.set(a.id, a);
      });
      return found;
    },
    insertOrders: (rows) => q.inChunks(rows, BATCH_CHUNK, (part) => run(q.insertOrders(part))),
    settleOrders: (rows, now) => q.inChunks(rows, BATCH_CHUNK, (part) => run(q.settleOrders(part, now))),
    failOrders: (nos, now) => q.inChunks(nos, BATCH_CHUNK, (part) => run(q.failOrders(part, now))),
    addToBalances: (deltas, now) =>
      q.inChunks(lockOrderOf([...deltas.keys()]), BATCH_CHUNK, (part) =>
        run(
          q.addToBalances(
            part.map((id) => [id, deltas.get(id) ?? 0] as const),
            now,
          ),
        ),
      ),
  };
}
