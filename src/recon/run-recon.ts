/**
 * Issue 8: one reconciliation run. Reads both sides of a window as streams, matches them, checks
 * the per-packet invariants, and returns a plain JSON report (STYLE rule 10). It writes nothing:
 * storing the report is the caller's choice, so the same window always gives the same report.
 */
import type { ReconStore } from '../domain/ports.js';
import { addPacket, emptyInvariantTotals, type InvariantTotals } from './invariants.js';
import { matchStreams, type MatchLookups } from './matcher.js';
import { ourOrders, PAGE_SIZE, providerMoves, type LedgerPager } from './sources.js';
import { CATEGORIES, CLEAN_CATEGORIES, type Discrepancy, type Totals } from './types.js';
import type { ReconWindow } from './window.js';

export type ReconType = 'c2c' | 'b2c' | 'all';

export interface ReconDeps {
  store: Pick<ReconStore, 'listOrders' | 'findOrder' | 'listPacketTotals' | 'b2cTotals'>;
  ledger: LedgerPager;
  providerOrder: MatchLookups['providerOrder'];
}

export interface ReconRequest {
  window: ReconWindow;
  type: ReconType;
  cutoffMs: number;
  /** Discrepancies kept in full (default 50); all are counted. */
  keep?: number;
  pageSize?: number;
}

export type CheckStatus = 'ok' | 'violated' | 'not_computable';

export interface B2cCheck {
  name: string;
  status: CheckStatus;
  ours: number | null;
  theirs: number | null;
  note: string;
}

export interface ReconReport {
  window: {
    key: string;
    date: string;
    hour: number | null;
    tz: string;
    fromMs: number;
    toMs: number;
    from: string;
    to: string;
  };
  type: ReconType;
  cutoffMs: number;
  clean: boolean;
  /** Order discrepancies plus invariant violations. */
  discrepancyCount: number;
  totals: Totals;
  c2c: InvariantTotals | null;
  b2c: B2cCheck[] | null;
  /** Provider movements that belong to another window or type (not judged here). */
  outOfScope: number;
  notes: string[];
  /** The first `keep` discrepancies: order ones in stream order, then invariant ones. */
  discrepancies: Discrepancy[];
}

async function checkC2c(
  deps: ReconDeps,
  req: ReconRequest,
  keep: number,
  out: Discrepancy[],
): Promise<InvariantTotals> {
  const totals = emptyInvariantTotals();
  let after: { createdAt: number; packetId: string } | undefined;
  const pageSize = req.pageSize ?? PAGE_SIZE;
  for (;;) {
    const page = await deps.store.listPacketTotals({
      fromMs: req.window.fromMs,
      toMs: req.window.toMs,
      limit: pageSize,
      ...(after ? { after } : {}),
    });
    for (const p of page) {
      for (const v of addPacket(totals, p)) if (out.length < keep) out.push(v);
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) return totals;
    after = { createdAt: last.createdAt, packetId: last.packetId };
  }
}

async function checkB2c(
  deps: ReconDeps,
  req: ReconRequest,
  grantsIssued: { count: number; fen: number },
): Promise<B2cCheck[]> {
  const t = await deps.store.b2cTotals(req.window.fromMs, req.window.toMs);
  return [
    {
      name: 'used subsidies == B2C packets (fen)',
      status: t.usedAmount === t.packetAmount && t.usedSubsidies === t.packets ? 'ok' : 'violated',
      ours: t.usedAmount,
      theirs: t.packetAmount,
      note: `${t.usedSubsidies} subsidies used, ${t.packets} B2C packets created in the window`,
    },
    {
      name: 'grants issued == booked + outstanding tokens (fen)',
      status: 'not_computable',
      ours: t.bookedAmount,
      theirs: grantsIssued.fen,
      note:
        `finance's ledger shows ${grantsIssued.count} grants (${grantsIssued.fen} fen) issued in the window and we booked ` +
        `${t.booked} (${t.bookedAmount} fen); neither store exposes the outstanding (unbooked) tokens, so the ` +
        `difference cannot be told apart from a lost booking`,
    },
  ];
}

export async function runRecon(deps: ReconDeps, req: ReconRequest): Promise<ReconReport> {
  const { window } = req;
  const keep = req.keep ?? 50;
  const pageSize = req.pageSize ?? PAGE_SIZE;
  const grantsIssued = { count: 0, fen: 0 };
  const theirs = providerMoves(deps.ledger, window.fromMs, window.toMs + req.cutoffMs, pageSize, (e) => {
    if (e.kind === 'grant' && e.createdAt < window.toMs) {
      grantsIssued.count += 1;
      grantsIssued.fen += e.amount;
    }
  });
  const match = await matchStreams(
    ourOrders(deps.store, req.type, window.fromMs, window.toMs, pageSize),
    theirs,
    {
      window: { fromMs: window.fromMs, toMs: window.toMs, cutoffMs: req.cutoffMs },
      lookups: { providerOrder: deps.providerOrder, ourOrder: (no) => deps.store.findOrder(no) },
      keep,
    },
  );
  const discrepancies = [...match.discrepancies];
  const invariants: Discrepancy[] = [];
  const c2c = req.type === 'b2c' ? null : await checkC2c(deps, req, keep, invariants);
  const b2c = req.type === 'c2c' ? null : await checkB2c(deps, req, grantsIssued);
  for (const v of invariants) if (discrepancies.length < keep) discrepancies.push(v);
  const b2cViolations = (b2c ?? []).filter((c) => c.status === 'violated').length;
  const discrepancyCount = match.discrepancyCount + (c2c?.violations ?? 0) + b2cViolations;
  const notes = [
    'shadow (load-test) orders: the packet store does not record the shadow header, so they cannot be reported apart; they are counted with the real ones',
  ];
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
    cutoffMs: req.cutoffMs,
    clean: discrepancyCount === 0,
    discrepancyCount,
    totals: match.totals,
    c2c,
    b2c,
    outOfScope: match.outOfScope,
    notes,
    discrepancies,
  };
}

/** Order categories that are errors, in report order. */
export const ERROR_CATEGORIES = CATEGORIES.filter((c) => !CLEAN_CATEGORIES.has(c));
