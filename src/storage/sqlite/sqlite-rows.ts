/**
 * Row access for SQLite, over the database or a transaction (same query builder). Locks are
 * implicit: every write transaction starts with BEGIN IMMEDIATE, so it holds the database's
 * write lock before its first read.
 */
import type { ResultSet } from '@libsql/client';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Claim } from '../../domain/claim.js';
import type { PaymentOrder, RefundOrder } from '../../domain/order.js';
import type { Packet } from '../../domain/packet.js';
import type { Task } from '../../domain/ports.js';
import { chunks, taskRow, type StoreReads, type StoreTx } from '../shared/store-dialect.js';
import { claims, packets, paymentOrders, refundOrders, tasks } from './schema.js';
import { createSqliteSettlementRows } from './sqlite-settlement-rows.js';
import { createSqliteSubsidyRows } from './subsidy-rows.js';

export type SqliteDb = BaseSQLiteDatabase<'async', ResultSet>;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

export function createSqliteRows(db: SqliteDb): StoreReads & StoreTx {
  const packet = async (packetId: string): Promise<Packet | null> =>
    first(await db.select().from(packets).where(eq(packets.id, packetId)).limit(1));
  const payment = async (payOrderNo: string): Promise<PaymentOrder | null> =>
    first(await db.select().from(paymentOrders).where(eq(paymentOrders.payOrderNo, payOrderNo)).limit(1));

  return {
    ...createSqliteSettlementRows(db), // issue 4
    ...createSqliteSubsidyRows(db), // issue 3
    packet,
    payment,
    lockPacket: packet,
    lockPayment: payment,

    async packetByOrder(senderUid, outOrderNo) {
      return first(
        await db
          .select()
          .from(packets)
          .where(and(eq(packets.senderUid, senderUid), eq(packets.outOrderNo, outOrderNo)))
          .limit(1),
      );
    },

    async claim(packetId, uid): Promise<Claim | null> {
      return first(
        await db
          .select()
          .from(claims)
          .where(and(eq(claims.packetId, packetId), eq(claims.uid, uid)))
          .limit(1),
      );
    },

    async claimsOfPacket(packetId): Promise<Claim[]> {
      return db.select().from(claims).where(eq(claims.packetId, packetId)).orderBy(asc(claims.seq));
    },

    async claimsOf(packetId, uids): Promise<Claim[]> {
      if (uids.length === 0) return [];
      const found: Claim[] = [];
      for (const part of chunks(uids)) {
        found.push(
          ...(await db
            .select()
            .from(claims)
            .where(and(eq(claims.packetId, packetId), inArray(claims.uid, part)))),
        );
      }
      return found;
    },

    async refund(refundNo): Promise<RefundOrder | null> {
      return first(await db.select().from(refundOrders).where(eq(refundOrders.refundNo, refundNo)).limit(1));
    },

    async tasks(filter): Promise<Task[]> {
      const where = and(
        filter.kind === undefined ? undefined : eq(tasks.kind, filter.kind),
        filter.status === undefined ? undefined : eq(tasks.status, filter.status),
      );
      return db.select().from(tasks).where(where).orderBy(asc(tasks.id));
    },

    async insertPacket(row) {
      await db.insert(packets).values(row);
    },

    async insertPayment(row) {
      await db.insert(paymentOrders).values(row);
    },

    async insertClaims(rows) {
      for (const part of chunks(rows)) await db.insert(claims).values(part);
    },

    async insertTasks(rows) {
      for (const part of chunks(rows)) await db.insert(tasks).values(part.map(taskRow));
    },

    async updatePacket(packetId, guard, change) {
      const result = await db
        .update(packets)
        .set({
          status: change.status,
          remainingAmount: change.remainingAmount,
          remainingCount: change.remainingCount,
          updatedAt: change.updatedAt,
        })
        .where(
          and(
            eq(packets.id, packetId),
            eq(packets.status, guard.status),
            eq(packets.remainingCount, guard.remainingCount),
          ),
        );
      return result.rowsAffected === 1;
    },

    async updatePayment(payOrderNo, guardStatus, change) {
      const result = await db
        .update(paymentOrders)
        .set({ status: change.status, providerTxnId: change.providerTxnId, updatedAt: change.updatedAt })
        .where(and(eq(paymentOrders.payOrderNo, payOrderNo), eq(paymentOrders.status, guardStatus)));
      return result.rowsAffected === 1;
    },
  };
}
