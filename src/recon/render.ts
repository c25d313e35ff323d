/**
 * Issue 8: the report for people: cli-table3 tables, the first discrepancies, the checks.
 * Issue 17: no colour unless asked for (a TTY without NO_COLOR; the caller decides), and no red on
 * a clean report; money per order kind (a payment brings money in, a transfer or refund takes it
 * out: never added together), what is still held, the columns explained, thousands separators.
 */
import Table from 'cli-table3';
import type { StoredReconReport } from '../domain/ports.js';
import { formatCount as n, plural } from './count-words.js';
import { CLEAN_GRANT_CATEGORIES, GRANT_CATEGORIES, type GrantReport } from './grant-types.js';
import type { InvariantTotals } from './invariants.js';
import type { ReconReport } from './report-types.js';
import { CATEGORIES, CLEAN_CATEGORIES, type ReconOrderKind } from './types.js';

/** Campaign lines shown in full; the JSON report has them all. */
const CAMPAIGN_ROWS = 20;

export interface RenderOptions {
  /** How many discrepancies to list (default 20). */
  first?: number;
  /** ANSI colour (only on a TTY without NO_COLOR). */
  color?: boolean;
}

const paint = (on: boolean, code: number, text: string): string =>
  on ? `\x1b[${code}m${text}\x1b[39m` : text;
const red = (on: boolean, text: string) => paint(on, 31, text);
const green = (on: boolean, text: string) => paint(on, 32, text);
const yellow = (on: boolean, text: string) => paint(on, 33, text);

function table(head: string[], color: boolean): Table.Table {
  return new Table({ head, style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] } });
}

const yuan = (fen: number): string =>
  `¥${(fen / 100).toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const KINDS_OF: Record<ReconReport['type'], ReconOrderKind[]> = {
  c2c: ['payment', 'transfer', 'refund'],
  b2c: ['transfer', 'return'],
  all: ['payment', 'transfer', 'refund', 'return'],
};

const PACKET_COLUMNS =
  '  final: settled, nothing open; mocked: paid by `redpkt mock payment`, not checked; ' +
  'other lane: packets of the other lane (shadow-marked in the real lane), not checked; ' +
  'paid / transferred / refunded and claims / transfers: the checked packets only';

function packetTable(title: string, c: InvariantTotals, color: boolean): string {
  const t = table(
    [
      title,
      'final',
      'mocked',
      'other lane',
      'paid fen',
      'transferred fen',
      'refunded fen',
      'claims',
      'transfers',
      'violations',
    ],
    color,
  );
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
    ].map(n),
  );
  return `${t.toString()}\n${PACKET_COLUMNS}`;
}

function grantTables(g: GrantReport, color: boolean): string[] {
  const cats = table(['grant category', 'grants', 'fen', 'yuan', 'error?'], color);
  for (const c of GRANT_CATEGORIES) {
    const t = g.totals[c];
    const bad = !CLEAN_GRANT_CATEGORIES.has(c) && t.count > 0;
    cats.push([
      c,
      n(t.count),
      n(t.fen),
      yuan(t.fen),
      CLEAN_GRANT_CATEGORIES.has(c) ? '' : bad ? red(color, 'YES') : 'no',
    ]);
  }
  const inv = table(
    ['campaign', 'issued fen', 'booked fen', 'outstanding fen', 'issued == booked + outstanding'],
    color,
  );
  const row = (name: string, c: GrantReport['total']) =>
    inv.push([
      name,
      n(c.issued.fen),
      n(c.booked.fen),
      n(c.outstanding.fen),
      c.ok ? 'ok' : red(color, 'VIOLATED'),
    ]);
  for (const c of g.campaigns.slice(0, CAMPAIGN_ROWS)) row(c.campaign, c);
  row(`total (${plural(g.campaigns.length, 'campaign')})`, g.total);
  return [cats.toString(), inv.toString()];
}

function categoryTable(r: ReconReport, color: boolean): string {
  const kinds = KINDS_OF[r.type];
  const t = table(['category', 'orders', ...kinds.map((k) => `${k} fen`), 'error?'], color);
  for (const c of CATEGORIES) {
    const total = r.totals[c];
    const bad = !CLEAN_CATEGORIES.has(c) && total.count > 0;
    t.push([
      c === 'shadow' && r.lane === 'shadow' ? 'shadow (real-marked: apart)' : c,
      n(total.count),
      ...kinds.map((k) => n(r.byKind[c]?.[k]?.fen ?? 0)),
      CLEAN_CATEGORIES.has(c) ? '' : bad ? red(color, 'YES') : 'no',
    ]);
  }
  return t.toString();
}

export function renderReport(r: ReconReport, opts: RenderOptions | number = {}): string {
  const { first = 20, color = false } = typeof opts === 'number' ? { first: opts } : opts;
  const lines: string[] = [];
  const hour = r.window.hour === null ? 'day' : `hour ${r.window.hour}`;
  const lane = r.lane === 'shadow' ? ' SHADOW lane' : '';
  lines.push(
    `recon ${r.type}${lane} ${r.window.date} ${hour} (${r.window.tz}): ${r.window.from} .. ${r.window.to}, cut-off ${r.cutoffMs / 60_000} min`,
  );
  if (r.provisional)
    lines.push(
      yellow(color, `PROVISIONAL: the window is not over until ${r.closesAt}; this report can still change`),
    );
  lines.push(categoryTable(r, color));
  if (r.held) {
    const h = r.held;
    lines.push(
      `held at the end of the window (C2C, settled orders): paid ${n(h.paid)} - transferred ${n(h.transferred)} - ` +
        `refunded ${n(h.refunded)} = ${n(h.fen)} fen (${yuan(h.fen)})`,
    );
  }
  if (r.c2c) lines.push(packetTable('C2C packets', r.c2c, color));
  if (r.grants) lines.push(...grantTables(r.grants, color));
  if (r.b2cPackets) lines.push(packetTable('B2C packets', r.b2cPackets, color));
  if (r.b2c) {
    const b = table(['B2C check', 'status', 'left', 'right'], color);
    for (const c of r.b2c) {
      b.push([
        c.name,
        c.status === 'ok' ? 'ok' : red(color, c.status),
        `${c.left.label} ${n(c.left.value)}`,
        `${c.right.label} ${n(c.right.value)}`,
      ]);
    }
    lines.push(b.toString());
    for (const c of r.b2c) if (c.status !== 'ok') lines.push(`  ${c.name}: ${c.note}`);
  }
  if (r.discrepancies.length > 0) {
    const d = table(['category', 'order no', 'kind', 'ours fen', 'theirs fen', 'detail'], color);
    for (const x of r.discrepancies.slice(0, first)) {
      const fen = (v: number | null) => (v === null ? '-' : n(v));
      d.push([x.category, x.orderNo, x.kind, fen(x.ours), fen(x.theirs), x.detail]);
    }
    lines.push(
      `first ${n(Math.min(first, r.discrepancies.length))} of ${plural(r.discrepancyCount, 'discrepancy', 'discrepancies')}:`,
    );
    lines.push(d.toString());
  }
  for (const note of r.notes) lines.push(`note: ${note}`);
  const so = r.provisional ? ' so far' : '';
  lines.push(
    r.clean
      ? green(color, `CLEAN${so}: every fen matches`)
      : red(color, `DISCREPANCIES${so}: ${n(r.discrepancyCount)}`),
  );
  return `${lines.join('\n')}\n`;
}

function result(r: StoredReconReport): string {
  let provisional = false;
  try {
    provisional = (JSON.parse(r.report) as { provisional?: boolean }).provisional === true;
  } catch {
    // an unreadable stored report is shown by its flags alone
  }
  const verdict = r.clean ? 'clean' : 'DISCREPANCIES';
  return provisional ? `provisional (${verdict} so far)` : verdict;
}

export function renderHistory(reports: readonly StoredReconReport[], color = false): string {
  const t = table(['window', 'type', 'lane', 'from', 'to', 'result', 'discrepancies', 'ran at'], color);
  for (const r of reports) {
    t.push([
      r.windowKey,
      r.type,
      r.lane,
      new Date(r.fromMs).toISOString(),
      new Date(r.toMs).toISOString(),
      r.clean ? result(r) : red(color, result(r)),
      n(r.discrepancies),
      new Date(r.ranAt).toISOString(),
    ]);
  }
  return `${t.toString()}\n`;
}
