/**
 * Issue 3, MySQL/MariaDB: the subsidy tables (version 3 of ./migrations.ts). Every statement is
 * re-runnable (IF NOT EXISTS, indexes inline), as ./migrations.ts requires.
 */
import type { Migration } from '../shared/migration.js';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

export const MYSQL_SUBSIDY_MIGRATION: Migration = {
  version: 3,
  name: 'issue 3: subsidies, grant guard, subsidy balances, credits, withdrawals, b2c returns',
  statements: [
    // DESIGN §2: keyed by out_grant_no alone (the shard key once sharded), so one grant has one owner.
    `CREATE TABLE IF NOT EXISTS subsidy_grant_guard (
      out_grant_no VARCHAR(64) NOT NULL,
      token_id VARCHAR(64) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (out_grant_no)
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS subsidies (
      token_id VARCHAR(64) NOT NULL,
      out_grant_no VARCHAR(64) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      campaign VARCHAR(64) NOT NULL,
      amount BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      issued_at BIGINT NOT NULL,
      token VARCHAR(512) NOT NULL,
      status VARCHAR(16) NOT NULL,
      packet_id VARCHAR(64) NULL,
      booked_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (token_id),
      UNIQUE KEY subsidies_out_grant_no_uq (out_grant_no),
      UNIQUE KEY subsidies_packet_uq (packet_id),
      KEY subsidies_uid_idx (uid, issued_at),
      KEY subsidies_campaign_idx (campaign),
      CONSTRAINT subsidies_amount_ck CHECK (amount >= 1),
      CONSTRAINT subsidies_status_ck CHECK (status IN ('available', 'used')),
      CONSTRAINT subsidies_used_ck CHECK ((status = 'used') = (packet_id IS NOT NULL))
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS subsidy_balances (
      uid VARCHAR(64) NOT NULL,
      available BIGINT NOT NULL,
      held BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (uid),
      CONSTRAINT subsidy_balances_available_ck CHECK (available >= 0),
      CONSTRAINT subsidy_balances_held_ck CHECK (held >= 0)
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS subsidy_credits (
      claim_no VARCHAR(80) NOT NULL,
      packet_id VARCHAR(64) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      amount BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (claim_no),
      KEY subsidy_credits_uid_idx (uid),
      CONSTRAINT subsidy_credits_amount_ck CHECK (amount >= 1)
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS withdrawals (
      withdrawal_no VARCHAR(64) NOT NULL,
      uid VARCHAR(64) NOT NULL,
      out_order_no VARCHAR(64) NOT NULL,
      amount BIGINT NOT NULL,
      status VARCHAR(16) NOT NULL,
      provider_txn_id VARCHAR(128) NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (withdrawal_no),
      UNIQUE KEY withdrawals_uid_order_uq (uid, out_order_no),
      KEY withdrawals_status_created_idx (status, created_at),
      CONSTRAINT withdrawals_amount_ck CHECK (amount >= 1),
      CONSTRAINT withdrawals_status_ck CHECK (status IN ('pending', 'succeeded', 'failed'))
    ) ${TABLE_OPTIONS}`,
    `CREATE TABLE IF NOT EXISTS b2c_returns (
      return_no VARCHAR(80) NOT NULL,
      packet_id VARCHAR(64) NOT NULL,
      campaign VARCHAR(64) NOT NULL,
      amount BIGINT NOT NULL,
      status VARCHAR(16) NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (return_no),
      UNIQUE KEY b2c_returns_packet_uq (packet_id),
      CONSTRAINT b2c_returns_amount_ck CHECK (amount >= 1),
      CONSTRAINT b2c_returns_status_ck CHECK (status IN ('pending', 'succeeded'))
    ) ${TABLE_OPTIONS}`,
  ],
};
