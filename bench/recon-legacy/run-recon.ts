/**
 * Issue 8: one reconciliation run. Reads both sides of a window as streams, matches them, checks
 * the per-packet and per-campaign invariants, and returns a plain JSON report (STYLE rule 10). It
 * writes nothing: storing the report is the caller's choice, so the same window always gives the
 * same report (an unbooked grant moves from in transit to outstanding once the cut-off passed).
 */
import type { ReconStore } from '../../src/domain/ports.js';
import type { RainExportReads } from '../../src/finance/rain/grant-export.js';
import { checkB2c, type B2cCheck, type CheckStatus } from './b2c-checks.js';
import type { GrantReport } from './grants.js';
import type { InvariantTotals } from './invariants.js';
import { otherLane, type ReconLane } from '../../src/recon/lane.js';
import { matchStreams, type MatchLookups } from './matcher.js';
import { checkPackets } from './packet-checks.js';
import { ourOrders, PAGE_SIZE, providerMoves, type LedgerPager } from './sources.js';
import { CATEGORIES, CLEAN_CATEGORIES, type Discrepancy, type Totals } from './types.js';
import type { ReconWindow } from '../../src/recon/window.js';

export type { B2cCheck, CheckStatus };
export type ReconType = 'c2c' | 'b2c' | 'all';

export interface ReconDeps {
  store: Pick<
    ReconStore,
    'listOrders' | 'findOrder' | 'listPacketTotals' | 'b2cTotals' | 'listSubsidies' | 'findSubsidy'
  >;
  ledger: LedgerPager;
  providerOrder: MatchLookups['providerOrder'];
  /** The reward issuer's export: grants (B2C) and returns by number. */
  issuer: RainExportReads;
}

export interface ReconRequest {
  window: ReconWindow;
  type: ReconType;
  cutoffMs: number;
  /** The run's clock (an unbooked grant younger than the cut-off is in transit). */
  now: number;
  /** Default real. */
  lane?: ReconLane;
  /** Discrepancies kept in full (default 50); all are counted. */
  keep?: number;
  pageSize?: number;
}

export interface ReconReport {
  /** The window, with its bounds also as ISO strings. */
  window: ReconWindow & { from: string; to: string };
  type: ReconType;
  /** `shadow`: both sides read from the shadow (load-test) lane's books. */
  lane: ReconLane;
  cutoffMs: number;
  clean: boolean;
  /** Order and grant discrepancies plus invariant violations. */
  discrepancyCount: number;
  totals: Totals;
  c2c: InvariantTotals | null;
  b2c: B2cCheck[] | null;
  /** B2C: the issuer's grants against our booked subsidies, per category and per campaign. */
  grants: GrantReport | null;
  /** B2C: every packet's invariants (subsidy spent == amount == credited + returned). */
  b2cPackets: InvariantTotals | null;
  /** Provider movements that belong to another window or type (not judged here). */
  outOfScope: number;
  notes: string[];
  /** The first `keep` discrepancies: order ones in stream order, then grant ones, then invariants. */
  discrepancies: Discrepancy[];
}

export async function runRecon(deps: ReconDeps, req: ReconRequest): Promise<ReconReport> {
  const { window } = req;
  const lane = req.lane ?? 'real';
  const keep = req.keep ?? 50;
  const pageSize = req.pageSize ?? PAGE_SIZE;
  const withB2c = req.type !== 'c2c';
  const providerOrder: MatchLookups['providerOrder'] = async (no) => {
    const order = await deps.providerOrder(no);
    if (order || !withB2c) return order;
    const ret = await deps.issuer.getReturn(no);
    return ret ? { orderNo: ret.returnNo, amount: ret.amount, status: 'succeeded' } : null;
  };
  const match = await matchStreams(
    ourOrders(deps.store, req.type, window.fromMs, window.toMs, pageSize),
    providerMoves(deps.ledger, window.fromMs, window.toMs + req.cutoffMs, pageSize, withB2c),
    {
      window: { fromMs: window.fromMs, toMs: window.toMs, cutoffMs: req.cutoffMs },
      lookups: { providerOrder, ourOrder: (no) => deps.store.findOrder(no) },
      keep,
      apart: otherLane(lane),
    },
  );
  const later: Discrepancy[] = [];
  const hold = (d: Discrepancy) => {
    if (later.length < keep) later.push(d);
  };
  const b2c = withB2c
    ? await checkB2c(
        deps,
        { fromMs: window.fromMs, toMs: window.toMs, cutoffMs: req.cutoffMs, now: req.now, lane, pageSize },
        hold,
      )
    : null;
  const c2c =
    req.type === 'b2c'
      ? null
      : await checkPackets(
          deps.store,
          { type: 'c2c', fromMs: window.fromMs, toMs: window.toMs, pageSize },
          { apart: otherLane(lane) },
          hold,
        );
  const discrepancies = [...match.discrepancies, ...later].slice(0, keep);
  const discrepancyCount = match.discrepancyCount + (c2c?.violations ?? 0) + (b2c?.discrepancyCount ?? 0);
  const notes: string[] = [];
  const apart = match.totals.shadow;
  if (apart.count > 0 || (b2c?.grants.totals.shadow.count ?? 0) > 0) {
    const marked = lane === 'real' ? 'shadow-marked (load-test)' : 'real-marked';
    notes.push(
      `${apart.count} ${marked} orders (${apart.fen} fen) and ${b2c?.grants.totals.shadow.count ?? 0} grants ` +
        `reported apart under "shadow", never matched against this lane's books`,
    );
  }
  if (match.totals.mocked.count > 0)
    notes.push(`${match.totals.mocked.count} mocked orders reported apart, not matched against finance`);
  return {
    window: {
      key: window.key,
      date: window.date,
      hour: window.hour,
      tz: window.tz,
      fromMs: window.fromMs,
      toMs: window.toMs,
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
    },
    type: req.type,
    lane,
    cutoffMs: req.cutoffMs,
    clean: discrepancyCount === 0,
    discrepancyCount,
    totals: match.totals,
    c2c,
    b2c: b2c?.checks ?? null,
    grants: b2c?.grants ?? null,
    b2cPackets: b2c?.packets ?? null,
    outOfScope: match.outOfScope,
    notes,
    discrepancies,
  };
}

/** Order categories that are errors, in report order. */
export const ERROR_CATEGORIES = CATEGORIES.filter((c) => !CLEAN_CATEGORIES.has(c));
