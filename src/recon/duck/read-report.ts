/**
 * Issue 22: reads the result tables of the recon SQL (01..04-*.sql) back into the report's parts.
 * Nothing is decided here: every category, sum and violation is the SQL's; this only reshapes
 * rows, names the checks and counts what the SQL counted.
 */
import type { Fen } from '../../domain/money.js';
import {
  GRANT_CATEGORIES,
  type CampaignCheck,
  type GrantCategory,
  type GrantReport,
} from '../grant-types.js';
import type { InvariantTotals } from '../invariants.js';
import {
  CATEGORIES,
  emptyTotals,
  type CategoryTotal,
  type Discrepancy,
  type ReconOrderKind,
  type Totals,
} from '../types.js';
import type { B2cCheck, Held, KindTotals } from '../report-types.js';
import { outputQuery } from '../sql-statements.js';
import type { Engine, SqlRow } from './engine.js';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const orNull = (v: unknown): Fen | null => (v === null || v === undefined ? null : Number(v));
const ORDER_KINDS: readonly ReconOrderKind[] = ['payment', 'transfer', 'refund', 'return'];

export interface SqlResults {
  totals: Totals;
  byKind: KindTotals;
  held: Held;
  outOfScope: number;
  packets: Record<
    'c2c' | 'b2c',
    InvariantTotals & { packetAmount: Fen; usedSubsidies: number; usedAmount: Fen }
  >;
  grants: GrantReport;
  orderErrors: number;
  discrepancyRows: number;
  discrepancies: Discrepancy[];
}

function packetTotals(rows: SqlRow[], violations: SqlRow[]): SqlResults['packets'] {
  const out = {} as SqlResults['packets'];
  for (const type of ['c2c', 'b2c'] as const) {
    const r = rows.find((x) => x.type === type) ?? {};
    out[type] = {
      packets: num(r.packets),
      finalPackets: num(r.final_packets),
      mockedPackets: num(r.mocked_packets),
      shadowPackets: num(r.shadow_packets),
      paid: num(r.paid),
      transferred: num(r.transferred),
      refunded: num(r.refunded),
      claims: num(r.claims),
      transfers: num(r.transfers),
      violations: num(violations.find((x) => x.type === type)?.violations),
      packetAmount: num(r.packet_amount),
      usedSubsidies: num(r.used_subsidies),
      usedAmount: num(r.used_amount),
    };
  }
  return out;
}

const total = (n: unknown, fen: unknown): CategoryTotal => ({ count: num(n), fen: num(fen) });

function grantReport(totalRows: SqlRow[], campaignRows: SqlRow[], errors: number): GrantReport {
  const totals = Object.fromEntries(GRANT_CATEGORIES.map((c) => [c, { count: 0, fen: 0 }])) as Record<
    GrantCategory,
    CategoryTotal
  >;
  for (const r of totalRows) totals[String(r.category) as GrantCategory] = total(r.n, r.fen);
  const campaigns: CampaignCheck[] = campaignRows.map((r) => ({
    campaign: String(r.campaign),
    issued: total(r.issued_n, r.issued_fen),
    booked: total(r.booked_n, r.booked_fen),
    outstanding: total(r.outstanding_n, r.outstanding_fen),
    ok: r.ok === true,
  }));
  const sum = { issued: total(0, 0), booked: total(0, 0), outstanding: total(0, 0) };
  for (const c of campaigns) {
    for (const k of ['issued', 'booked', 'outstanding'] as const) {
      sum[k].count += c[k].count;
      sum[k].fen += c[k].fen;
    }
  }
  const ok =
    sum.issued.fen === sum.booked.fen + sum.outstanding.fen &&
    sum.issued.count === sum.booked.count + sum.outstanding.count;
  const unbalanced = campaigns.filter((c) => !c.ok).length;
  return { totals, campaigns, total: { ...sum, ok }, discrepancyCount: errors + unbalanced };
}

/** Reads the results; `keep`: how many discrepancies in full. */
export async function readResults(engine: Engine, keep: number): Promise<SqlResults> {
  const totals = emptyTotals();
  const byKind = {} as KindTotals;
  for (const c of CATEGORIES) byKind[c] = {};
  let orderErrors = 0;
  const ERR = new Set([
    'missing_at_provider',
    'missing_ours',
    'amount_mismatch',
    'status_mismatch',
    'duplicate',
  ]);
  for (const r of await engine.rows(outputQuery('recon_order_totals'))) {
    const c = String(r.category) as keyof Totals;
    const kind = String(r.kind) as ReconOrderKind;
    totals[c].count += num(r.n);
    totals[c].fen += num(r.fen);
    if (ORDER_KINDS.includes(kind)) byKind[c][kind] = total(r.n, r.fen);
    if (ERR.has(c)) orderErrors += num(r.n);
  }
  const [held = {}] = await engine.rows(outputQuery('recon_held'));
  const [scope = {}] = await engine.rows(outputQuery('recon_out_of_scope'));
  const packets = packetTotals(
    await engine.rows(outputQuery('recon_packet_totals')),
    await engine.rows(`SELECT * FROM recon_packet_violation_totals`),
  );
  const [grantErrors = {}] = await engine.rows(
    `SELECT COUNT(*) AS n FROM recon_grant_rows
     WHERE category IN ('amount_mismatch', 'record_mismatch', 'missing_at_provider')`,
  );
  const grants = grantReport(
    await engine.rows(outputQuery('recon_grant_totals')),
    await engine.rows(outputQuery('recon_campaigns')),
    num(grantErrors.n),
  );
  const [count = {}] = await engine.rows(`SELECT COUNT(*) AS n FROM recon_discrepancies`);
  const rows = await engine.rows(
    `${outputQuery('recon_discrepancies')} LIMIT ${Math.max(0, Math.floor(keep))}`,
  );
  const paid = num(held.paid);
  const transferred = num(held.transferred);
  const refunded = num(held.refunded);
  return {
    totals,
    byKind,
    held: { paid, transferred, refunded, fen: paid - transferred - refunded },
    outOfScope: num(scope.n),
    packets,
    grants,
    orderErrors,
    discrepancyRows: num(count.n),
    discrepancies: rows.map((r) => ({
      category: String(r.category) as Discrepancy['category'],
      orderNo: String(r.order_no),
      kind: String(r.kind),
      ours: orNull(r.ours),
      theirs: orNull(r.theirs),
      detail: String(r.detail ?? ''),
    })),
  };
}

export type { B2cCheck };
