/**
 * The finance store's port: finance's OWN database (never shared with the packet service).
 * Every method is atomic; adapters own connections and transactions (STYLE rule 3).
 */
import type { RedpktError } from '../../domain/errors.js';
import type { Fen } from '../../domain/money.js';
import type { ProviderOrder, ProviderOrderKind } from '../../domain/ports.js';
import type { RainExportReads } from '../rain/grant-export.js';
import type { RainLedgerKind, RainStore } from '../rain/types.js';
import type { SignedRequests } from './signed-requests.js';
import type { InstallStore } from './install-types.js';

export type FinanceStoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string };

/** The source of all opening balances; the only account allowed to go negative. */
export const ISSUER_ACCOUNT = 'issuer';
export const MERCHANT_ACCOUNT = 'merchant';
export const userAccount = (uid: string): string => `user:${uid}`;

/** A provider order plus what only finance needs to know about it. */
export interface StoredOrder extends ProviderOrder {
  /** Payments only; '' for transfers and refunds. */
  subject: string;
  notifyUrl: string;
}

export interface Account {
  id: string;
  balance: Fen;
  createdAt: number;
  updatedAt: number;
}

export type LedgerEntryKind = 'funding' | ProviderOrderKind | RainLedgerKind;

/**
 * One side of a money movement. Every movement writes two entries with the same txnId:
 * a debit (negative amount) on the source account and a credit (positive) on the destination.
 */
export interface LedgerEntry {
  id: number;
  txnId: string;
  orderNo: string;
  kind: LedgerEntryKind;
  account: string;
  direction: 'debit' | 'credit';
  /** Signed: negative for debits, so the whole ledger sums to 0. */
  amount: Fen;
  createdAt: number;
}

export interface LedgerQuery {
  /** Inclusive. */
  fromMs?: number;
  /** Exclusive. */
  toMs?: number;
  /** Keyset cursor: entries with a larger id. */
  afterId?: number;
  limit: number;
}

export interface NewPayOrder {
  payOrderNo: string;
  payerUid: string;
  amount: Fen;
  subject: string;
  notifyUrl: string;
}

export interface NewTransfer {
  transferNo: string;
  uid: string;
  amount: Fen;
  notifyUrl: string;
}

export interface NewRefund {
  refundNo: string;
  payOrderNo: string;
  amount: Fen;
  notifyUrl: string;
}

export interface OrderResult {
  order: StoredOrder;
  /** true when this call moved the order to a new status (money moved or the order was created). */
  changed: boolean;
}

/** One item of `transferMany`: its order, or why it was refused (nothing written for that item). */
export type TransferItemResult = OrderResult | { error: RedpktError };

/** An account `openAccounts` opens when it does not exist yet, funded from the issuer. */
export interface AccountToOpen {
  id: string;
  initialBalance: Fen;
}

export interface BooksCheck {
  /** Sum of every ledger entry: 0 when the books balance. */
  ledgerTotal: Fen;
  /** Sum of every account balance, the issuer's (negative) included: 0 as well. */
  balanceTotal: Fen;
  /** Accounts whose balance differs from the sum of their ledger entries. */
  mismatched: { account: string; balance: Fen; ledger: Fen }[];
  accounts: number;
  entries: number;
}

export interface WriteOptions {
  now: number;
  /** Leave a new order pending without moving money (the `holdOrders` knob). */
  hold: boolean;
  /** Generates the provider's transaction ids. */
  newTxnId: () => string;
}

export interface FinanceStore extends RainStore, InstallStore, RainExportReads, SignedRequests {
  readonly kind: FinanceStoreConfig['kind'];
  /** Creates missing tables (recorded in schema_migrations) and the issuer account; safe to run again. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Opens an account funded with `initialBalance` from the issuer (ledgered as `funding`).
   * Nothing happens when it already exists. Returns the account.
   */
  openAccount(
    id: string,
    initialBalance: Fen,
    opts: Pick<WriteOptions, 'now' | 'newTxnId'>,
  ): Promise<Account>;

  /**
   * `openAccount` for many accounts: one plain read finds the missing ones; when some are, ONE
   * transaction under the issuer's lock opens them (one multi-row INSERT, a `funding` pair per
   * account, the issuer debited once). The first entry of an id wins.
   */
  openAccounts(
    accounts: readonly AccountToOpen[],
    opts: Pick<WriteOptions, 'now' | 'newTxnId'>,
  ): Promise<void>;

  /** Idempotent by payOrderNo: the same body returns the stored order; another body → IDEMPOTENCY_CONFLICT. */
  createPayOrder(input: NewPayOrder, now: number): Promise<OrderResult>;

  /**
   * The payer pays: user:<uid> → merchant, order → succeeded. A succeeded order is returned as is
   * (changed=false). ORDER_NOT_FOUND, FORBIDDEN (not the payer), ILLEGAL_TRANSITION (closed or
   * failed), INSUFFICIENT_BALANCE (nothing changes). The payer's account must be open.
   */
  payOrder(payOrderNo: string, uid: string, opts: Omit<WriteOptions, 'hold'>): Promise<OrderResult>;

  /**
   * Closes a pending payment order: the payer can no longer pay it (paying is ILLEGAL_TRANSITION).
   * Idempotent: a closed, failed or succeeded order is returned as it is (changed=false), so a
   * caller learns that it was paid meanwhile. ORDER_NOT_FOUND for an unknown or non-payment order.
   */
  closePayOrder(payOrderNo: string, now: number): Promise<OrderResult>;

  /**
   * merchant → user:<uid>, idempotent by transferNo. Both accounts must be open. A new transfer the
   * merchant cannot pay is refused with INSUFFICIENT_BALANCE and not stored; a STORED pending one
   * (held) it cannot pay becomes final `failed` (changed=true, no money moved), and every later call
   * with its number answers that failed order.
   */
  transfer(input: NewTransfer, opts: WriteOptions): Promise<OrderResult>;

  /**
   * `transfer` for many items in ONE transaction, each item as `transfer` treats it alone, taken in
   * input order (an item sees the balances the items before it left). An item refused
   * (IDEMPOTENCY_CONFLICT, INSUFFICIENT_BALANCE for a new transfer, VALIDATION_FAILED past the
   * ledger's bound) gets `{error}` and writes nothing; the others are written. Transfer numbers must
   * be unique (VALIDATION_FAILED for the whole call otherwise). Every payee's account must be open.
   */
  transferMany(inputs: readonly NewTransfer[], opts: WriteOptions): Promise<TransferItemResult[]>;

  /**
   * merchant → the payment's payer, idempotent by refundNo. Refunds of one payment (pending or
   * succeeded) never add up to more than it paid (INSUFFICIENT_BALANCE otherwise). A merchant short
   * of money is handled as for transfers (a stored pending refund becomes `failed`).
   */
  refund(input: NewRefund, opts: WriteOptions): Promise<OrderResult>;

  getOrder(orderNo: string): Promise<StoredOrder | null>;
  getAccount(id: string): Promise<Account | null>;
  /** Ordered by id; keyset-paginated with afterId. */
  listLedger(query: LedgerQuery): Promise<LedgerEntry[]>;
  /** Sums the ledger and the balances; for tests, health checks and reconciliation. */
  checkBooks(): Promise<BooksCheck>;
}
