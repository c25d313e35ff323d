/**
 * bench:soak's setup at a festival's size: active, paid C2C packets written straight into one
 * MySQL database in multi-row INSERTs, 1,000 packets a transaction. The rows are the store's own
 * (`c2cPacketRows`, `taskRow`, the drizzle schema) in the state `createC2cPacket` + `markPaid`
 * leave them: the packet active, its payment paid, its payment re-check and expiry tasks pending.
 * `makePackets` (./bench-packets.ts) takes that path call by call, two transactions a packet: about
 * 60-250 packets/s on this machine, hours for 1,000,000; this takes minutes. What the soak measures
 * (the core's memory while it claims them out) never sees how the rows were written.
 */
import { drizzle } from 'drizzle-orm/mysql2';
import { createPool } from 'mysql2/promise';
import { newOrderNo, newPacketId } from '../src/domain/ids.js';
import { packets, paymentOrders, tasks } from '../src/storage/mysql/schema.js';
import { c2cPacketRows } from '../src/storage/shared/c2c-packet-rows.js';
import { taskRow, type NewTask } from '../src/storage/shared/store-dialect.js';

const PER_TX = 1000;

export interface BulkPackets {
  /** `count` active packets of `shares` shares (100 fen each on average); their ids. */
  make(count: number, shares: number, tag: string): Promise<string[]>;
  close(): Promise<void>;
}

export function bulkPackets(url: string): BulkPackets {
  const pool = createPool({ uri: url, connectionLimit: 2 });
  return {
    async make(count, shares, tag) {
      const ids: string[] = [];
      for (let done = 0; done < count; done += PER_TX) {
        const now = Date.now();
        const batch = Array.from({ length: Math.min(PER_TX, count - done) }, () => {
          const payOrderNo = newOrderNo('PAY', now);
          const rows = c2cPacketRows({
            id: newPacketId(0, now),
            senderUid: `sender-${tag}`,
            outOrderNo: payOrderNo,
            totalAmount: shares * 100,
            totalCount: shares,
            splitMode: 'random',
            greeting: '',
            expiresAt: now + 3600_000,
            payOrderNo,
            now,
          });
          const expire: NewTask = { kind: 'expire', ref: rows.packet.id, dueAt: rows.packet.expiresAt, now };
          return {
            packet: { ...rows.packet, status: 'active' as const },
            payment: { ...rows.payment, status: 'paid' as const, providerTxnId: `T${payOrderNo}` },
            tasks: [rows.recheck, expire].map(taskRow),
          };
        });
        const conn = await pool.getConnection();
        try {
          const db = drizzle(conn);
          await conn.beginTransaction();
          await db.insert(packets).values(batch.map((b) => b.packet));
          await db.insert(paymentOrders).values(batch.map((b) => b.payment));
          await db.insert(tasks).values(batch.flatMap((b) => b.tasks));
          await conn.commit();
        } catch (e) {
          await conn.rollback();
          throw e;
        } finally {
          conn.release();
        }
        for (const b of batch) ids.push(b.packet.id);
      }
      return ids;
    },
    close: () => pool.end(),
  };
}
