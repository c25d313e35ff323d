/**
 * Issue 3, SQLite: the subsidy tables (version 3 of ./migrations.ts). Money columns are integer
 * fen with CHECKs that hold the invariants even against a buggy writer.
 */
import type { Migration } from '../shared/migration.js';

export const SQLITE_SUBSIDY_MIGRATION: Migration = {
  version: 3,
  name: 'issue 3: subsidies, grant guard, subsidy balances, credits, withdrawals, b2c returns',
  statements: [
    // DESIGN §2: keyed by out_grant_no alone (sharded by it on MySQL), so one grant has one owner.
    `CREATE TABLE IF NOT EXISTS subsidy_grant_guard (
      out_grant_no TEXT PRIMARY KEY NOT NULL,
      token_id TEXT NOT NULL,
      uid TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE TABLE IF NOT EXISTS subsidies (
      token_id TEXT PRIMARY KEY NOT NULL,
      out_grant_no TEXT NOT NULL,
      uid TEXT NOT NULL,
      campaign TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 1),
      expires_at INTEGER NOT NULL,
      issued_at INTEGER NOT NULL,
      token TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('available', 'used')),
      packet_id TEXT,
      booked_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      CHECK ((status = 'used') = (packet_id IS NOT NULL))
    ) STRICT`,
    `CREATE UNIQUE INDEX IF NOT EXISTS subsidies_out_grant_no_uq ON subsidies (out_grant_no)`,
    `CREATE UNIQUE INDEX IF NOT EXISTS subsidies_packet_uq ON subsidies (packet_id)`,
    `CREATE INDEX IF NOT EXISTS subsidies_uid_idx ON subsidies (uid, issued_at)`,
    `CREATE INDEX IF NOT EXISTS subsidies_campaign_idx ON subsidies (campaign)`,
    `CREATE TABLE IF NOT EXISTS subsidy_balances (
      uid TEXT PRIMARY KEY NOT NULL,
      available INTEGER NOT NULL CHECK (available >= 0),
      held INTEGER NOT NULL CHECK (held >= 0),
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE TABLE IF NOT EXISTS subsidy_credits (
      claim_no TEXT PRIMARY KEY NOT NULL,
      packet_id TEXT NOT NULL,
      uid TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 1),
      created_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE INDEX IF NOT EXISTS subsidy_credits_uid_idx ON subsidy_credits (uid)`,
    `CREATE TABLE IF NOT EXISTS withdrawals (
      withdrawal_no TEXT PRIMARY KEY NOT NULL,
      uid TEXT NOT NULL,
      out_order_no TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 1),
      status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
      provider_txn_id TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE UNIQUE INDEX IF NOT EXISTS withdrawals_uid_order_uq ON withdrawals (uid, out_order_no)`,
    `CREATE INDEX IF NOT EXISTS withdrawals_status_created_idx ON withdrawals (status, created_at)`,
    `CREATE TABLE IF NOT EXISTS b2c_returns (
      return_no TEXT PRIMARY KEY NOT NULL,
      packet_id TEXT NOT NULL,
      campaign TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 1),
      status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded')),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT`,
    `CREATE UNIQUE INDEX IF NOT EXISTS b2c_returns_packet_uq ON b2c_returns (packet_id)`,
  ],
};
