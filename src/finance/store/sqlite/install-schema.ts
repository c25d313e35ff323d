import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

// Issue 5. Mirrors install-migrations.ts (the SQL is the source of truth; these give drizzle the types).
export const fixtureAccounts = sqliteTable('fixture_accounts', {
  uid: text('uid').primaryKey(),
  balance: integer('balance').notNull(),
  realname: text('realname', { enum: ['ok', 'fail'] }).notNull(),
  installedAt: integer('installed_at').notNull(),
});
