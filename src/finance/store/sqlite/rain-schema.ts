import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Issue 3. Mirrors rain-migrations.ts (the SQL is the source of truth; these give drizzle the types).
export const rainCampaigns = sqliteTable('rain_campaigns', {
  id: text('id').primaryKey(),
  budget: integer('budget').notNull(),
  granted: integer('granted').notNull(),
  returned: integer('returned').notNull(),
  grants: integer('grants').notNull(),
  probability: real('probability').notNull(),
  minAmount: integer('min_amount').notNull(),
  maxAmount: integer('max_amount').notNull(),
  tokenTtlSec: integer('token_ttl_sec').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const rainGrants = sqliteTable('rain_grants', {
  tokenId: text('token_id').primaryKey(),
  outGrantNo: text('out_grant_no').notNull(),
  uid: text('uid').notNull(),
  campaign: text('campaign').notNull(),
  amount: integer('amount').notNull(),
  expiresAt: integer('expires_at').notNull(),
  issuedAt: integer('issued_at').notNull(),
  token: text('token').notNull(),
  txnId: text('txn_id').notNull(),
  published: integer('published', { mode: 'boolean' }).notNull(),
});

export const rainReturns = sqliteTable('rain_returns', {
  returnNo: text('return_no').primaryKey(),
  campaign: text('campaign').notNull(),
  amount: integer('amount').notNull(),
  txnId: text('txn_id').notNull(),
  createdAt: integer('created_at').notNull(),
});
