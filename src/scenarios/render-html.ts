import type { LoadReport, LoadTimeline } from './report.js';

/**
 * One self-contained HTML page: the summary tables and, per step, an inline SVG chart of
 * latency over time (p50, p99, max) with the request count behind it. No scripts, fonts,
 * stylesheets or images from anywhere else.
 */
export function renderHtml(report: LoadReport, timeline: LoadTimeline): string {
  const rows = report.steps
    .map((s) => {
      const codes = (counts: Record<string, number>) =>
        Object.entries(counts)
          .map(([c, n]) => `${esc(c)}&nbsp;${n}`)
          .join('<br>') || '-';
      const l = s.latencyMs;
      return `<tr><td>${esc(s.name)}</td>${[s.count, s.ok].map(num).join('')}<td>${codes(s.outcomes ?? {})}</td><td>${codes(s.errors)}</td>${[s.rps, l.p50, l.p90, l.p99, l.p999, l.max].map(num).join('')}</tr>`;
    })
    .join('\n');
  const money = report.money;
  const moneyLine =
    money.mismatches.length === 0
      ? `<p class="ok">money: ok (${money.checked}/${money.packets} packets checked)</p>`
      : `<p class="bad">money: ${money.mismatches.length} mismatch(es)</p><ul>${money.mismatches
          .slice(0, 100)
          .map((m) => `<li>${esc(m.packetId)} ${esc(m.kind)}: ${esc(m.detail)}</li>`)
          .join('')}</ul>`;
  const thresholds = report.thresholds
    .map(
      (t) =>
        `<li class="${t.ok ? 'ok' : 'bad'}">${t.ok ? 'pass' : 'FAIL'}: <code>${esc(t.expr)}</code> (actual ${t.actual ?? 'no data'})</li>`,
    )
    .join('');
  const charts = timeline.steps
    .filter((s) => s.points.length > 0)
    .map((s) => `<h3>${esc(s.name)}</h3>${chart(s.points, timeline.bucketMs)}`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>redpkt load ${esc(report.scenario)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right}
.ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}svg{background:#fafafa;border:1px solid #ddd}
.legend span{margin-right:1em}
</style></head><body>
<h1>redpkt load ${esc(report.scenario)}</h1>
<p>started ${esc(report.startedAt)}, ${(report.durationMs / 1000).toFixed(1)} s; generator ${report.generator.cpuPct}% CPU, event loop p99 ${report.generator.eventLoopP99Ms} ms</p>
<table><thead><tr><th>step</th><th>count</th><th>ok</th><th>outcomes</th><th>errors</th><th>rps</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${moneyLine}
${thresholds ? `<ul>${thresholds}</ul>` : ''}
<h2>Latency over time</h2>
<p class="legend"><span style="color:#1565c0">p50</span><span style="color:#ef6c00">p99</span><span style="color:#c62828">max</span><span style="color:#bbb">requests per ${timeline.bucketMs / 1000} s</span></p>
${charts}
<h2>Configuration</h2><pre>${esc(JSON.stringify(report.config, null, 2))}</pre>
</body></html>
`;
}

const W = 720;
const H = 200;
const PAD = { left: 50, right: 10, top: 10, bottom: 24 };

function chart(
  points: readonly { t: number; count: number; p50: number; p99: number; max: number }[],
  bucketMs: number,
): string {
  const tMax = Math.max(bucketMs, ...points.map((p) => p.t + bucketMs));
  const yMax = niceCeil(Math.max(1, ...points.map((p) => p.max)));
  const cMax = Math.max(1, ...points.map((p) => p.count));
  const x = (t: number) => PAD.left + ((W - PAD.left - PAD.right) * t) / tMax;
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / yMax;
  const bw = Math.max(1, x(bucketMs) - x(0) - 1);
  const bars = points
    .map((p) => {
      const h = ((H - PAD.top - PAD.bottom) * p.count) / cMax;
      return `<rect x="${f(x(p.t))}" y="${f(H - PAD.bottom - h)}" width="${f(bw)}" height="${f(h)}" fill="#e6e6e6"><title>${p.count} requests</title></rect>`;
    })
    .join('');
  const line = (key: 'p50' | 'p99' | 'max', color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.map((p) => `${f(x(p.t + bucketMs / 2))},${f(y(p[key]))}`).join(' ')}"/>`;
  const ticks = [0, yMax / 2, yMax]
    .map((v) => `<text x="${PAD.left - 4}" y="${f(y(v) + 4)}" text-anchor="end" font-size="10">${v}</text>`)
    .join('');
  const axis = `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#999"/><text x="${W - PAD.right}" y="${H - 6}" text-anchor="end" font-size="10">${(tMax / 1000).toFixed(0)} s</text><text x="${PAD.left}" y="${H - 6}" font-size="10">0 s</text><text x="4" y="${PAD.top + 8}" font-size="10">ms</text>`;
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">${bars}${axis}${ticks}${line('p50', '#1565c0')}${line('p99', '#ef6c00')}${line('max', '#c62828')}</svg>`;
}

function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const f = (n: number) => n.toFixed(1);
const num = (n: number) => `<td class="n">${n}</td>`;

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
