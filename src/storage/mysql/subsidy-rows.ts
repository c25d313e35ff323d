/**
 * Issue 3: subsidy rows for MySQL/MariaDB, over the pool or one transaction's connection. Rows that
 * may be missing are "locked" by inserting them with ON DUPLICATE KEY UPDATE first: on a duplicate
 * it takes an EXCLUSIVE lock (a plain INSERT IGNORE would take a shared one, and two waiters
 * upgrading shared locks deadlock), so racing transactions on one grant or balance queue up.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { Claim } from '../../domain/claim.js';
import { chunks } from '../shared/store-dialect.js';
import type { SubsidyReads, SubsidyTx } from '../shared/subsidy-dialect.js';
import { claims } from './schema.js';
import { mysqlBalanceRows } from './subsidy-balance-rows.js';
import { subsidies, subsidyGrantGuard } from './subsidy-schema.js';

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

export function createMysqlSubsidyRows(db: MySql2Database): SubsidyReads & SubsidyTx {
  return {
    ...mysqlBalanceRows(db),

    async subsidy(tokenId) {
      return first(await db.select().from(subsidies).where(eq(subsidies.tokenId, tokenId)).limit(1));
    },
    async subsidiesOf(uid) {
      return db
        .select()
        .from(subsidies)
        .where(eq(subsidies.uid, uid))
        .orderBy(desc(subsidies.issuedAt), asc(subsidies.tokenId));
    },
    async subsidyTotals(campaign) {
      const [row] = await db
        .select({ count: count(), amount: sql`coalesce(sum(${subsidies.amount}), 0)`.mapWith(Number) })
        .from(subsidies)
        .where(eq(subsidies.campaign, campaign));
      return { count: Number(row?.count ?? 0), amount: Number(row?.amount ?? 0) };
    },
    async subsidyOfPacket(packetId) {
      return first(await db.select().from(subsidies).where(eq(subsidies.packetId, packetId)).limit(1));
    },

    async lockGrantGuards(rows) {
      const sorted = [...rows].sort((a, b) => (a.outGrantNo < b.outGrantNo ? -1 : 1));
      for (const part of chunks(sorted)) {
        await db
          .insert(subsidyGrantGuard)
          .values(part)
          .onDuplicateKeyUpdate({ set: { outGrantNo: sql`${subsidyGrantGuard.outGrantNo}` } });
      }
      const found = [];
      for (const part of chunks(sorted.map((r) => r.outGrantNo))) {
        found.push(
          ...(await db
            .select()
            .from(subsidyGrantGuard)
            .where(inArray(subsidyGrantGuard.outGrantNo, part))
            .for('update')),
        );
      }
      return found;
    },
    async lockSubsidies(tokenIds) {
      const found = [];
      for (const part of chunks(tokenIds)) {
        found.push(
          ...(await db.select().from(subsidies).where(inArray(subsidies.tokenId, part)).for('update')),
        );
      }
      return found;
    },
    async insertSubsidies(rows) {
      for (const part of chunks(rows)) await db.insert(subsidies).values(part);
    },
    async spendSubsidy(tokenId, packetId, now) {
      const [result] = await db
        .update(subsidies)
        .set({ status: 'used', packetId, updatedAt: now })
        .where(and(eq(subsidies.tokenId, tokenId), eq(subsidies.status, 'available')));
      return result.affectedRows === 1;
    },

    async lockClaimForCredit(claimNo): Promise<Claim | null> {
      return first(await db.select().from(claims).where(eq(claims.claimNo, claimNo)).limit(1).for('update'));
    },
    async markClaimCredited(claimNo, from, now) {
      const [result] = await db
        .update(claims)
        .set({ status: 'transferred', updatedAt: now })
        .where(and(eq(claims.claimNo, claimNo), eq(claims.status, from)));
      return result.affectedRows === 1;
    },
  };
}
