/**
 * The sections of the load report page (the --html file and the live dashboard render the same):
 * summary tiles with the verdict, thresholds, the charts on one shared time axis, the steps
 * table, latency distributions and percentile ranges, the errors table, money and metadata.
 */
import type { LoadReport, StepReport } from '../report.js';
import { FLOW_STEP } from '../define-scenario.js';
import type { RunCharts } from './run-charts.js';
import { barChart, esc, fmt, timeChart, type Series } from './svg-chart.js';

export type Verdict = 'PASS' | 'FAIL' | 'MONEY MISMATCH' | 'RUNNING';

export function verdictOf(report: LoadReport, running: boolean): Verdict {
  if (report.money.mismatches.length > 0) return 'MONEY MISMATCH';
  if (running) return 'RUNNING';
  return report.thresholds.some((t) => !t.ok) ? 'FAIL' : 'PASS';
}

const COLORS = ['#1565c0', '#ef6c00', '#2e7d32', '#6a1b9a', '#c62828', '#00838f', '#8d6e63', '#546e7a'];
const color = (i: number) => COLORS[i % COLORS.length]!;

/** The step whose latency the tiles show: the claim when there is one. */
function headlineStep(steps: readonly StepReport[]): StepReport | undefined {
  return steps.find((s) => s.name === 'claim') ?? steps.find((s) => s.name !== FLOW_STEP);
}

export function tiles(report: LoadReport, running: boolean): string {
  const requests = report.steps.filter((s) => s.name !== FLOW_STEP);
  const count = requests.reduce((n, s) => n + s.count, 0);
  const failed = requests.reduce((n, s) => n + s.count - s.ok, 0);
  const seconds = report.durationMs / 1000;
  const head = headlineStep(report.steps);
  const flow = report.steps.find((s) => s.name === FLOW_STEP);
  const dropped = flow?.errors['DROPPED'] ?? 0;
  const verdict = verdictOf(report, running);
  const money = running
    ? 'at the end'
    : report.money.mismatches.length === 0
      ? `ok (${fmt(report.money.checked)}/${fmt(report.money.packets)})`
      : `${report.money.mismatches.length} mismatch(es)`;
  const tile = (id: string, label: string, value: string, cls = '') =>
    `<div class="tile ${cls}" id="tile-${id}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div></div>`;
  const cls = verdict === 'PASS' ? 'ok' : verdict === 'RUNNING' ? 'run' : 'bad';
  return `<section class="tiles">${[
    tile('verdict', 'verdict', verdict, cls),
    tile('requests', 'requests', fmt(count)),
    tile(
      'failures',
      'failures',
      count === 0 ? '0%' : `${fmt((failed * 100) / count)}%`,
      failed > 0 ? 'warn' : '',
    ),
    tile('throughput', 'throughput', `${fmt(seconds > 0 ? count / seconds : 0)} req/s`),
    tile('p99', `${head?.name ?? 'request'} p99`, `${fmt(head?.latencyMs.p99 ?? 0)} ms`),
    tile('iterations', 'iterations', fmt((flow?.count ?? 0) - dropped)),
    ...(dropped > 0 || report.config['model'] === 'open'
      ? [tile('dropped', 'dropped arrivals', fmt(dropped), dropped > 0 ? 'warn' : '')]
      : []),
    tile('money', 'money check', money, running ? '' : report.money.mismatches.length === 0 ? 'ok' : 'bad'),
    tile('elapsed', running ? 'elapsed' : 'duration', `${fmt(seconds)} s`),
  ].join('')}</section>`;
}

export function thresholdList(report: LoadReport, running: boolean): string {
  if (report.thresholds.length === 0) return '';
  const items = report.thresholds
    .map(
      (t) =>
        `<li class="${t.ok ? 'ok' : running ? 'warn' : 'bad'}">${t.ok ? 'pass' : running ? 'failing' : 'FAIL'}: <code>${esc(t.expr)}</code> (actual ${t.actual === null ? 'no data' : fmt(t.actual)})</li>`,
    )
    .join('');
  return `<section><h2>Thresholds${running ? ' (as they stand)' : ''}</h2><ul class="thresholds">${items}</ul></section>`;
}

export function chartsSection(charts: RunCharts | undefined, report: LoadReport): string {
  if (!charts) return '';
  const d = charts.durationMs;
  const tr = charts.traffic;
  const line = (
    label: string,
    i: number,
    pick: (p: (typeof tr)[number]) => number | null,
    dashed = false,
  ): Series => ({
    label,
    color: color(i),
    points: tr.flatMap((p) => {
      const v = pick(p);
      return v === null ? [] : [[p.t, v] as const];
    }),
    dashed,
  });
  const open = tr.some((p) => p.intended !== null);
  const out = [
    timeChart({
      title: 'Requests sent and responses received per second',
      unit: '/s',
      durationMs: d,
      series: [
        line('requests/s', 0, (p) => p.requestsPerSec),
        line('responses/s', 2, (p) => p.responsesPerSec),
      ],
    }),
    timeChart({
      title: 'In flight',
      unit: '',
      durationMs: d,
      series: [
        line('requests in flight', 0, (p) => p.requestsInFlight),
        line('iterations in flight', 1, (p) => p.iterationsInFlight),
      ],
    }),
    open
      ? timeChart({
          title: 'Arrivals: intended vs achieved (cumulative), and dropped',
          unit: '',
          durationMs: d,
          series: [
            line('intended', 7, (p) => p.intended, true),
            line('achieved (started)', 2, (p) => p.achieved),
            line('dropped', 4, (p) => p.dropped),
          ],
        })
      : '',
    timeChart({
      title: 'Errors by code per second (429s are retried by the claimers)',
      unit: '/s',
      durationMs: d,
      series: charts.errorsByCode.slice(0, 8).map((e, i) => ({
        label: `${e.code} (${fmt(e.total)})`,
        color: color(i + 4),
        points: e.perSec.map((v, k) => [tr[k]?.t ?? 0, v] as const),
      })),
    }),
    timeChart({
      title:
        "The generator's own event-loop lag (p99) and CPU: high lag means the generator, not the server, is the bottleneck",
      unit: '',
      durationMs: d,
      series: [
        line('event-loop lag p99 (ms)', 3, (p) => p.lagP99Ms),
        line('CPU % of one core', 6, (p) => p.cpuPct, true),
      ],
    }),
    ...charts.steps
      .filter((s) => s.points.length > 0)
      .map((s) => {
        const marks = report.thresholds
          .map((t) => /^([a-z][a-z0-9-]*)\.(p50|p90|p99|p999|max)\s*<=?\s*(-?[\d.]+)/.exec(t.expr))
          .filter((m): m is RegExpExecArray => m !== null && m[1] === s.name)
          .map((m) => ({ y: Number(m[3]), label: `threshold ${m[2]} < ${m[3]} ms` }));
        return timeChart({
          title: `${s.name}: latency p50 / p90 / p99 / max (${fmt(s.bucketMs)} ms buckets)`,
          unit: 'ms',
          durationMs: d,
          marks,
          series: [
            { label: 'p50', color: color(0), points: s.points.map((p) => [p.t, p.p50] as const) },
            { label: 'p90', color: color(2), points: s.points.map((p) => [p.t, p.p90] as const) },
            { label: 'p99', color: color(1), points: s.points.map((p) => [p.t, p.p99] as const) },
            {
              label: 'max',
              color: color(4),
              points: s.points.map((p) => [p.t, p.max] as const),
              dashed: true,
            },
          ],
        });
      }),
  ];
  return `<section><h2>Over time (one time axis for every chart)</h2><div class="charts">${out.join('')}</div></section>`;
}

export function stepsTable(report: LoadReport): string {
  // outcomes (answers the scenario expects, e.g. PACKET_EXHAUSTED) apart from errors (issue 17)
  const codes = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([c, n]) => `${esc(c)}&nbsp;${fmt(n)}`)
      .join('<br>') || '-';
  const rows = report.steps
    .map((s) => {
      const l = s.latencyMs;
      return `<tr><td>${esc(s.name)}</td>${[s.count, s.ok].map(num).join('')}<td>${codes(s.outcomes ?? {})}</td><td>${codes(s.errors)}</td>${[s.rps, l.p50, l.p90, l.p99, l.p999, l.max].map(num).join('')}</tr>`;
    })
    .join('');
  return `<section><h2>Steps</h2><table><thead><tr><th>step</th><th>count</th><th>ok</th><th>outcomes</th><th>errors</th><th>req/s</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function distributionSection(charts: RunCharts | undefined): string {
  if (!charts || charts.distribution.length === 0) return '';
  const ps = charts.distribution[0]!.percentiles.map((p) => p.p);
  const table = `<table><thead><tr><th>step</th>${ps.map((p) => `<th>p${p === 0 ? ' min' : p === 100 ? ' max' : p}</th>`).join('')}</tr></thead><tbody>${charts.distribution
    .map((d) => `<tr><td>${esc(d.step)}</td>${d.percentiles.map((p) => num(p.ms)).join('')}</tr>`)
    .join('')}</tbody></table>`;
  const bars = charts.distribution
    .filter((d) => d.step !== FLOW_STEP)
    .map((d) =>
      barChart({
        title: `${d.step}: requests by latency (ms)`,
        unit: '',
        bars: d.bins.map((b) => ({ label: `≤${fmt(b.toMs)}`, value: b.count })),
      }),
    )
    .join('');
  return `<section><h2>Latency distribution and percentile ranges (ms)</h2>${table}<div class="charts">${bars}</div></section>`;
}

export function errorsSection(report: LoadReport): string {
  const byCode = new Map<string, { steps: string[]; count: number }>();
  for (const s of report.steps)
    for (const [code, n] of Object.entries(s.errors)) {
      if (s.name === FLOW_STEP && code !== 'DROPPED') continue;
      const e = byCode.get(code) ?? { steps: [], count: 0 };
      e.steps.push(s.name);
      e.count += n;
      byCode.set(code, e);
    }
  if (byCode.size === 0) return '<section><h2>Errors</h2><p class="ok">none</p></section>';
  const series = new Map((report.charts?.errorsByCode ?? []).map((e) => [e.code, e.perSec]));
  const total = report.steps.filter((s) => s.name !== FLOW_STEP).reduce((n, s) => n + s.count, 0);
  const rows = [...byCode.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([code, e]) => {
      const sample = report.errorSamples?.find((x) => x.code === code);
      return `<tr><td><code>${esc(code)}</code></td>${num(e.count)}${num(total ? (e.count * 100) / total : 0)}<td>${esc(e.steps.join(', '))}</td><td>${sample ? `${sample.status || '-'} ${esc(sample.method)} ${esc(sample.path)}` : '-'}</td><td class="msg">${sample ? esc(sample.message) : '-'}</td><td>${spark(series.get(code) ?? [])}</td></tr>`;
    })
    .join('');
  return `<section><h2>Errors</h2><table class="errors"><thead><tr><th>code</th><th>count</th><th>% of requests</th><th>steps</th><th>example</th><th>message</th><th>per second over the run</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function spark(values: readonly number[]): string {
  if (values.length === 0) return '-';
  const max = Math.max(...values, 1e-9);
  const w = 160;
  const h = 24;
  const pts = values
    .map(
      (v, i) =>
        `${((i * w) / Math.max(1, values.length - 1)).toFixed(1)},${(h - 2 - ((h - 4) * v) / max).toFixed(1)}`,
    )
    .join(' ');
  return `<svg class="spark" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}"><polyline fill="none" stroke="#c62828" stroke-width="1.5" points="${values.length === 1 ? `0,${h / 2} ${w},${h / 2}` : pts}"/><title>max ${fmt(max)}/s</title></svg>`;
}

export function moneySection(report: LoadReport, running: boolean): string {
  const m = report.money;
  if (running) return '<section id="money"><h2>Money check</h2><p>runs at the end of the run</p></section>';
  if (m.mismatches.length === 0)
    return `<section id="money"><h2>Money check</h2><p class="ok">money: ok (${fmt(m.checked)}/${fmt(m.packets)} packets checked)</p></section>`;
  return `<section id="money"><h2>Money check</h2><p class="bad">money: ${m.mismatches.length} mismatch(es)</p><ul>${m.mismatches
    .slice(0, 100)
    .map((x) => `<li>${esc(x.packetId)} ${esc(x.kind)}: ${esc(x.detail)}</li>`)
    .join('')}</ul></section>`;
}

export function metaSection(report: LoadReport): string {
  const meta = report.meta;
  const rows: [string, string][] = meta
    ? [
        ['redpkt', `${meta.redpktVersion ?? '?'}${meta.commit ? ` (${meta.commit})` : ''}`],
        ['host', `${meta.host} (${meta.cpus} CPUs, ${meta.platform}, Node ${meta.node})`],
        ['target', meta.target],
        ['command', `redpkt ${meta.argv.join(' ')}`],
        ['seed', meta.seed],
        ['started', meta.startedAt],
      ]
    : [['started', report.startedAt]];
  rows.push([
    'generator',
    `${fmt(report.generator.cpuPct)}% CPU, event loop p99 ${fmt(report.generator.eventLoopP99Ms)} ms`,
  ]);
  return `<section><h2>Run</h2><table class="meta">${rows
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join(
      '',
    )}</table><details><summary>configuration</summary><pre>${esc(JSON.stringify(report.config, null, 2))}</pre></details></section>`;
}

const num = (n: number) => `<td class="n">${fmt(n)}</td>`;

/** `load merge`: one line per segment's generator (still running, finished, missing). */
export function generatorsSection(report: LoadReport): string {
  const lines = report.generators;
  if (!lines) return '';
  const state = (finished: boolean) =>
    finished ? '<span class="ok">finished</span>' : '<span class="warn">running (checkpoint)</span>';
  const rows = lines
    .map(
      (g) =>
        `<tr><td>${esc(g.segment)}</td><td>${state(g.finished)}</td><td>${esc(g.host)}</td>${[g.iterations, g.requests, g.dropped, g.cpuPct, g.eventLoopP99Ms].map(num).join('')}<td>${g.bottleneck ? '<span class="bad">bottleneck</span>' : '-'}</td></tr>`,
    )
    .concat(
      (report.missingSegments ?? []).map(
        (s) => `<tr><td>${esc(s)}</td><td class="warn">no file yet</td><td colspan="7">-</td></tr>`,
      ),
    )
    .join('');
  return `<section id="generators"><h2>Generators</h2><table><thead><tr><th>segment</th><th>state</th><th>host</th><th>iterations</th><th>requests</th><th>dropped</th><th>CPU %</th><th>event loop p99 ms</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`;
}
