/**
 * Issue 8: the streaming matcher. Our orders and the provider's money movements arrive as two
 * streams, each in time order; they are merged by time and matched by order number. Only what is
 * still unmatched is held, and only for `cutoffMs` of stream time: an order whose counterpart has
 * not shown up by then is settled with a direct look-up (rare), so a day of a million orders needs
 * memory for one cut-off's worth of unmatched ones, not for the day.
 */
import type { Fen } from '../../src/domain/money.js';
import {
  CLEAN_CATEGORIES,
  emptyTotals,
  type Category,
  type Discrepancy,
  type OurOrder,
  type ProviderMove,
  type ProviderOrderView,
  type Totals,
} from './types.js';

export interface MatchWindow {
  /** Our orders created in [fromMs, toMs) are this window's; inclusive. */
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  /** How long a counterpart may lag behind (and how far past toMs the provider side is read). */
  cutoffMs: number;
}

export interface MatchLookups {
  /** The provider's view of one order, asked when its movement is not in the streamed window. */
  providerOrder(orderNo: string): Promise<ProviderOrderView | null>;
  /** Whether we have an order of this number at all, and when it was created (any window). */
  ourOrder(orderNo: string): Promise<{ createdAt: number } | null>;
}

export interface MatchResult {
  totals: Totals;
  /** Discrepancies in the order found; at most `keep` of them. */
  discrepancies: Discrepancy[];
  discrepancyCount: number;
  /** Provider movements of orders outside this window or this type (not counted). */
  outOfScope: number;
  /** The most unmatched entries held at once (the memory bound). */
  peakPending: number;
}

export interface MatchOptions {
  window: MatchWindow;
  lookups: MatchLookups;
  /** How many discrepancies to keep in full (default 50); all are counted. */
  keep?: number;
  /**
   * Order numbers of the other lane (lane.ts): counted under `shadow` with their fen on whichever
   * side they appear, never held, never matched, never a discrepancy.
   */
  apart?: (orderNo: string) => boolean;
}

interface Held<T> {
  item: T;
  at: number;
}

export async function matchStreams(
  ours: AsyncIterable<OurOrder>,
  theirs: AsyncIterable<ProviderMove>,
  opts: MatchOptions,
): Promise<MatchResult> {
  const { window, lookups } = opts;
  const keep = opts.keep ?? 50;
  const apart = opts.apart ?? (() => false);
  const totals = emptyTotals();
  const discrepancies: Discrepancy[] = [];
  let discrepancyCount = 0;
  let outOfScope = 0;
  let peakPending = 0;

  const pendingOurs = new Map<string, Held<OurOrder>>();
  const pendingTheirs = new Map<string, Held<ProviderMove>>();
  /** Matched order numbers, held for one cut-off to catch a second movement of the same order. */
  const recent = new Map<string, Held<string>>();

  function count(category: Category, fen: Fen, d?: Omit<Discrepancy, 'category'>): void {
    totals[category].count += 1;
    totals[category].fen += fen;
    if (CLEAN_CATEGORIES.has(category) || !d) return;
    discrepancyCount += 1;
    if (discrepancies.length < keep) discrepancies.push({ category, ...d });
  }

  function pair(o: OurOrder, m: ProviderMove): void {
    const base = { orderNo: o.orderNo, kind: o.kind, ours: o.amount, theirs: m.amount };
    if (o.mocked) count('mocked', o.amount);
    else if (o.state === 'open') count('in_transit', o.amount);
    else if (o.state === 'failed')
      count('status_mismatch', o.amount, {
        ...base,
        detail: `ours ${o.status}, the provider moved the money`,
      });
    else if (o.amount !== m.amount)
      count('amount_mismatch', o.amount, { ...base, detail: `ours ${o.amount} fen, theirs ${m.amount} fen` });
    else count('matched', o.amount);
  }

  async function settleOurs(o: OurOrder): Promise<void> {
    if (o.mocked) return count('mocked', o.amount);
    if (o.state === 'open') return count('in_transit', o.amount);
    if (o.state === 'failed') return count('closed', 0);
    const view = await lookups.providerOrder(o.orderNo);
    const base = { orderNo: o.orderNo, kind: o.kind, ours: o.amount };
    if (!view || view.status === 'pending' || view.status === 'failed' || view.status === 'closed') {
      if (!view) {
        return count('missing_at_provider', o.amount, {
          ...base,
          theirs: null,
          detail: `ours ${o.status}, the provider never heard of it`,
        });
      }
      return count('status_mismatch', o.amount, {
        ...base,
        theirs: view.amount,
        detail: `ours ${o.status}, the provider says ${view.status}`,
      });
    }
    // it moved, later than the cut-off: settled late, still the same money
    if (view.amount !== o.amount) {
      return count('amount_mismatch', o.amount, {
        ...base,
        theirs: view.amount,
        detail: `ours ${o.amount} fen, theirs ${view.amount} fen`,
      });
    }
    return count('matched', o.amount);
  }

  async function settleTheirs(m: ProviderMove): Promise<void> {
    const mine = await lookups.ourOrder(m.orderNo);
    if (mine) {
      // ours from another window or type, or one of ours settled by look-up already
      if (mine.createdAt < window.fromMs || mine.createdAt >= window.toMs) outOfScope += 1;
      return;
    }
    if (m.createdAt < window.fromMs || m.createdAt >= window.toMs) {
      outOfScope += 1; // moved after the window: the next window's to judge
      return;
    }
    count('missing_ours', m.amount, {
      orderNo: m.orderNo,
      kind: m.kind,
      ours: null,
      theirs: m.amount,
      detail: `the provider moved ${m.amount} fen (txn ${m.txnId}); we have no such order`,
    });
  }

  async function evict(now: number): Promise<void> {
    const horizon = now - window.cutoffMs;
    for (const [no, held] of pendingOurs) {
      if (held.at >= horizon) break;
      pendingOurs.delete(no);
      await settleOurs(held.item);
    }
    for (const [no, held] of pendingTheirs) {
      if (held.at >= horizon) break;
      pendingTheirs.delete(no);
      await settleTheirs(held.item);
    }
    for (const [no, held] of recent) {
      if (held.at >= horizon) break;
      recent.delete(no);
    }
  }

  function duplicate(m: ProviderMove, first: string): void {
    count('duplicate', m.amount, {
      orderNo: m.orderNo,
      kind: m.kind,
      ours: null,
      theirs: m.amount,
      detail: `the provider moved this order twice (txns ${first} and ${m.txnId})`,
    });
  }

  function onOurs(o: OurOrder): void {
    if (apart(o.orderNo)) return count('shadow', o.amount);
    const m = pendingTheirs.get(o.orderNo);
    if (m) {
      pendingTheirs.delete(o.orderNo);
      recent.set(o.orderNo, { item: m.item.txnId, at: o.createdAt });
      pair(o, m.item);
    } else {
      pendingOurs.set(o.orderNo, { item: o, at: o.createdAt });
    }
  }

  function onTheirs(m: ProviderMove): void {
    if (apart(m.orderNo)) return count('shadow', m.amount);
    const seen = recent.get(m.orderNo) ?? pendingTheirs.get(m.orderNo);
    if (seen) return duplicate(m, typeof seen.item === 'string' ? seen.item : seen.item.txnId);
    const o = pendingOurs.get(m.orderNo);
    if (o) {
      pendingOurs.delete(m.orderNo);
      recent.set(m.orderNo, { item: m.txnId, at: m.createdAt });
      pair(o.item, m);
    } else {
      pendingTheirs.set(m.orderNo, { item: m, at: m.createdAt });
    }
  }

  const a = ours[Symbol.asyncIterator]();
  const b = theirs[Symbol.asyncIterator]();
  let na = await a.next();
  let nb = await b.next();
  let clock = -Infinity;
  while (!na.done || !nb.done) {
    const takeOurs = nb.done || (!na.done && na.value.createdAt <= nb.value.createdAt);
    const at = takeOurs ? (na.value as OurOrder).createdAt : (nb.value as ProviderMove).createdAt;
    // the provider's ledger is in id order, which may run a few ms behind its clock: never go back
    if (at > clock) {
      clock = at;
      await evict(clock);
    }
    if (takeOurs) {
      onOurs(na.value as OurOrder);
      na = await a.next();
    } else {
      onTheirs(nb.value as ProviderMove);
      nb = await b.next();
    }
    const held = pendingOurs.size + pendingTheirs.size + recent.size;
    if (held > peakPending) peakPending = held;
  }
  await evict(Infinity);
  return { totals, discrepancies, discrepancyCount, outOfScope, peakPending };
}
