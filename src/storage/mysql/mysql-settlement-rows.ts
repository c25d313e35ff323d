/**
 * Issue 4 rows for MySQL/MariaDB: task leases, claim and refund settlement, the sweeper's scan, alerts.
 * Inside a transaction the deciding reads lock their rows (`FOR UPDATE`); due tasks are read with
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers lease different tasks and never wait on each other.
 * The batch statements (the worker's transfer batches) keep every IN list at IN_LIST_MAX_VALUES values
 * or fewer, their chunks in ascending key order, so chunk after chunk locks in one order.
 */
import { and, asc, eq, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { MySqlColumn, MySqlTable } from 'drizzle-orm/mysql-core';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { Claim } from '../../domain/claim.js';
import type { RefundOrder } from '../../domain/order.js';
import type { Alert, Task, UnsettledQuery } from '../../domain/ports.js';
import type { SettlementReads, SettlementTx, UnsettledRow } from '../shared/settlement-dialect.js';
import { chunks } from '../shared/store-dialect.js';
import { type OrderTables, unsettledRow, unsettledScan } from '../shared/unsettled-scan.js';
import { IN_LIST_MAX_VALUES } from './in-lists.js';
import { alerts, claims, packets, paymentOrders, refundOrders, tasks } from './schema.js';
import { b2cReturns, withdrawals } from './subsidy-schema.js';

type Db = MySql2Database;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

/** Sorted keys in IN lists short enough for MariaDB to keep them lists (./in-lists.ts says why). */
const inLists = <T>(sorted: readonly T[]): T[][] => chunks(sorted, IN_LIST_MAX_VALUES);

/**
 * The batch statements that lock go by the primary key, hinted: on a small table MariaDB 10.11
 * plans `UPDATE … WHERE pk IN (200 values)` as a full index scan, which under REPEATABLE READ
 * locks every row it passes (other batches' claims, and the gaps new claims go into), and two
 * batches then deadlock on rows neither asked for (seen in the contract's overlapping batches).
 */
const PRIMARY_KEY = { forceIndex: 'PRIMARY' };

/** The rows an UPDATE changed (every batch UPDATE changes the status of what it matches). */
async function affectedRows(db: Db, statement: SQL): Promise<number> {
  const [result] = await db.execute(statement);
  return result.affectedRows;
}

const ORDER_TABLES: OrderTables<MySqlColumn, MySqlTable> = {
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

export function createMysqlSettlementRows(db: Db): SettlementReads & SettlementTx {
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

  return {
    claimByNo,
    async claimsByNo(claimNos): Promise<Claim[]> {
      const found: Claim[] = [];
      for (const part of inLists([...claimNos].sort())) {
        found.push(...(await db.select().from(claims).where(inArray(claims.claimNo, part))));
      }
      return found;
    },
    refundByNo,
    task,
    lockTask: async (kind, ref) =>
      first(
        await db
          .select()
          .from(tasks)
          .where(and(eq(tasks.kind, kind), eq(tasks.ref, ref)))
          .limit(1)
          .for('update'),
      ),
    lockClaim: async (claimNo) =>
      first(await db.select().from(claims).where(eq(claims.claimNo, claimNo)).limit(1).for('update')),
    async lockClaims(claimNos): Promise<Claim[]> {
      const locked: Claim[] = [];
      for (const part of inLists([...claimNos].sort())) {
        locked.push(
          ...(await db
            .select()
            .from(claims, PRIMARY_KEY)
            .where(inArray(claims.claimNo, part))
            .orderBy(asc(claims.claimNo))
            .for('update')),
        );
      }
      return locked;
    },
    lockRefund: async (refundNo) =>
      first(
        await db
          .select()
          .from(refundOrders)
          .where(eq(refundOrders.refundNo, refundNo))
          .limit(1)
          .for('update'),
      ),

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
      // a lane's kinds by their own index range: the (status, due_at) index would pass, and under
      // REPEATABLE READ lock, every due task of the other lane, which then skips them (SKIP LOCKED)
      return db
        .select()
        .from(tasks, kinds === undefined ? {} : { forceIndex: 'tasks_status_kind_due_idx' })
        .where(
          and(
            eq(tasks.status, 'pending'),
            lte(tasks.dueAt, now),
            or(isNull(tasks.leaseUntil), lte(tasks.leaseUntil, now)),
            kinds === undefined ? undefined : inArray(tasks.kind, [...kinds]),
          ),
        )
        .orderBy(asc(tasks.dueAt), asc(tasks.id))
        .limit(limit)
        .for('update', { skipLocked: true });
    },

    async leaseTasks(ids, owner, leaseUntil, now) {
      if (ids.length === 0) return;
      for (const part of inLists([...ids].sort((a, b) => a - b))) {
        await db.execute(
          sql`UPDATE ${tasks} FORCE INDEX (PRIMARY)
          SET ${tasks.leaseOwner} = ${owner}, ${tasks.leaseUntil} = ${leaseUntil},
            ${tasks.attempts} = ${tasks.attempts} + 1, ${tasks.updatedAt} = ${now}
          WHERE ${inArray(tasks.id, part)}`,
        );
      }
    },

    async endTask(id, owner, end) {
      const [result] = await db
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
      return result.affectedRows === 1;
    },

    async completeTasks(ids, owner, now) {
      let done = 0;
      for (const part of inLists([...ids].sort((a, b) => a - b))) {
        done += await affectedRows(
          db,
          sql`UPDATE ${tasks} FORCE INDEX (PRIMARY)
          SET ${tasks.status} = 'done', ${tasks.leaseOwner} = NULL, ${tasks.leaseUntil} = NULL,
            ${tasks.updatedAt} = ${now}
          WHERE ${inArray(tasks.id, part)} AND ${tasks.status} = 'pending' AND ${tasks.leaseOwner} = ${owner}`,
        );
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
      const [result] = await db
        .update(claims)
        .set({ status: to, updatedAt: now })
        .where(and(eq(claims.claimNo, claimNo), eq(claims.status, guard)));
      return result.affectedRows === 1;
    },

    async updateClaimsStatus(claimNos, guard, to, now) {
      let updated = 0;
      for (const part of inLists([...claimNos].sort())) {
        updated += await affectedRows(
          db,
          sql`UPDATE ${claims} FORCE INDEX (PRIMARY) SET ${claims.status} = ${to}, ${claims.updatedAt} = ${now}
          WHERE ${inArray(claims.claimNo, part)} AND ${claims.status} = ${guard}`,
        );
      }
      return updated;
    },

    async insertRefund(refund) {
      await db.insert(refundOrders).values(refund);
    },

    async updateRefundStatus(refundNo, guard, to, now) {
      const [result] = await db
        .update(refundOrders)
        .set({ status: to, updatedAt: now })
        .where(and(eq(refundOrders.refundNo, refundNo), eq(refundOrders.status, guard)));
      return result.affectedRows === 1;
    },

    async insertAlert(alert) {
      await db.insert(alerts).values(alert);
    },
  };
}
