/**
 * Issue 3: drizzle's view of the MySQL/MariaDB subsidy tables. The DDL lives in
 * ./subsidy-migrations.ts; schema.test.ts proves the two agree.
 */
import { bigint, index, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { B2C_RETURN_STATUSES, SUBSIDY_STATUSES, WITHDRAWAL_STATUSES } from '../../domain/subsidy.js';

const fen = (name: string) => bigint(name, { mode: 'number' });
const epochMs = (name: string) => bigint(name, { mode: 'number' });
const key = (name: string) => varchar(name, { length: 64 });

export const subsidyGrantGuard = mysqlTable('subsidy_grant_guard', {
  outGrantNo: key('out_grant_no').primaryKey(),
  tokenId: key('token_id').notNull(),
  uid: key('uid').notNull(),
  createdAt: epochMs('created_at').notNull(),
});

export const subsidies = mysqlTable(
  'subsidies',
  {
    tokenId: key('token_id').primaryKey(),
    outGrantNo: key('out_grant_no').notNull(),
    uid: key('uid').notNull(),
    campaign: key('campaign').notNull(),
    amount: fen('amount').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    issuedAt: epochMs('issued_at').notNull(),
    token: varchar('token', { length: 512 }).notNull(),
    status: varchar('status', { length: 16, enum: SUBSIDY_STATUSES }).notNull(),
    packetId: key('packet_id'),
    bookedAt: epochMs('booked_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('subsidies_out_grant_no_uq').on(t.outGrantNo),
    uniqueIndex('subsidies_packet_uq').on(t.packetId),
    index('subsidies_uid_idx').on(t.uid, t.issuedAt),
    index('subsidies_campaign_idx').on(t.campaign),
    index('subsidies_issued_idx').on(t.issuedAt, t.outGrantNo), // issue 8: recon's window walk
  ],
);

export const subsidyBalances = mysqlTable('subsidy_balances', {
  uid: key('uid').primaryKey(),
  available: fen('available').notNull(),
  held: fen('held').notNull(),
  updatedAt: epochMs('updated_at').notNull(),
});

export const subsidyCredits = mysqlTable(
  'subsidy_credits',
  {
    claimNo: varchar('claim_no', { length: 80 }).primaryKey(),
    packetId: key('packet_id').notNull(),
    uid: key('uid').notNull(),
    amount: fen('amount').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [index('subsidy_credits_uid_idx').on(t.uid)],
);

export const withdrawals = mysqlTable(
  'withdrawals',
  {
    withdrawalNo: key('withdrawal_no').primaryKey(),
    uid: key('uid').notNull(),
    outOrderNo: key('out_order_no').notNull(),
    amount: fen('amount').notNull(),
    status: varchar('status', { length: 16, enum: WITHDRAWAL_STATUSES }).notNull(),
    providerTxnId: varchar('provider_txn_id', { length: 128 }),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('withdrawals_uid_order_uq').on(t.uid, t.outOrderNo),
    index('withdrawals_status_created_idx').on(t.status, t.createdAt),
    index('withdrawals_created_idx').on(t.createdAt, t.withdrawalNo), // issue 8: recon
  ],
);

export const b2cReturns = mysqlTable(
  'b2c_returns',
  {
    returnNo: varchar('return_no', { length: 80 }).primaryKey(),
    packetId: key('packet_id').notNull(),
    campaign: key('campaign').notNull(),
    amount: fen('amount').notNull(),
    status: varchar('status', { length: 16, enum: B2C_RETURN_STATUSES }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('b2c_returns_packet_uq').on(t.packetId),
    index('b2c_returns_created_idx').on(t.createdAt, t.returnNo), // issue 8: recon's window walk
  ],
);
