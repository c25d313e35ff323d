/**
 * Inline SVG charts for the load report and the live dashboard (one renderer for both, no script,
 * no library): line charts over the run's shared time axis, with their own y scale and ticks, and
 * a bar chart for the latency distribution. Widths are relative (a viewBox, 100% wide), so a chart
 * fills the page.
 */
export interface Series {
  label: string;
  color: string;
  /** [x, y] points; x in ms from the run's start (time charts) or any unit (bars). */
  points: readonly (readonly [number, number])[];
  dashed?: boolean;
}

export interface TimeChartOptions {
  title: string;
  /** The y axis' unit, shown with the ticks: "ms", "/s", "". */
  unit: string;
  /** The shared time axis: 0 .. durationMs. */
  durationMs: number;
  series: readonly Series[];
  /** Horizontal reference lines, e.g. a threshold. */
  marks?: readonly { y: number; label: string }[];
}

const W = 1000;
const H = 220;
const PAD = { left: 64, right: 16, top: 14, bottom: 28 };

export function timeChart(o: TimeChartOptions): string {
  const drawn = o.series.filter((s) => s.points.length > 0);
  const yTop = niceCeil(
    Math.max(1e-9, ...drawn.flatMap((s) => s.points.map((p) => p[1])), ...(o.marks ?? []).map((m) => m.y)),
  );
  const xMax = Math.max(1, o.durationMs);
  const x = (t: number) => PAD.left + ((W - PAD.left - PAD.right) * Math.min(t, xMax)) / xMax;
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / yTop;
  const lines = drawn
    .map((s) => {
      const pts = s.points.map((p) => `${f(x(p[0]))},${f(y(p[1]))}`).join(' ');
      // a single point is drawn as a dot: a line needs two
      if (s.points.length === 1)
        return `<circle cx="${f(x(s.points[0]![0]))}" cy="${f(y(s.points[0]![1]))}" r="3" fill="${s.color}"><title>${esc(s.label)}</title></circle>`;
      return `<polyline class="series" fill="none" stroke="${s.color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''} points="${pts}"><title>${esc(s.label)}</title></polyline>`;
    })
    .join('');
  const marks = (o.marks ?? [])
    .map(
      (m) =>
        `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(m.y))}" y2="${f(y(m.y))}" stroke="#c62828" stroke-dasharray="2 3"/><text x="${W - PAD.right - 2}" y="${f(y(m.y) - 3)}" text-anchor="end" font-size="11" fill="#c62828">${esc(m.label)}</text>`,
    )
    .join('');
  const legend = drawn
    .map((s) => `<span><i style="background:${s.color}"></i>${esc(s.label)}</span>`)
    .join('');
  return `<figure class="chart"><figcaption>${esc(o.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc(o.title)}">${yTicks(yTop, y, o.unit)}${timeTicks(xMax, x)}${marks}${lines}</svg><div class="legend">${legend || '<span>no data yet</span>'}</div></figure>`;
}

export function barChart(o: {
  title: string;
  bars: readonly { label: string; value: number }[];
  unit: string;
}): string {
  const yTop = niceCeil(Math.max(1, ...o.bars.map((b) => b.value)));
  const n = Math.max(1, o.bars.length);
  const bw = (W - PAD.left - PAD.right) / n;
  const y = (v: number) => H - PAD.bottom - ((H - PAD.top - PAD.bottom) * v) / yTop;
  const bars = o.bars
    .map(
      (b, i) =>
        `<rect class="bar" x="${f(PAD.left + i * bw + 1)}" y="${f(y(b.value))}" width="${f(Math.max(1, bw - 2))}" height="${f(y(0) - y(b.value))}" fill="#5c6bc0"><title>${esc(b.label)}: ${fmt(b.value)}</title></rect>` +
        (n <= 24 || i % Math.ceil(n / 12) === 0
          ? `<text x="${f(PAD.left + (i + 0.5) * bw)}" y="${H - 10}" text-anchor="middle" font-size="11">${esc(b.label)}</text>`
          : ''),
    )
    .join('');
  return `<figure class="chart"><figcaption>${esc(o.title)}</figcaption><svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${esc(o.title)}">${yTicks(yTop, y, o.unit)}${bars}</svg></figure>`;
}

function yTicks(top: number, y: (v: number) => number, unit: string): string {
  return [0, 0.25, 0.5, 0.75, 1]
    .map((k) => {
      const v = top * k;
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#eee"/><text x="${PAD.left - 6}" y="${f(y(v) + 4)}" text-anchor="end" font-size="11">${fmt(v)}${unit ? ` ${esc(unit)}` : ''}</text>`;
    })
    .join('');
}

/** Ticks at a round step (sub-second for short runs), the same for every chart of the run. */
function timeTicks(xMax: number, x: (t: number) => number): string {
  const step = tickStep(xMax);
  const out: string[] = [];
  for (let t = 0; t <= xMax + 1e-6; t += step)
    out.push(
      `<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#f2f2f2"/><text x="${f(x(t))}" y="${H - 10}" text-anchor="middle" font-size="11">${timeLabel(t, step)}</text>`,
    );
  return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#999"/>${out.join('')}`;
}

export function tickStep(xMax: number): number {
  const raw = xMax / 8;
  for (const s of [
    100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
    1_800_000, 3_600_000,
  ])
    if (s >= raw) return s;
  return 3_600_000 * Math.ceil(raw / 3_600_000);
}

function timeLabel(t: number, step: number): string {
  if (step < 1000) return `${Number((t / 1000).toFixed(2))} s`;
  if (step < 60_000) return `${Math.round(t / 1000)} s`;
  return `${Math.floor(t / 60_000)}:${String(Math.round((t % 60_000) / 1000)).padStart(2, '0')}`;
}

export function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** A number as people read it: at most 3 significant digits, thousands separated. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a >= 100) return Math.round(n).toLocaleString('en');
  if (a >= 10) return (Math.round(n * 10) / 10).toString();
  if (a >= 1) return (Math.round(n * 100) / 100).toString();
  if (a === 0) return '0';
  return Number(n.toPrecision(2)).toString();
}

const f = (n: number) => n.toFixed(1);

export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
