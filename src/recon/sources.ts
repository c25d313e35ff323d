/**
 * Issue 8: the two sides as streams. Ours: the packet store's orders of the window, one keyset
 * page at a time per kind (issue 22: loaded into the recon engine as they come). Theirs: finance's ledger (its export API or
 * its own store), one page at a time, reduced to one movement per transaction (the credit side).
 * B2C grants: our booked subsidies and the issuer's grant export, both in (issuedAt, outGrantNo)
 * keyset pages.
 */
import type { GrantCursor, IssuedGrant, RainExportReads } from '../finance/rain/grant-export.js';
import type { LedgerEntry, LedgerQuery } from '../finance/store/types.js';
import type { ReconOrderRow, ReconScope, ReconStore, ReconSubsidyRow } from '../domain/ports.js';
import { keysetPages } from '../domain/keyset-pages.js';
import type { OurOrder, OurState, ProviderMove } from './types.js';

export const PAGE_SIZE = 1000;

const SUCCEEDED = new Set(['paid', 'transferred', 'succeeded']);
/** Final without money: a closed or failed payment, a failed transfer or withdrawal. A failed refund is retried. */
const FAILED_BY_KIND: Record<ReconOrderRow['kind'], ReadonlySet<string>> = {
  payment: new Set(['closed', 'failed']),
  transfer: new Set(['failed']),
  refund: new Set(),
  return: new Set(),
};

export function stateOf(row: Pick<ReconOrderRow, 'kind' | 'status'>): OurState {
  if (SUCCEEDED.has(row.status)) return 'succeeded';
  return FAILED_BY_KIND[row.kind].has(row.status) ? 'failed' : 'open';
}

/** The (scope, kind) streams a recon type reads. */
export function streamsOf(type: 'c2c' | 'b2c' | 'all'): { scope: ReconScope; kind: ReconOrderRow['kind'] }[] {
  const c2c = [
    { scope: 'c2c' as const, kind: 'payment' as const },
    { scope: 'c2c' as const, kind: 'transfer' as const },
    { scope: 'c2c' as const, kind: 'refund' as const },
  ];
  const b2c = [
    { scope: 'b2c' as const, kind: 'transfer' as const },
    { scope: 'b2c' as const, kind: 'return' as const },
  ];
  return type === 'c2c' ? c2c : type === 'b2c' ? b2c : [...c2c, ...b2c];
}

export async function* ordersOfKind(
  store: Pick<ReconStore, 'listOrders'>,
  scope: ReconScope,
  kind: ReconOrderRow['kind'],
  fromMs: number,
  toMs: number,
  pageSize: number,
): AsyncGenerator<OurOrder> {
  const rows = keysetPages(
    (after: { createdAt: number; orderNo: string } | undefined) =>
      store.listOrders({ scope, kind, fromMs, toMs, limit: pageSize, ...(after ? { after } : {}) }),
    (last) => ({ createdAt: last.createdAt, orderNo: last.orderNo }),
    pageSize,
  );
  for await (const row of rows) yield { ...row, state: stateOf(row) };
}

/** One page of finance's ledger: its store's `listLedger`, or the client's wrapped to the same shape. */
export type LedgerPager = (query: LedgerQuery) => Promise<LedgerEntry[]>;

/** The ledger kinds matched against our orders, and the kind of ours each one is. */
const MOVE_KINDS: Readonly<Record<string, OurOrder['kind']>> = {
  payment: 'payment',
  transfer: 'transfer',
  refund: 'refund',
  // issue 8: an expired B2C packet's remainder back in its campaign's budget (returnNo = orderNo)
  grant_return: 'return',
};

/**
 * The provider's payment, transfer, refund and (with `returns`) B2C return movements in
 * [fromMs, toMs), one per transaction.
 */
export async function* providerMoves(
  page: LedgerPager,
  fromMs: number,
  toMs: number,
  pageSize = PAGE_SIZE,
  returns = true,
): AsyncGenerator<ProviderMove> {
  const entries = keysetPages(
    (afterId: number | undefined) =>
      page({ fromMs, toMs, limit: pageSize, ...(afterId === undefined ? {} : { afterId }) }),
    (last) => last.id,
    pageSize,
  );
  for await (const e of entries) {
    const kind = MOVE_KINDS[e.kind];
    if (e.direction !== 'credit' || !kind || (kind === 'return' && !returns)) continue;
    yield { orderNo: e.orderNo, kind, txnId: e.txnId, amount: e.amount, createdAt: e.createdAt, seq: e.id };
  }
}

/** Our booked subsidies issued in [fromMs, toMs), in (issuedAt, outGrantNo) order. */
export function ourSubsidies(
  store: Pick<ReconStore, 'listSubsidies'>,
  fromMs: number,
  toMs: number,
  pageSize = PAGE_SIZE,
): AsyncGenerator<ReconSubsidyRow> {
  return keysetPages(
    (after: GrantCursor | undefined) =>
      store.listSubsidies({ fromMs, toMs, limit: pageSize, ...(after ? { after } : {}) }),
    grantCursor,
    pageSize,
  );
}

/** The issuer's grants issued in [fromMs, toMs), in (issuedAt, outGrantNo) order. */
export function issuedGrants(
  issuer: Pick<RainExportReads, 'listGrants'>,
  fromMs: number,
  toMs: number,
  pageSize = PAGE_SIZE,
): AsyncGenerator<IssuedGrant> {
  return keysetPages(
    (after: GrantCursor | undefined) =>
      issuer.listGrants({ fromMs, toMs, limit: pageSize, ...(after ? { after } : {}) }),
    grantCursor,
    pageSize,
  );
}

const grantCursor = (last: { issuedAt: number; outGrantNo: string }): GrantCursor => ({
  issuedAt: last.issuedAt,
  outGrantNo: last.outGrantNo,
});
