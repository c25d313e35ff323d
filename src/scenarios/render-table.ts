import Table from 'cli-table3';
import type { LoadReport } from './report.js';

/** The end-of-run summary for a terminal: one row per step, then money, thresholds, generator. */
export function renderTable(report: LoadReport): string {
  const table = new Table({
    head: ['step', 'count', 'ok', 'errors', 'rps', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
    colAligns: ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const s of report.steps) {
    const errors = Object.entries(s.errors)
      .map(([code, n]) => `${code} ${n}`)
      .join('\n');
    const l = s.latencyMs;
    table.push(
      [s.name, s.count, s.ok, errors || '-', s.rps, ...[l.p50, l.p90, l.p99, l.p999, l.max].map(ms)].map(
        cell,
      ),
    );
  }
  const lines = [
    `${report.scenario}: ${(report.durationMs / 1000).toFixed(1)} s from ${report.startedAt}`,
    table.toString(),
  ];
  const m = report.money;
  lines.push(
    m.mismatches.length === 0
      ? `money: ok (${m.checked}/${m.packets} packets checked)`
      : `money: ${m.mismatches.length} MISMATCH(ES) in ${m.checked}/${m.packets} packets checked`,
  );
  for (const x of m.mismatches.slice(0, 10)) lines.push(`  ${x.packetId} ${x.kind}: ${x.detail}`);
  if (m.mismatches.length > 10) lines.push(`  … ${m.mismatches.length - 10} more in the JSON report`);
  for (const t of report.thresholds)
    lines.push(`threshold ${t.ok ? 'pass' : 'FAIL'}: ${t.expr} (actual ${t.actual ?? 'no data'})`);
  const g = report.generator;
  lines.push(`generator: ${g.cpuPct}% CPU, event loop p99 ${g.eventLoopP99Ms} ms`);
  return `${lines.join('\n')}\n`;
}

const cell = (v: string | number) => (typeof v === 'number' ? String(v) : v);
/** Two decimals under 10 ms, one above: enough to read, the JSON keeps microseconds. */
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
