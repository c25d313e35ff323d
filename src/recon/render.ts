/** Issue 8: the report for people: a cli-table3 summary, the first discrepancies, the checks. */
import Table from 'cli-table3';
import type { StoredReconReport } from '../domain/ports.js';
import type { ReconReport } from './run-recon.js';
import { CLEAN_GRANT_CATEGORIES, GRANT_CATEGORIES, type GrantReport } from './grant-types.js';
import type { InvariantTotals } from './invariants.js';
import { CATEGORIES, CLEAN_CATEGORIES } from './types.js';

/** Campaign lines shown in full; the JSON report has them all. */
const CAMPAIGN_ROWS = 20;

function packetTable(title: string, c: InvariantTotals): string {
  const t = new Table({
    head: [
      title,
      'final',
      'mocked',
      'apart',
      'paid',
      'transferred',
      'refunded',
      'claims',
      'transfers',
      'violations',
    ],
  });
  t.push(
    [
      c.packets,
      c.finalPackets,
      c.mockedPackets,
      c.shadowPackets,
      c.paid,
      c.transferred,
      c.refunded,
      c.claims,
      c.transfers,
      c.violations,
    ].map(String),
  );
  return t.toString();
}

function grantTables(g: GrantReport): string[] {
  const cats = new Table({ head: ['grant category', 'grants', 'fen', 'yuan', 'error?'] });
  for (const c of GRANT_CATEGORIES) {
    const t = g.totals[c];
    cats.push([
      c,
      String(t.count),
      String(t.fen),
      yuan(t.fen),
      CLEAN_GRANT_CATEGORIES.has(c) ? '' : t.count > 0 ? 'YES' : 'no',
    ]);
  }
  const inv = new Table({
    head: ['campaign', 'issued fen', 'booked fen', 'outstanding fen', 'issued == booked + outstanding'],
  });
  const row = (name: string, c: GrantReport['total']) =>
    inv.push([
      name,
      String(c.issued.fen),
      String(c.booked.fen),
      String(c.outstanding.fen),
      c.ok ? 'ok' : 'VIOLATED',
    ]);
  for (const c of g.campaigns.slice(0, CAMPAIGN_ROWS)) row(c.campaign, c);
  row(`total (${g.campaigns.length} campaigns)`, g.total);
  return [cats.toString(), inv.toString()];
}

const yuan = (fen: number): string => `${(fen / 100).toFixed(2)}`;

export function renderReport(r: ReconReport, firstN = 20): string {
  const lines: string[] = [];
  const hour = r.window.hour === null ? 'day' : `hour ${r.window.hour}`;
  const lane = r.lane === 'shadow' ? ' SHADOW lane' : '';
  lines.push(
    `recon ${r.type}${lane} ${r.window.date} ${hour} (${r.window.tz}): ${r.window.from} .. ${r.window.to}, cut-off ${r.cutoffMs / 60_000} min`,
  );
  const summary = new Table({ head: ['category', 'orders', 'fen', 'yuan', 'error?'] });
  for (const c of CATEGORIES) {
    const t = r.totals[c];
    summary.push([
      c === 'shadow' && r.lane === 'shadow' ? 'shadow (real-marked: apart)' : c,
      String(t.count),
      String(t.fen),
      yuan(t.fen),
      CLEAN_CATEGORIES.has(c) ? '' : t.count > 0 ? 'YES' : 'no',
    ]);
  }
  lines.push(summary.toString());
  if (r.c2c) lines.push(packetTable('C2C packets', r.c2c));
  if (r.grants) lines.push(...grantTables(r.grants));
  if (r.b2cPackets) lines.push(packetTable('B2C packets', r.b2cPackets));
  if (r.b2c) {
    const b = new Table({ head: ['B2C check', 'status', 'ours', 'theirs'] });
    for (const c of r.b2c) b.push([c.name, c.status, String(c.ours ?? '-'), String(c.theirs ?? '-')]);
    lines.push(b.toString());
    for (const c of r.b2c) if (c.status !== 'ok') lines.push(`  ${c.name}: ${c.note}`);
  }
  if (r.discrepancies.length > 0) {
    const d = new Table({ head: ['category', 'order no', 'kind', 'ours', 'theirs', 'detail'] });
    for (const x of r.discrepancies.slice(0, firstN)) {
      d.push([x.category, x.orderNo, x.kind, String(x.ours ?? '-'), String(x.theirs ?? '-'), x.detail]);
    }
    lines.push(`first ${Math.min(firstN, r.discrepancies.length)} of ${r.discrepancyCount} discrepancies:`);
    lines.push(d.toString());
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(r.clean ? 'CLEAN: every fen matches' : `DISCREPANCIES: ${r.discrepancyCount}`);
  return `${lines.join('\n')}\n`;
}

export function renderHistory(reports: readonly StoredReconReport[]): string {
  const t = new Table({
    head: ['window', 'type', 'lane', 'from', 'to', 'result', 'discrepancies', 'ran at'],
  });
  for (const r of reports) {
    t.push([
      r.windowKey,
      r.type,
      r.lane,
      new Date(r.fromMs).toISOString(),
      new Date(r.toMs).toISOString(),
      r.clean ? 'clean' : 'DISCREPANCIES',
      String(r.discrepancies),
      new Date(r.ranAt).toISOString(),
    ]);
  }
  return `${t.toString()}\n`;
}
