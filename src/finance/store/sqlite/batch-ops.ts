/**
 * Batch transfers and account openings in finance's SQLite store (see ../batch-dialect.ts).
 * Writers are serialized (one BEGIN IMMEDIATE at a time), so the "locking" reads are plain reads.
 */
import type { ResultSet } from '@libsql/client';
import { inArray } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { BATCH_CHUNK } from '../batch-dialect.js';
import type { BatchReads, BatchTxOps } from '../batch-dialect.js';
import * as q from '../batch-sql.js';
import { lockOrderOf } from '../dialect.js';
import type { Account, StoredOrder } from '../types.js';
import { accounts, orders } from './schema.js';

type Db = BaseSQLiteDatabase<'async', ResultSet>;

export function sqliteBatchReads(db: Db): BatchReads {
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

export function sqliteBatchTxOps(tx: Db): BatchTxOps {
  const run = (statement: SQL) => tx.run(statement);
  const changed = async (statement: SQL) => (await tx.run(statement)).rowsAffected;
  return {
    async lockOrders(orderNos) {
      const found = new Map<string, StoredOrder>();
      await q.inChunks(lockOrderOf(orderNos), BATCH_CHUNK, async (part) => {
        for (const o of await tx.select().from(orders).where(inArray(orders.orderNo, part))) {
          found.set(o.orderNo, o);
        }
      });
      return found;
    },
    async lockAccountSet(ids) {
      const found = new Map<string, Account>();
      await q.inChunks(lockOrderOf(ids), BATCH_CHUNK, async (part) => {
        for (const a of await tx.select().from(accounts).where(inArray(accounts.id, part)))
          found.set(a.id, a);
      });
      return found;
    },
    insertOrders: (rows) => q.inChunks(rows, BATCH_CHUNK, (part) => run(q.insertOrders(part))),
    settleOrders: (rows, now) =>
      q.countInChunks(rows, BATCH_CHUNK, (part) => changed(q.settleOrders(part, now))),
    failOrders: (nos, now) => q.countInChunks(nos, BATCH_CHUNK, (part) => changed(q.failOrders(part, now))),
    addToBalances: (deltas, now) =>
      q.inChunks([...deltas.entries()], BATCH_CHUNK, (part) => run(q.addToBalances(part, now))),
  };
}
