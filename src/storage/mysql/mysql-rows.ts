/**
 * Row access for MySQL/MariaDB, over the pool (plain reads) or one transaction's connection.
 * Inside a transaction, the rows that decide a write are read with `FOR UPDATE`: the latest
 * committed row, held until commit.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { Claim } from '../../domain/claim.js';
import type { PaymentOrder, RefundOrder } from '../../domain/order.js';
import type { Packet } from '../../domain/packet.js';
import type { Task } from '../../domain/ports.js';
import { chunks, taskRow, type StoreReads, type StoreTx } from '../shared/store-dialect.js';
import { claims, packets, paymentOrders, refundOrders, tasks } from './schema.js';
import { createMysqlSettlementRows } from './mysql-settlement-rows.js';
import { createMysqlSubsidyRows } from './subsidy-rows.js';

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

export function createMysqlRows(db: MySql2Database): StoreReads & StoreTx {
  const packetQuery = (packetId: string) =>
    db.select().from(packets).where(eq(packets.id, packetId)).limit(1);
  const paymentQuery = (payOrderNo: string) =>
    db.select().from(paymentOrders).where(eq(paymentOrders.payOrderNo, payOrderNo)).limit(1);

  return {
    ...createMysqlSettlementRows(db), // issue 4
    ...createMysqlSubsidyRows(db), // issue 3
    packet: async (packetId): Promise<Packet | null> => first(await packetQuery(packetId)),
    payment: async (payOrderNo): Promise<PaymentOrder | null> => first(await paymentQuery(payOrderNo)),
    lockPacket: async (packetId): Promise<Packet | null> => first(await packetQuery(packetId).for('update')),
    lockPayment: async (payOrderNo): Promise<PaymentOrder | null> =>
      first(await paymentQuery(payOrderNo).for('update')),

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

    /**
     * A plain read, on purpose. It runs after `lockPacket`, and every claim of a packet is written
     * under that packet's lock, so it cannot miss one: InnoDB takes a REPEATABLE READ snapshot at a
     * transaction's first plain read, which here comes after the lock was granted, i.e. after the
     * previous claim transaction of this packet committed. A locking read would add gap locks on
     * the (packet_id, uid) index, which neighbouring packets' claim inserts deadlock on.
     */
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
      const [result] = await db
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
      return result.affectedRows === 1;
    },

    async updatePayment(payOrderNo, guardStatus, change) {
      const [result] = await db
        .update(paymentOrders)
        .set({ status: change.status, providerTxnId: change.providerTxnId, updatedAt: change.updatedAt })
        .where(and(eq(paymentOrders.payOrderNo, payOrderNo), eq(paymentOrders.status, guardStatus)));
      return result.affectedRows === 1;
    },
  };
}
