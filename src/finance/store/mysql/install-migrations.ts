/** Issue 5: fixture accounts in finance's MySQL store (version 6 of ./migrations.ts). */
import type { Migration } from '../dialect.js';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MYSQL_INSTALL_MIGRATION: Migration = {
  version: 6,
  name: 'issue 5: fixture accounts',
  statements: [
    `CREATE TABLE IF NOT EXISTS fixture_accounts (
      uid VARCHAR(64) NOT NULL PRIMARY KEY,
      balance BIGINT NOT NULL,
      realname VARCHAR(8) NOT NULL,
      installed_at BIGINT NOT NULL,
      CONSTRAINT fixture_accounts_balance CHECK (balance >= 0),
      CONSTRAINT fixture_accounts_realname CHECK (realname IN ('ok', 'fail'))
    ) ${TABLE_OPTIONS}`,
  ],
};
