/**
 * Issue 4 rows for SQLite: task leases, claim and refund settlement, the sweeper's scan, alerts.
 * Every write transaction holds the database's write lock from its start (BEGIN IMMEDIATE), so a
 * plain read inside one is already a locking read, and two workers can never lease one task.
 */
import type { ResultSet } from '@libsql/client';
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase, SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Claim } from '../../domain/claim.js';
import type { RefundOrder } from '../../domain/order.js';
import type { Alert, Task, UnsettledQuery } from '../../domain/ports.js';
import type { SettlementReads, SettlementTx, UnsettledRow } from '../shared/settlement-dialect.js';
import { chunks } from '../shared/store-dialect.js';
import { type OrderTables, unsettledRow, unsettledScan } from '../shared/unsettled-scan.js';
import { alerts, claims, packets, paymentOrders, refundOrders, tasks } from './schema.js';
import { b2cReturns, withdrawals } from './subsidy-schema.js';

type Db = BaseSQLiteDatabase<'async', ResultSet>;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

const ORDER_TABLES: OrderTables<SQLiteColumn, SQLiteTable> = {
  paymentOrders,
  claims,
  refundOrders,
  withdrawals,
  b2cReturns,
  packets,
};

async function unsettledRows(db: Db, q: UnsettledQuery): Promise<UnsettledRow[]> {
  const scan = unsettledScan(ORDER_TABLES, q);
  const rows = await db
    .select(scan.columns)
    .from(scan.table)
    .where(scan.where)
    .orderBy(...scan.orderBy)
    .limit(q.limit);
  return rows.map(unsettledRow);
}

export function createSqliteSettlementRows(db: Db): SettlementReads & SettlementTx {
  const task = async (kind: Task['kind'], ref: string): Promise<Task | null> =>
    first(
      await db
        .select()
        .from(tasks)
        .where(and(eq(tasks.kind, kind), eq(tasks.ref, ref)))
        .limit(1),
    );
  const claimByNo = async (claimNo: string): Promise<Claim | null> =>
    first(await db.select().from(claims).where(eq(claims.claimNo, claimNo)).limit(1));
  const refundByNo = async (refundNo: string): Promise<RefundOrder | null> =>
    first(await db.select().from(refundOrders).where(eq(refundOrders.refundNo, refundNo)).limit(1));
  // chunked only to stay far below SQLite's limit of bound parameters
  const claimsByNo = async (claimNos: readonly string[]): Promise<Claim[]> => {
    const found: Claim[] = [];
    for (const part of chunks(claimNos)) {
      found.push(...(await db.select().from(claims).where(inArray(claims.claimNo, part))));
    }
    return found;
  };

  return {
    claimByNo,
    claimsByNo,
    refundByNo,
    task,
    lockTask: task,
    lockClaim: claimByNo,
    lockClaims: claimsByNo,
    lockRefund: refundByNo,

    async tasksByRefs(kind, refs): Promise<Task[]> {
      if (refs.length === 0) return [];
      return db
        .select()
        .from(tasks)
        .where(and(eq(tasks.kind, kind), inArray(tasks.ref, [...refs])));
    },

    unsettled: (q) => unsettledRows(db, q),

    async alerts(): Promise<Alert[]> {
      return db.select().from(alerts).orderBy(asc(alerts.id));
    },

    async dueTasks({ now, limit, kinds }): Promise<Task[]> {
      return db
        .select()
        .from(tasks)
        .where(
          and(
            eq(tasks.status, 'pending'),
            lte(tasks.dueAt, now),
            or(isNull(tasks.leaseUntil), lte(tasks.leaseUntil, now)),
            kinds === undefined ? undefined : inArray(tasks.kind, [...kinds]),
          ),
        )
        .orderBy(asc(tasks.dueAt), asc(tasks.id))
        .limit(limit);
    },

    async leaseTasks(ids, owner, leaseUntil, now) {
      if (ids.length === 0) return;
      await db
        .update(tasks)
        .set({ leaseOwner: owner, leaseUntil, attempts: sql`${tasks.attempts} + 1`, updatedAt: now })
        .where(inArray(tasks.id, [...ids]));
    },

    async endTask(id, owner, end) {
      const result = await db
        .update(tasks)
        .set({
          status: end.status,
          ...(end.dueAt === undefined ? {} : { dueAt: end.dueAt }),
          ...(end.lastError === undefined ? {} : { lastError: end.lastError }),
          leaseOwner: null,
          leaseUntil: null,
          updatedAt: end.now,
        })
        .where(and(eq(tasks.id, id), eq(tasks.status, 'pending'), eq(tasks.leaseOwner, owner)));
      return result.rowsAffected === 1;
    },

    async completeTasks(ids, owner, now) {
      let done = 0;
      for (const part of chunks(ids)) {
        const result = await db
          .update(tasks)
          .set({ status: 'done', leaseOwner: null, leaseUntil: null, updatedAt: now })
          .where(and(inArray(tasks.id, part), eq(tasks.status, 'pending'), eq(tasks.leaseOwner, owner)));
        done += result.rowsAffected;
      }
      return done;
    },

    async reviveTask(id, dueAt, now) {
      await db
        .update(tasks)
        .set({ status: 'pending', dueAt, leaseOwner: null, leaseUntil: null, updatedAt: now })
        .where(and(eq(tasks.id, id), eq(tasks.status, 'done')));
    },

    async updateClaimStatus(claimNo, guard, to, now) {
      const result = await db
        .update(claims)
        .set({ status: to, updatedAt: now })
        .where(and(eq(claims.claimNo, claimNo), eq(claims.status, guard)));
      return result.rowsAffected === 1;
    },

    async updateClaimsStatus(claimNos, guard, to, now) {
      let updated = 0;
      for (const part of chunks(claimNos)) {
        const result = await db
          .update(claims)
          .set({ status: to, updatedAt: now })
          .where(and(inArray(claims.claimNo, part), eq(claims.status, guard)));
        updated += result.rowsAffected;
      }
      return updated;
    },

    async insertRefund(refund) {
      await db.insert(refundOrders).values(refund);
    },

    async updateRefundStatus(refundNo, guard, to, now) {
      const result = await db
        .update(refundOrders)
        .set({ status: to, updatedAt: now })
        .where(and(eq(refundOrders.refundNo, refundNo), eq(refundOrders.status, guard)));
      return result.rowsAffected === 1;
    },

    async insertAlert(alert) {
      await db.insert(alerts).values(alert);
    },
  };
}
