/**
 * What the shared money logic (operations.ts) needs from a database, implemented once per
 * dialect (sqlite/, mysql/). Kept internal to the store: the port is FinanceStore.
 */
import type { SignedRequests } from './signed-requests.js';
import type { Fen } from '../../domain/money.js';
import type { BatchReads, BatchTxOps } from './batch-dialect.js';
import type { InstallReads, InstallTxOps } from './install-dialect.js';
import type { RainExportReads } from '../rain/grant-export.js';
import type { RainReads, RainTxOps } from './rain-dialect.js';
import type { Account, BooksCheck, LedgerEntry, LedgerQuery, StoredOrder } from './types.js';

export interface TxOps extends RainTxOps, InstallTxOps, BatchTxOps {
  /** The order, locked until commit (`SELECT … FOR UPDATE` on MySQL; SQLite writers are serialized). */
  lockOrder(orderNo: string): Promise<StoredOrder | null>;
  insertOrder(order: StoredOrder): Promise<void>;
  settleOrder(orderNo: string, txnId: string, now: number): Promise<void>;
  /** A pending order becomes closed (issue 4: an unpaid payment order the payer may no longer pay). */
  closeOrder(orderNo: string, now: number): Promise<void>;
  /** A pending order becomes failed, no money moved (a stored transfer or refund the merchant cannot pay). */
  failOrder(orderNo: string, now: number): Promise<void>;
  /** Locks the accounts one by one in id order (so two transactions never wait on each other in a cycle). */
  lockAccounts(ids: readonly string[]): Promise<Map<string, Account>>;
  insertAccount(account: Account): Promise<void>;
  addToBalance(id: string, delta: Fen, now: number): Promise<void>;
  insertLedger(entries: readonly Omit<LedgerEntry, 'id'>[]): Promise<void>;
  /** Sum of the refunds of one payment that are pending or succeeded. */
  sumRefunds(payOrderNo: string): Promise<Fen>;
}

export interface Dialect extends RainReads, InstallReads, RainExportReads, BatchReads, SignedRequests {
  readonly kind: 'sqlite' | 'mysql';
  /** Runs fn in one write transaction: serialized (SQLite) or retried on lock races (MySQL). */
  write<T>(fn: (tx: TxOps) => Promise<T>): Promise<T>;
  getOrder(orderNo: string): Promise<StoredOrder | null>;
  getAccount(id: string): Promise<Account | null>;
  listLedger(query: LedgerQuery): Promise<LedgerEntry[]>;
  checkBooks(): Promise<BooksCheck>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** A schema version: statements applied in order, recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

/** Sorted, de-duplicated ids: the one lock order every transaction follows. */
export function lockOrderOf(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}
