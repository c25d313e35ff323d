/** Issue 3: the reward issuer's tables in finance's MySQL store (version 3 of ./migrations.ts). */
import type { Migration } from '../dialect.js';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MYSQL_RAIN_MIGRATION: Migration = {
  version: 3,
  name: 'issue 3: rain campaigns, grants, returns',
  statements: [
    `CREATE TABLE IF NOT EXISTS rain_campaigns (
      id VARCHAR(64) NOT NULL PRIMARY KEY,
      budget BIGINT NOT NULL,
      granted BIGINT NOT NULL,
      returned BIGINT NOT NULL,
      grants BIGINT NOT NULL,
      probability DOUBLE NOT NULL,
      min_amount BIGINT NOT NULL,
      max_amount BIGINT NOT NULL,
      token_ttl_sec INT NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      CONSTRAINT rain_campaigns_amounts CHECK (budget >= 0 AND granted >= 0 AND returned >= 0 AND grants >= 0),
      CONSTRAINT rain_campaigns_probability CHECK (probability >= 0 AND probability <= 1),
      CONSTRAINT rain_campaigns_range CHECK (min_amount >= 1 AND max_amount >= min_amount AND token_ttl_sec >= 1),
      CONSTRAINT rain_campaigns_returned CHECK (returned <= granted),
      CONSTRAINT rain_campaigns_never_overspent CHECK (granted <= budget + returned)
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS rain_grants (
      token_id VARCHAR(64) NOT NULL PRIMARY KEY,
      out_grant_no VARCHAR(64) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      campaign VARCHAR(64) NOT NULL,
      amount BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      issued_at BIGINT NOT NULL,
      token VARCHAR(512) NOT NULL,
      txn_id VARCHAR(40) NOT NULL,
      published TINYINT NOT NULL,
      UNIQUE KEY rain_grants_out_grant_no (out_grant_no),
      KEY rain_grants_uid (uid, issued_at),
      KEY rain_grants_unpublished (published, issued_at),
      CONSTRAINT rain_grants_amount CHECK (amount >= 1)
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS rain_returns (
      return_no VARCHAR(80) NOT NULL PRIMARY KEY,
      campaign VARCHAR(64) NOT NULL,
      amount BIGINT NOT NULL,
      txn_id VARCHAR(40) NOT NULL,
      created_at BIGINT NOT NULL,
      CONSTRAINT rain_returns_amount CHECK (amount >= 1)
    ) ${TABLE_OPTIONS}`,
  ],
};

/**
 * Issue 8: the grant export walks a window in (issued_at, out_grant_no) keyset pages. Version 5
 * (4 is the fixture accounts' install table). `IF NOT EXISTS` (MariaDB) keeps it re-runnable:
 * two issuers may migrate one database at once.
 */
export const MYSQL_RAIN_EXPORT_MIGRATION: Migration = {
  version: 5,
  name: 'issue 8: rain grant export index',
  statements: [`CREATE INDEX IF NOT EXISTS rain_grants_issued ON rain_grants (issued_at, out_grant_no)`],
};
