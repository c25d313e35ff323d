/** Issue 5: fixture accounts in finance's SQLite store (version 6 of ./migrations.ts). */
import type { Migration } from '../dialect.js';

export const SQLITE_INSTALL_MIGRATION: Migration = {
  version: 6,
  name: 'issue 5: fixture accounts',
  statements: [
    `CREATE TABLE IF NOT EXISTS fixture_accounts (
      uid TEXT PRIMARY KEY,
      balance INTEGER NOT NULL CHECK (balance >= 0),
      realname TEXT NOT NULL CHECK (realname IN ('ok', 'fail')),
      installed_at INTEGER NOT NULL
    )`,
  ],
};
