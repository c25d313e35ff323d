import { bigint, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

// Issue 5. Mirrors install-migrations.ts (the SQL is the source of truth; these give drizzle the types).
export const fixtureAccounts = mysqlTable('fixture_accounts', {
  uid: varchar('uid', { length: 64 }).primaryKey(),
  balance: bigint('balance', { mode: 'number' }).notNull(),
  realname: varchar('realname', { length: 8, enum: ['ok', 'fail'] }).notNull(),
  installedAt: bigint('installed_at', { mode: 'number' }).notNull(),
});
