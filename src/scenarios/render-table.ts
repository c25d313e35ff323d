import Table from 'cli-table3';
import type { LoadReport } from './report.js';
import { ANY_FLOW_CHECK, DEFAULT_FLOW_CHECK } from './thresholds.js';

const DEFAULT_NOTE: Record<string, string> = {
  [DEFAULT_FLOW_CHECK]:
    '(default: no flow failed; a --threshold on flow.errors or flow.error_rate replaces it)',
  [ANY_FLOW_CHECK]: '(always: a run where no flow completed tested nothing)',
};

/** The end-of-run summary for a terminal: one row per step, then money, thresholds, generator. */
export function renderTable(report: LoadReport): string {
  const table = new Table({
    head: [
      'step',
      'count',
      'ok',
      'outcomes',
      'errors',
      'rps',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'p99.9 ms',
      'max ms',
    ],
    colAligns: [
      'left',
      'right',
      'right',
      'left',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
    ],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  const codes = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([code, n]) => `${code} ${n}`)
      .join('\n') || '-';
  for (const s of report.steps) {
    const l = s.latencyMs;
    table.push(
      [
        s.name,
        s.count,
        s.ok,
        codes(s.outcomes),
        codes(s.errors),
        s.rps,
        ...[l.p50, l.p90, l.p99, l.p999, l.max].map(ms),
      ].map(cell),
    );
  }
  const target = typeof report.config.target === 'string' ? ` against ${report.config.target}` : '';
  const segment = report.segment ? ` (segment ${report.segment})` : '';
  const lines = [
    `${report.scenario}${target}${segment}: ${(report.durationMs / 1000).toFixed(1)} s from ${report.startedAt}`,
    table.toString(),
  ];
  for (const s of report.steps)
    for (const [code, text] of Object.entries(s.messages)) lines.push(`${s.name} ${code}: ${text}`);
  if (report.missingSegments?.length)
    lines.push(`segments missing (partial merge): ${report.missingSegments.join(', ')}`);
  const m = report.money;
  lines.push(
    m.mismatches.length === 0
      ? `money: ok (${m.checked}/${m.packets} packets checked)`
      : `money: ${m.mismatches.length} MISMATCH(ES) in ${m.checked}/${m.packets} packets checked`,
  );
  for (const x of m.mismatches.slice(0, 10)) lines.push(`  ${x.packetId} ${x.kind}: ${x.detail}`);
  if (m.mismatches.length > 10) lines.push(`  … ${m.mismatches.length - 10} more in the JSON report`);
  for (const t of report.thresholds)
    lines.push(
      `${t.default ? 'check' : 'threshold'} ${t.ok ? 'pass' : 'FAIL'}: ${t.expr} (actual ${t.actual ?? 'no data'})${t.default ? ` ${DEFAULT_NOTE[t.expr] ?? ''}` : ''}`,
    );
  const g = report.generator;
  if (report.generators) {
    for (const x of report.generators)
      lines.push(
        `generator ${x.segment} on ${x.host}: ${x.cpuPct}% CPU, event loop p99 ${x.eventLoopP99Ms} ms, ${x.requests} requests, ${x.dropped} dropped, started ${x.startLagMs === null ? '?' : `+${x.startLagMs}`} ms after --start-at${x.bottleneck ? ' — BOTTLENECK: its latencies are partly its own' : ''}`,
      );
  } else lines.push(`generator: ${g.cpuPct}% CPU, event loop p99 ${g.eventLoopP99Ms} ms`);
  return `${lines.join('\n')}\n`;
}

const cell = (v: string | number) => (typeof v === 'number' ? String(v) : v);
/** Two decimals under 10 ms, one above: enough to read, the JSON keeps microseconds. */
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(1));
