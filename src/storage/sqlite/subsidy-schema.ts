/**
 * Issue 3: drizzle's view of the SQLite subsidy tables. The DDL lives in ./subsidy-migrations.ts;
 * schema.test.ts proves the two agree. Property names match the domain types.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { B2C_RETURN_STATUSES, SUBSIDY_STATUSES, WITHDRAWAL_STATUSES } from '../../domain/subsidy.js';

const fen = (name: string) => integer(name, { mode: 'number' });
const epochMs = (name: string) => integer(name, { mode: 'number' });

export const subsidyGrantGuard = sqliteTable('subsidy_grant_guard', {
  outGrantNo: text('out_grant_no').primaryKey(),
  tokenId: text('token_id').notNull(),
  uid: text('uid').notNull(),
  createdAt: epochMs('created_at').notNull(),
});

export const subsidies = sqliteTable(
  'subsidies',
  {
    tokenId: text('token_id').primaryKey(),
    outGrantNo: text('out_grant_no').notNull(),
    uid: text('uid').notNull(),
    campaign: text('campaign').notNull(),
    amount: fen('amount').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    issuedAt: epochMs('issued_at').notNull(),
    token: text('token').notNull(),
    status: text('status', { enum: SUBSIDY_STATUSES }).notNull(),
    packetId: text('packet_id'),
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

export const subsidyBalances = sqliteTable('subsidy_balances', {
  uid: text('uid').primaryKey(),
  available: fen('available').notNull(),
  held: fen('held').notNull(),
  updatedAt: epochMs('updated_at').notNull(),
});

export const subsidyCredits = sqliteTable(
  'subsidy_credits',
  {
    claimNo: text('claim_no').primaryKey(),
    packetId: text('packet_id').notNull(),
    uid: text('uid').notNull(),
    amount: fen('amount').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [index('subsidy_credits_uid_idx').on(t.uid)],
);

export const withdrawals = sqliteTable(
  'withdrawals',
  {
    withdrawalNo: text('withdrawal_no').primaryKey(),
    uid: text('uid').notNull(),
    outOrderNo: text('out_order_no').notNull(),
    amount: fen('amount').notNull(),
    status: text('status', { enum: WITHDRAWAL_STATUSES }).notNull(),
    providerTxnId: text('provider_txn_id'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('withdrawals_uid_order_uq').on(t.uid, t.outOrderNo),
    index('withdrawals_status_created_idx').on(t.status, t.createdAt),
    index('withdrawals_created_idx').on(t.createdAt, t.withdrawalNo), // issue 8: recon
  ],
);

export const b2cReturns = sqliteTable(
  'b2c_returns',
  {
    returnNo: text('return_no').primaryKey(),
    packetId: text('packet_id').notNull(),
    campaign: text('campaign').notNull(),
    amount: fen('amount').notNull(),
    status: text('status', { enum: B2C_RETURN_STATUSES }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('b2c_returns_packet_uq').on(t.packetId),
    index('b2c_returns_created_idx').on(t.createdAt, t.returnNo), // issue 8: recon's window walk
  ],
);
