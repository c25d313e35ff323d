/**
 * Issue 5: what each finance dialect adds for installing fixture accounts. Merged into Dialect and
 * TxOps (./dialect.ts), implemented in `sqlite/install-ops.ts` and `mysql/install-ops.ts`; the logic
 * is written once in ./install-accounts.ts.
 */
import type { Account, LedgerEntry } from './types.js';
import type { FixtureAccountRow } from './install-types.js';

export interface InstallReads {
  fixtureAccount(uid: string): Promise<FixtureAccountRow | null>;
}

export interface InstallTxOps {
  /** The installed rows among these uids (a plain read: installs run under the issuer's lock). */
  fixtureAccounts(uids: readonly string[]): Promise<Map<string, FixtureAccountRow>>;
  /** Which of these account ids exist. */
  existingAccounts(ids: readonly string[]): Promise<Set<string>>;
  /** Multi-row inserts, chunked. */
  insertAccounts(accounts: readonly Account[]): Promise<void>;
  insertFixtureAccounts(rows: readonly FixtureAccountRow[]): Promise<void>;
  /** Ledger rows in chunks (a batch writes up to 2,000). */
  insertLedgerChunked(entries: readonly Omit<LedgerEntry, 'id'>[]): Promise<void>;
}
