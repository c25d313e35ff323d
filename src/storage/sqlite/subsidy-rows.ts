/**
 * Issue 3: subsidy rows for SQLite, over the database or a transaction. Locks are implicit: every
 * write transaction holds the database's write lock (BEGIN IMMEDIATE), so "insert if missing, then
 * read" is all a lock needs here.
 */
import type { ResultSet } from '@libsql/client';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Claim } from '../../domain/claim.js';
import { chunks } from '../shared/store-dialect.js';
import type { SubsidyReads, SubsidyTx } from '../shared/subsidy-dialect.js';
import { claims } from './schema.js';
import { sqliteBalanceRows } from './subsidy-balance-rows.js';
import { subsidies, subsidyGrantGuard } from './subsidy-schema.js';

type SqliteDb = BaseSQLiteDatabase<'async', ResultSet>;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

export function createSqliteSubsidyRows(db: SqliteDb): SubsidyReads & SubsidyTx {
  return {
    ...sqliteBalanceRows(db),

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
        .select({ count: count(), amount: sql<number>`coalesce(sum(${subsidies.amount}), 0)` })
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
        await db.insert(subsidyGrantGuard).values(part).onConflictDoNothing();
      }
      const found = [];
      for (const part of chunks(sorted.map((r) => r.outGrantNo))) {
        found.push(
          ...(await db.select().from(subsidyGrantGuard).where(inArray(subsidyGrantGuard.outGrantNo, part))),
        );
      }
      return found;
    },
    async lockSubsidies(tokenIds) {
      const found = [];
      for (const part of chunks(tokenIds)) {
        found.push(...(await db.select().from(subsidies).where(inArray(subsidies.tokenId, part))));
      }
      return found;
    },
    async insertSubsidies(rows) {
      for (const part of chunks(rows)) await db.insert(subsidies).values(part);
    },
    async spendSubsidy(tokenId, packetId, now) {
      const result = await db
        .update(subsidies)
        .set({ status: 'used', packetId, updatedAt: now })
        .where(and(eq(subsidies.tokenId, tokenId), eq(subsidies.status, 'available')));
      return result.rowsAffected === 1;
    },

    async lockClaimForCredit(claimNo): Promise<Claim | null> {
      return first(await db.select().from(claims).where(eq(claims.claimNo, claimNo)).limit(1));
    },
    async markClaimCredited(claimNo, from, now) {
      const result = await db
        .update(claims)
        .set({ status: 'transferred', updatedAt: now })
        .where(and(eq(claims.claimNo, claimNo), eq(claims.status, from)));
      return result.rowsAffected === 1;
    },
  };
}
