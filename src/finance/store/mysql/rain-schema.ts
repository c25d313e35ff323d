import { bigint, boolean, double, int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

// Issue 3. Mirrors rain-migrations.ts (the SQL is the source of truth; these give drizzle the types).
const n = (name: string) => bigint(name, { mode: 'number' });

export const rainCampaigns = mysqlTable('rain_campaigns', {
  id: varchar('id', { length: 64 }).primaryKey(),
  budget: n('budget').notNull(),
  granted: n('granted').notNull(),
  returned: n('returned').notNull(),
  grants: n('grants').notNull(),
  probability: double('probability').notNull(),
  minAmount: n('min_amount').notNull(),
  maxAmount: n('max_amount').notNull(),
  tokenTtlSec: int('token_ttl_sec').notNull(),
  createdAt: n('created_at').notNull(),
  updatedAt: n('updated_at').notNull(),
});

export const rainGrants = mysqlTable('rain_grants', {
  tokenId: varchar('token_id', { length: 64 }).primaryKey(),
  outGrantNo: varchar('out_grant_no', { length: 64 }).notNull(),
  uid: varchar('uid', { length: 64 }).notNull(),
  campaign: varchar('campaign', { length: 64 }).notNull(),
  amount: n('amount').notNull(),
  expiresAt: n('expires_at').notNull(),
  issuedAt: n('issued_at').notNull(),
  token: varchar('token', { length: 512 }).notNull(),
  txnId: varchar('txn_id', { length: 40 }).notNull(),
  // TINYINT on MariaDB (BOOLEAN is its alias); drizzle maps 0/1 to false/true
  published: boolean('published').notNull(),
});

export const rainReturns = mysqlTable('rain_returns', {
  returnNo: varchar('return_no', { length: 80 }).primaryKey(),
  campaign: varchar('campaign', { length: 64 }).notNull(),
  amount: n('amount').notNull(),
  txnId: varchar('txn_id', { length: 40 }).notNull(),
  createdAt: n('created_at').notNull(),
});
