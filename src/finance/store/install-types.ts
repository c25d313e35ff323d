/**
 * Issue 5: fixture accounts installed in bulk (`redpkt fixtures load`). Finance's OWN table
 * `fixture_accounts` records what was installed, so a replay is recognised and a change refused.
 */
import type { Fen } from '../../domain/money.js';

export type RealnameStatus = 'ok' | 'fail';

/** One user to install: the opening balance of `user:<uid>` and the mocked real-name result. */
export interface InstallAccount {
  uid: string;
  balance: Fen;
  realname: RealnameStatus;
}

export interface FixtureAccountRow extends InstallAccount {
  installedAt: number;
}

/** Why a row was not installed: `account` = opened before (used) without a fixture install. */
export type InstallConflictField = 'balance' | 'realname' | 'account';

export interface InstallConflict {
  uid: string;
  /** Stable: the same code a replayed order with another body gets. */
  code: 'IDEMPOTENCY_CONFLICT';
  field: InstallConflictField;
  message: string;
}

export interface InstallSummary {
  installed: number;
  unchanged: number;
  conflicts: InstallConflict[];
}

/** Most rows one install call takes (one transaction). */
export const MAX_INSTALL_BATCH = 1000;

export interface InstallStore {
  /**
   * Installs the rows in ONE transaction: a new account is opened with its balance funded from
   * the issuer (`funding` ledger entries, orderNo `funding:user:<uid>`, as on first use). The same
   * row again is `unchanged`; a different balance or real-name for an installed uid, or a uid whose
   * account was opened otherwise, is a conflict (nothing written for that row). Rows are taken in
   * order, so a uid twice in one batch behaves as twice in two batches.
   */
  installAccounts(
    rows: readonly InstallAccount[],
    opts: { now: number; newTxnId: () => string },
  ): Promise<InstallSummary>;
  /** The installed real-name result of a user; null when never installed. */
  realnameOf(uid: string): Promise<RealnameStatus | null>;
}
