/** Issue 3: the reward issuer's tables in finance's SQLite store (version 3 of ./migrations.ts). */
import type { Migration } from '../dialect.js';

export const SQLITE_RAIN_MIGRATION: Migration = {
  version: 3,
  name: 'issue 3: rain campaigns, grants, returns',
  statements: [
    `CREATE TABLE IF NOT EXISTS rain_campaigns (
      id TEXT PRIMARY KEY,
      budget INTEGER NOT NULL CHECK (budget >= 0),
      granted INTEGER NOT NULL CHECK (granted >= 0),
      returned INTEGER NOT NULL CHECK (returned >= 0),
      grants INTEGER NOT NULL CHECK (grants >= 0),
      probability REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
      min_amount INTEGER NOT NULL CHECK (min_amount >= 1),
      max_amount INTEGER NOT NULL,
      token_ttl_sec INTEGER NOT NULL CHECK (token_ttl_sec >= 1),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      CHECK (max_amount >= min_amount),
      CHECK (returned <= granted),
      -- the budget is never overspent, even by a buggy writer
      CHECK (granted <= budget + returned)
    )`,
    `CREATE TABLE IF NOT EXISTS rain_grants (
      token_id TEXT PRIMARY KEY,
      out_grant_no TEXT NOT NULL UNIQUE,
      uid TEXT NOT NULL,
      campaign TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 1),
      expires_at INTEGER NOT NULL,
      issued_at INTEGER NOT NULL,
      token TEXT NOT NULL,
      txn_id TEXT NOT NULL,
      published INTEGER NOT NULL CHECK (published IN (0, 1))
    )`,
    `CREATE INDEX IF NOT EXISTS rain_grants_uid ON rain_grants (uid, issued_at)`,
    `CREATE INDEX IF NOT EXISTS rain_grants_unpublished ON rain_grants (published, issued_at)`,
    `CREATE TABLE IF NOT EXISTS rain_returns (
      return_no TEXT PRIMARY KEY,
      campaign TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 1),
      txn_id TEXT NOT NULL,
      created_at INTEGER NOT NULL
    )`,
  ],
};

/**
 * Issue 8: the grant export walks a window in (issued_at, out_grant_no) keyset pages. Version 5
 * (4 is the fixture accounts' install table).
 */
export const SQLITE_RAIN_EXPORT_MIGRATION: Migration = {
  version: 5,
  name: 'issue 8: rain grant export index',
  statements: [`CREATE INDEX IF NOT EXISTS rain_grants_issued ON rain_grants (issued_at, out_grant_no)`],
};
