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

/**
 * Locking reads by the primary key, hinted: MariaDB may plan a short IN list on a small table as
 * a full index scan, which locks every row it passes (as the packet store's batch statements found).
 */
const PRIMARY_KEY = { forceIndex: 'PRIMARY' };

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
  const changed = async (statement: SQL) => (await tx.execute(statement))[0].affectedRows;
  return {
    async lockOrders(orderNos) {
      const found = new Map<string, StoredOrder>();
      await q.inChunks(lockOrderOf(orderNos), BATCH_CHUNK, async (part) => {
        const rows = await tx
          .select()
          .from(orders, PRIMARY_KEY)
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
          .from(accounts, PRIMARY_KEY)
          .where(inArray(accounts.id, part))
          .orderBy(asc(accounts.id))
          .for('update');
        for (const a of rows) found.set(a.id, a);
      });
      return found;
    },
    insertOrders: (rows) => q.inChunks(rows, BATCH_CHUNK, (part) => run(q.insertOrders(part))),
    settleOrders: (rows, now) =>
      q.countInChunks(rows, BATCH_CHUNK, (part) => changed(q.settleOrders(part, now))),
    failOrders: (nos, now) => q.countInChunks(nos, BATCH_CHUNK, (part) => changed(q.failOrders(part, now))),
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
