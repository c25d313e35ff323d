/**
 * Issue 8: the two sides as streams. Ours: the packet store's orders of the window, one keyset
 * page at a time per kind, merged by creation time. Theirs: finance's ledger (its export API or
 * its own store), one page at a time, reduced to one movement per transaction (the credit side).
 * B2C grants: our booked subsidies and the issuer's grant export, both in (issuedAt, outGrantNo)
 * keyset pages.
 */
import type { GrantCursor, IssuedGrant, RainExportReads } from '../../src/finance/rain/grant-export.js';
import type { LedgerEntry, LedgerQuery } from '../../src/finance/store/types.js';
import type { ReconOrderRow, ReconScope, ReconStore, ReconSubsidyRow } from '../../src/domain/ports.js';
import { keysetPages } from '../../src/domain/keyset-pages.js';
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

async function* ordersOfKind(
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

/** Merges streams that are each in time order into one in time order. */
export async function* mergeByTime<T extends { createdAt: number }>(
  sources: readonly AsyncIterable<T>[],
): AsyncGenerator<T> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const heads = await Promise.all(its.map((it) => it.next()));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (
        h &&
        !h.done &&
        (best < 0 || h.value.createdAt < (heads[best] as IteratorYieldResult<T>).value.createdAt)
      )
        best = i;
    }
    if (best < 0) return;
    const head = heads[best] as IteratorYieldResult<T>;
    yield head.value;
    heads[best] = await (its[best] as AsyncIterator<T>).next();
  }
}

export function ourOrders(
  store: Pick<ReconStore, 'listOrders'>,
  type: 'c2c' | 'b2c' | 'all',
  fromMs: number,
  toMs: number,
  pageSize = PAGE_SIZE,
): AsyncIterable<OurOrder> {
  return mergeByTime(
    streamsOf(type).map((s) => ordersOfKind(store, s.scope, s.kind, fromMs, toMs, pageSize)),
  );
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
    yield { orderNo: e.orderNo, kind, txnId: e.txnId, amount: e.amount, createdAt: e.createdAt };
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
