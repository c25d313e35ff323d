/**
 * The sweeper's scan of unsettled orders (issue 4; withdrawals, B2C returns and overdue expiries
 * since), written once for both dialects: which table and columns each order kind is read from,
 * the filter (unsettled statuses, the cut-off, the keyset after the last page) and the order. The
 * dialect files only run the SELECT (drizzle's query builders are typed per dialect).
 */
import { and, asc, eq, gt, inArray, lt, or } from 'drizzle-orm';
import type { Column, SQL, Table } from 'drizzle-orm';
import type { UnsettledQuery } from '../../domain/ports.js';
import type { UnsettledRow } from './settlement-dialect.js';
import { UNSETTLED_STATUSES } from './settlement-rules.js';

/** The tables the scan reads, as a dialect's schema declares them (C, T: its column and table types). */
export interface OrderTables<C extends Column, T extends Table> {
  paymentOrders: T & { payOrderNo: C; status: C; createdAt: C };
  claims: T & { claimNo: C; status: C; createdAt: C };
  refundOrders: T & { refundNo: C; status: C; createdAt: C };
  withdrawals: T & { withdrawalNo: C; status: C; createdAt: C };
  b2cReturns: T & { returnNo: C; packetId: C; status: C; createdAt: C };
  packets: T & { id: C; status: C; expiresAt: C };
}

/** What one order kind's scan reads: its table, and the columns it selects, filters and orders by. */
interface OrderColumns<C extends Column, T extends Table> {
  table: T;
  ref: C;
  taskRef: C;
  status: C;
  createdAt: C;
}

/**
 * The table and columns of one order kind, typed loosely so one query serves them all. `taskRef`:
 * what the order's task is keyed by (the order number itself, but for a B2C return its packet id).
 * `createdAt`: what the cut-off and the keyset compare (an expiry's: the packet's expires_at).
 */
function orderTable<C extends Column, T extends Table>(
  kind: UnsettledQuery['kind'],
  t: OrderTables<C, T>,
): OrderColumns<C, T> {
  switch (kind) {
    case 'payment':
      return {
        table: t.paymentOrders,
        ref: t.paymentOrders.payOrderNo,
        taskRef: t.paymentOrders.payOrderNo,
        status: t.paymentOrders.status,
        createdAt: t.paymentOrders.createdAt,
      };
    case 'transfer':
      return {
        table: t.claims,
        ref: t.claims.claimNo,
        taskRef: t.claims.claimNo,
        status: t.claims.status,
        createdAt: t.claims.createdAt,
      };
    case 'refund':
      return {
        table: t.refundOrders,
        ref: t.refundOrders.refundNo,
        taskRef: t.refundOrders.refundNo,
        status: t.refundOrders.status,
        createdAt: t.refundOrders.createdAt,
      };
    case 'withdrawal':
      // withdrawals_status_created_idx (status, created_at) serves this scan
      return {
        table: t.withdrawals,
        ref: t.withdrawals.withdrawalNo,
        taskRef: t.withdrawals.withdrawalNo,
        status: t.withdrawals.status,
        createdAt: t.withdrawals.createdAt,
      };
    case 'b2c_return':
      // b2c_returns_created_idx (created_at, return_no): the scan reads every return made before
      // the cut-off and keeps the pending ones (one row per expired B2C packet with a remainder)
      return {
        table: t.b2cReturns,
        ref: t.b2cReturns.returnNo,
        taskRef: t.b2cReturns.packetId,
        status: t.b2cReturns.status,
        createdAt: t.b2cReturns.createdAt,
      };
    case 'expiry':
      // active t.packets past expires_at, in (expires_at, id) order: packets_status_expires_idx
      // (status, expires_at, id) reads only the overdue active ones, never the whole table
      return {
        table: t.packets,
        ref: t.packets.id,
        taskRef: t.packets.id,
        status: t.packets.status,
        createdAt: t.packets.expiresAt,
      };
  }
}

/** One page of the scan: what to select, from where, filtered and ordered (keyset on createdAt, ref). */
export function unsettledScan<C extends Column, T extends Table>(
  t: OrderTables<C, T>,
  q: UnsettledQuery,
): {
  columns: { ref: C; taskRef: C; status: C; createdAt: C };
  table: T;
  where: SQL | undefined;
  orderBy: [SQL, SQL];
} {
  const { table, ref, taskRef, status, createdAt } = orderTable(q.kind, t);
  const after = q.after;
  const where = and(
    inArray(status, [...UNSETTLED_STATUSES[q.kind]]),
    lt(createdAt, q.createdBefore),
    after === undefined
      ? undefined
      : or(gt(createdAt, after.createdAt), and(eq(createdAt, after.createdAt), gt(ref, after.ref))),
  );
  return { columns: { ref, taskRef, status, createdAt }, table, where, orderBy: [asc(createdAt), asc(ref)] };
}

/** A scanned row as the sweeper reads it (drivers answer numbers and strings in their own types). */
export function unsettledRow(r: {
  ref: unknown;
  taskRef: unknown;
  status: unknown;
  createdAt: unknown;
}): UnsettledRow {
  return {
    ref: String(r.ref),
    taskRef: String(r.taskRef),
    status: String(r.status),
    createdAt: Number(r.createdAt),
  };
}
