/** Issue 3: subsidy balances, credits, withdrawals and B2C returns for SQLite (see ./subsidy-rows.ts). */
import type { ResultSet } from '@libsql/client';
import { and, desc, eq } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { SubsidyReads, SubsidyTx } from '../shared/subsidy-dialect.js';
import { b2cReturns, subsidyBalances, subsidyCredits, withdrawals } from './subsidy-schema.js';

type SqliteDb = BaseSQLiteDatabase<'async', ResultSet>;

type BalanceRows = Pick<
  SubsidyReads & SubsidyTx,
  | 'subsidyBalance'
  | 'subsidyCredit'
  | 'withdrawal'
  | 'withdrawalsOf'
  | 'withdrawalByOrder'
  | 'b2cReturn'
  | 'insertSubsidyCredit'
  | 'lockSubsidyBalance'
  | 'updateSubsidyBalance'
  | 'lockWithdrawal'
  | 'insertWithdrawal'
  | 'updateWithdrawal'
  | 'insertB2cReturn'
  | 'updateB2cReturnStatus'
>;

const first = <T>(rows: T[]): T | null => rows[0] ?? null;

export function sqliteBalanceRows(db: SqliteDb): BalanceRows {
  const balance = async (uid: string) =>
    first(await db.select().from(subsidyBalances).where(eq(subsidyBalances.uid, uid)).limit(1));
  const withdrawal = async (withdrawalNo: string) =>
    first(await db.select().from(withdrawals).where(eq(withdrawals.withdrawalNo, withdrawalNo)).limit(1));
  const b2cReturn = async (packetId: string) =>
    first(await db.select().from(b2cReturns).where(eq(b2cReturns.packetId, packetId)).limit(1));

  return {
    subsidyBalance: balance,
    withdrawal,
    lockWithdrawal: withdrawal,
    b2cReturn,

    async subsidyCredit(claimNo) {
      return first(
        await db.select().from(subsidyCredits).where(eq(subsidyCredits.claimNo, claimNo)).limit(1),
      );
    },
    async withdrawalsOf(uid) {
      return db
        .select()
        .from(withdrawals)
        .where(eq(withdrawals.uid, uid))
        .orderBy(desc(withdrawals.createdAt), desc(withdrawals.withdrawalNo));
    },
    async withdrawalByOrder(uid, outOrderNo) {
      return first(
        await db
          .select()
          .from(withdrawals)
          .where(and(eq(withdrawals.uid, uid), eq(withdrawals.outOrderNo, outOrderNo)))
          .limit(1),
      );
    },

    async insertSubsidyCredit(row) {
      await db.insert(subsidyCredits).values(row);
    },
    async lockSubsidyBalance(uid, now) {
      await db
        .insert(subsidyBalances)
        .values({ uid, available: 0, held: 0, updatedAt: now })
        .onConflictDoNothing();
      const row = await balance(uid);
      if (!row) throw new Error(`subsidy balance of ${uid} vanished inside its transaction`);
      return row;
    },
    async updateSubsidyBalance(row) {
      await db
        .update(subsidyBalances)
        .set({ available: row.available, held: row.held, updatedAt: row.updatedAt })
        .where(eq(subsidyBalances.uid, row.uid));
    },
    async insertWithdrawal(row) {
      await db.insert(withdrawals).values(row);
    },
    async updateWithdrawal(withdrawalNo, guard, change) {
      const result = await db
        .update(withdrawals)
        .set(change)
        .where(and(eq(withdrawals.withdrawalNo, withdrawalNo), eq(withdrawals.status, guard)));
      return result.rowsAffected === 1;
    },
    async insertB2cReturn(row) {
      await db.insert(b2cReturns).values(row);
    },
    async updateB2cReturnStatus(returnNo, guard, to, now) {
      const result = await db
        .update(b2cReturns)
        .set({ status: to, updatedAt: now })
        .where(and(eq(b2cReturns.returnNo, returnNo), eq(b2cReturns.status, guard)));
      return result.rowsAffected === 1;
    },
  };
}
