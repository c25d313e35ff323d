/** Issue 3: subsidy balances, credits, withdrawals and B2C returns for MySQL (see ./subsidy-rows.ts). */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { MySql2Database } from 'drizzle-orm/mysql2';
import type { SubsidyReads, SubsidyTx } from '../shared/subsidy-dialect.js';
import { b2cReturns, subsidyBalances, subsidyCredits, withdrawals } from './subsidy-schema.js';

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

export function mysqlBalanceRows(db: MySql2Database): BalanceRows {
  const balanceQuery = (uid: string) =>
    db.select().from(subsidyBalances).where(eq(subsidyBalances.uid, uid)).limit(1);
  const withdrawalQuery = (withdrawalNo: string) =>
    db.select().from(withdrawals).where(eq(withdrawals.withdrawalNo, withdrawalNo)).limit(1);

  return {
    subsidyBalance: async (uid) => first(await balanceQuery(uid)),
    withdrawal: async (withdrawalNo) => first(await withdrawalQuery(withdrawalNo)),
    lockWithdrawal: async (withdrawalNo) => first(await withdrawalQuery(withdrawalNo).for('update')),

    async b2cReturn(packetId) {
      return first(await db.select().from(b2cReturns).where(eq(b2cReturns.packetId, packetId)).limit(1));
    },
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
        .onDuplicateKeyUpdate({ set: { uid: sql`${subsidyBalances.uid}` } });
      const row = first(await balanceQuery(uid).for('update'));
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
      const [result] = await db
        .update(withdrawals)
        .set(change)
        .where(and(eq(withdrawals.withdrawalNo, withdrawalNo), eq(withdrawals.status, guard)));
      return result.affectedRows === 1;
    },
    async insertB2cReturn(row) {
      await db.insert(b2cReturns).values(row);
    },
    async updateB2cReturnStatus(returnNo, guard, to, now) {
      const [result] = await db
        .update(b2cReturns)
        .set({ status: to, updatedAt: now })
        .where(and(eq(b2cReturns.returnNo, returnNo), eq(b2cReturns.status, guard)));
      return result.affectedRows === 1;
    },
  };
}
