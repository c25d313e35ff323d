/**
 * Issue 8: the shapes reconciliation works on. Pure data: our orders and the provider's money
 * movements, reduced to what matching by order number needs.
 */
import type { Fen } from '../domain/money.js';

/** `return`: an expired B2C packet's remainder given back to the reward issuer. */
export type ReconOrderKind = 'payment' | 'transfer' | 'refund' | 'return';

/** Where an order stands on our side: money moved, never will (closed/failed), or not final yet. */
export type OurState = 'succeeded' | 'failed' | 'open';

/** One of our payment, transfer (claim or withdrawal), refund or B2C return orders. */
export interface OurOrder {
  orderNo: string;
  kind: ReconOrderKind;
  /** The packet it belongs to (null for a withdrawal). */
  packetId: string | null;
  /** Issue 22: the user it paid or was paid by (null for a B2C return). */
  uid?: string | null;
  amount: Fen;
  /** Our status as stored (paid, transferred, pending, …). */
  status: string;
  state: OurState;
  /** The service answered it itself (`redpkt mock payment`): never at finance, reported apart. */
  mocked: boolean;
  createdAt: number;
}

/** One money movement at the provider: the credit side of one ledger transaction. */
export interface ProviderMove {
  orderNo: string;
  kind: string;
  txnId: string;
  amount: Fen;
  createdAt: number;
  /** Issue 22: the ledger entry's id: the provider's own order of its movements. */
  seq: number;
}

/** What the provider says about one order when asked directly (a stray or late settlement). */
export interface ProviderOrderView {
  orderNo: string;
  amount: Fen;
  status: 'pending' | 'succeeded' | 'failed' | 'closed';
}

export const CATEGORIES = [
  'matched',
  'closed',
  'in_transit',
  'mocked',
  /** The other lane's orders (shadow-marked in the real lane, real-marked with --shadow): apart. */
  'shadow',
  'missing_at_provider',
  'missing_ours',
  'amount_mismatch',
  'status_mismatch',
  'duplicate',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * Categories that are not errors: money agrees, never moved, is still moving, was mocked, or
 * belongs to the other lane (reported apart, never matched against this lane's books).
 */
export const CLEAN_CATEGORIES: ReadonlySet<Category> = new Set([
  'matched',
  'closed',
  'in_transit',
  'mocked',
  'shadow',
]);

export interface Discrepancy {
  /** An order's or a grant's category (kind `grant`), or a broken per-packet/campaign invariant. */
  category: Category | 'record_mismatch' | 'invariant';
  orderNo: string;
  kind: string;
  /** Our amount (null when we have no such order). */
  ours: Fen | null;
  /** The provider's amount (null when it has none). */
  theirs: Fen | null;
  detail: string;
}

export interface CategoryTotal {
  count: number;
  /** Our amounts, or the provider's when we have none. */
  fen: Fen;
}

export type Totals = Record<Category, CategoryTotal>;

export function emptyTotals(): Totals {
  const t = {} as Totals;
  for (const c of CATEGORIES) t[c] = { count: 0, fen: 0 };
  return t;
}
