/**
 * Issue 8 / 22: one reconciliation run. Both sides of a window are streamed into DuckDB (or read
 * from an export), the recon SQL (src/recon/sql/) decides every category and invariant, and the
 * result is a plain JSON report. It writes nothing: storing the report is the caller's choice, so
 * the same window always gives the same report (an unbooked grant moves from in transit to
 * outstanding once the cut-off passed).
 */
import type { ReconStore } from '../domain/ports.js';
import type { RainExportReads } from '../finance/rain/grant-export.js';
import { formatCount, plural } from './count-words.js';
import { openEngine, type Engine, type EngineOptions } from './duck/engine.js';
import { answerLookups, loadWindow } from './duck/load-live.js';
import { readResults, type SqlResults } from './duck/read-report.js';
import type { ReconLane } from './lane.js';
import type { B2cCheck, ReconReport } from './report-types.js';
import { RECON_FILES, statementsOf, type ReconType, type SqlParams } from './sql-statements.js';
import { PAGE_SIZE, type LedgerPager } from './sources.js';
import { CATEGORIES, CLEAN_CATEGORIES, type ProviderOrderView } from './types.js';
import type { ReconWindow } from './window.js';

export type { B2cCheck, CheckStatus, ReconReport } from './report-types.js';
export type { ReconType };

export interface ReconDeps {
  store: Pick<ReconStore, 'listOrders' | 'findOrder' | 'listPacketTotals' | 'listSubsidies' | 'findSubsidy'>;
  ledger: LedgerPager;
  providerOrder(orderNo: string): Promise<ProviderOrderView | null>;
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
  engine?: EngineOptions;
}

export function sqlParams(req: ReconRequest): SqlParams {
  return {
    fromMs: req.window.fromMs,
    toMs: req.window.toMs,
    cutoffMs: req.cutoffMs,
    nowMs: req.now,
    type: req.type,
    lane: req.lane ?? 'real',
  };
}

/** The live path: the stores streamed into the engine, the look-ups answered, the SQL run. */
export async function runRecon(deps: ReconDeps, req: ReconRequest): Promise<ReconReport> {
  const engine = await openEngine(req.engine);
  try {
    const params = sqlParams(req);
    await loadWindow(engine, deps, { ...params, pageSize: req.pageSize ?? PAGE_SIZE });
    await answerLookups(engine, deps, params);
    return await reconcileLoaded(engine, req);
  } finally {
    await engine.close();
  }
}

/** Runs the categories and invariants over the layout tables (or views) already in the engine. */
export async function reconcileLoaded(engine: Engine, req: ReconRequest): Promise<ReconReport> {
  for (const s of statementsOf(RECON_FILES, sqlParams(req))) await engine.run(s);
  return buildReport(await readResults(engine, req.keep ?? 50), req);
}

function b2cChecks(r: SqlResults): { checks: B2cCheck[]; usedViolated: boolean } {
  const { total } = r.grants;
  const p = r.packets.b2c;
  const usedOk = p.usedAmount === p.packetAmount && p.usedSubsidies === p.packets;
  const n = formatCount;
  const unbalanced = r.grants.campaigns.filter((c) => !c.ok).length;
  const checks: B2cCheck[] = [
    {
      name: 'subsidies issued == booked + outstanding tokens (fen)',
      status: total.ok ? 'ok' : 'violated',
      ours: total.booked.fen + total.outstanding.fen,
      theirs: total.issued.fen,
      left: { label: 'booked + outstanding', value: total.booked.fen + total.outstanding.fen },
      right: { label: "issuer's issued", value: total.issued.fen },
      note:
        `the issuer issued ${plural(total.issued.count, 'grant')} (${n(total.issued.fen)} fen) in the window; booked ` +
        `${n(total.booked.count)} (${n(total.booked.fen)} fen), outstanding ${n(total.outstanding.count)} ` +
        `(${n(total.outstanding.fen)} fen, ${n(r.grants.totals.in_transit.count)} of them in transit); ` +
        `${n(unbalanced)} of ${plural(r.grants.campaigns.length, 'campaign')} unbalanced`,
    },
    {
      name: 'used subsidies == B2C packets (fen)',
      status: usedOk ? 'ok' : 'violated',
      ours: null,
      theirs: null,
      left: { label: 'subsidies used', value: p.usedAmount },
      right: { label: 'B2C packets', value: p.packetAmount },
      note: `${plural(p.usedSubsidies, 'subsidy', 'subsidies')} used, ${plural(p.packets, 'B2C packet')} created in the window`,
    },
    {
      name: 'B2C claims == transfers (credits), per packet once final',
      status: p.violations === 0 ? 'ok' : 'violated',
      ours: null,
      theirs: null,
      left: { label: 'claims', value: p.claims },
      right: { label: 'transfers', value: p.transfers },
      note:
        `${plural(p.packets, 'B2C packet')} (${n(p.finalPackets)} final): spent ${n(p.paid)} fen, ` +
        `credited ${n(p.transferred)}, returned ${n(p.refunded)}; ${plural(p.violations, 'violation')}`,
    },
  ];
  return { checks, usedViolated: !usedOk };
}

function buildReport(r: SqlResults, req: ReconRequest): ReconReport {
  const { window } = req;
  const lane = req.lane ?? 'real';
  const withB2c = req.type !== 'c2c';
  const withC2c = req.type !== 'b2c';
  const strip = ({
    packetAmount: _a,
    usedSubsidies: _b,
    usedAmount: _c,
    ...t
  }: SqlResults['packets']['c2c']) => t;
  const b2c = withB2c ? b2cChecks(r) : null;
  const discrepancyCount = r.discrepancyRows + (b2c?.usedViolated ? 1 : 0);
  const notes: string[] = [];
  const apart = r.totals.shadow;
  const grantsApart = withB2c ? r.grants.totals.shadow.count : 0;
  if (apart.count > 0 || grantsApart > 0) {
    const marked = lane === 'real' ? 'shadow-marked (load-test)' : 'real-marked';
    notes.push(
      `${formatCount(apart.count)} ${marked} ${apart.count === 1 ? 'order' : 'orders'} (${formatCount(apart.fen)} fen) and ` +
        `${plural(grantsApart, 'grant')} reported apart under "shadow", never matched against this lane's books`,
    );
  }
  if (r.totals.mocked.count > 0)
    notes.push(
      `${plural(r.totals.mocked.count, 'mocked order')} reported apart, not matched against finance`,
    );
  const closesAtMs = window.toMs + req.cutoffMs;
  const provisional = req.now < closesAtMs;
  if (provisional) {
    notes.push(
      `provisional: the window is not over until ${new Date(closesAtMs).toISOString()} (its end plus the ` +
        `cut-off); orders may still come and settle, so this report can change`,
    );
  }
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
    provisional,
    closesAt: new Date(closesAtMs).toISOString(),
    clean: discrepancyCount === 0,
    discrepancyCount,
    totals: r.totals,
    byKind: r.byKind,
    held: withC2c ? r.held : null,
    c2c: withC2c ? strip(r.packets.c2c) : null,
    b2c: b2c?.checks ?? null,
    grants: withB2c ? r.grants : null,
    b2cPackets: withB2c ? strip(r.packets.b2c) : null,
    outOfScope: r.outOfScope,
    notes,
    discrepancies: r.discrepancies,
  };
}

/** Order categories that are errors, in report order. */
export const ERROR_CATEGORIES = CATEGORIES.filter((c) => !CLEAN_CATEGORIES.has(c));
