/**
 * The batch statements, the same text for SQLite and MariaDB. Numbers, order numbers, uids, ids
 * and txn ids go in as literals (./sql-literals.ts: only `A-Za-z0-9_.:-` text and safe integers);
 * `subject` and `notifyUrl` (free text) are bound parameters. One statement per call: callers
 * chunk the rows (BATCH_CHUNK). Column lists name the tables of sqlite/ and mysql/ migrations.
 */
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Fen } from '../../domain/money.js';
import { inList, literal } from './sql-literals.js';
import type { StoredOrder } from './types.js';

const orNull = (v: string | null): string => (v === null ? 'NULL' : literal(v));

export function insertOrders(rows: readonly StoredOrder[]): SQL {
  const values = rows.map((o) => {
    const head = [o.orderNo, o.kind, o.uid, o.amount, o.status].map(literal).join(', ');
    const ids = `${orNull(o.txnId)}, ${orNull(o.payOrderNo)}`;
    const times = `${literal(o.createdAt)}, ${literal(o.updatedAt)}`;
    return sql`(${sql.raw(`${head}, ${ids}`)}, ${o.subject}, ${o.notifyUrl}, ${sql.raw(times)})`;
  });
  return sql`INSERT INTO orders (order_no, kind, uid, amount, status, txn_id, pay_order_no, subject, notify_url, created_at, updated_at) VALUES ${sql.join(values, sql`, `)}`;
}

export function settleOrders(rows: readonly { orderNo: string; txnId: string }[], now: number): SQL {
  const cases = rows.map((r) => `WHEN ${literal(r.orderNo)} THEN ${literal(r.txnId)}`).join(' ');
  return sql.raw(
    `UPDATE orders SET status = 'succeeded', txn_id = CASE order_no ${cases} END, updated_at = ${literal(now)} ` +
      `WHERE order_no IN ${inList(rows.map((r) => r.orderNo))} AND status = 'pending'`,
  );
}

export function failOrders(orderNos: readonly string[], now: number): SQL {
  return sql.raw(
    `UPDATE orders SET status = 'failed', updated_at = ${literal(now)} ` +
      `WHERE order_no IN ${inList(orderNos)} AND status = 'pending'`,
  );
}

export function addToBalances(deltas: readonly (readonly [string, Fen])[], now: number): SQL {
  const cases = deltas.map(([id, delta]) => `WHEN ${literal(id)} THEN ${literal(delta)}`).join(' ');
  return sql.raw(
    `UPDATE accounts SET balance = balance + CASE id ${cases} END, updated_at = ${literal(now)} ` +
      `WHERE id IN ${inList(deltas.map(([id]) => id))}`,
  );
}

/** Cuts `rows` into chunks of `size` and runs `fn` on each, one after the other. */
export async function inChunks<T>(
  rows: readonly T[],
  size: number,
  fn: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
}

/** As inChunks, for statements that answer how many rows they changed: the sum. */
export async function countInChunks<T>(
  rows: readonly T[],
  size: number,
  fn: (chunk: T[]) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let i = 0; i < rows.length; i += size) total += await fn(rows.slice(i, i + size));
  return total;
}
