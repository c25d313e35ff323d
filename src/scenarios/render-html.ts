/**
 * The load report a team circulates (`--html`), and the live dashboard's page (the same body,
 * re-rendered every second): one self-contained file, no fonts, stylesheets, scripts or images
 * from anywhere else (the live page's only script is its own inline SSE listener). What it
 * shows is in the JSON report too (`charts`, `meta`, `errorSamples`), so runs compare by script.
 */
import {
  chartsSection,
  distributionSection,
  errorsSection,
  generatorsSection,
  metaSection,
  moneySection,
  stepsTable,
  thresholdList,
  tiles,
  verdictOf,
} from './dashboard/report-sections.js';
import { esc } from './dashboard/svg-chart.js';
import type { LoadReport, LoadTimeline } from './report.js';

export interface RenderOptions {
  /** The run is still going (the live dashboard): no verdict, no money check yet. */
  running?: boolean;
  /** The live page: listen for updates at this path (server-sent events). */
  eventsPath?: string;
}

/** The page's body content, which the live dashboard swaps in on each update. */
export function renderReportBody(report: LoadReport, opts: RenderOptions = {}): string {
  const running = opts.running ?? false;
  return [
    `<header><h1>redpkt load ${esc(report.scenario)}</h1><p>${esc(report.meta?.target ?? String(report.config['target'] ?? ''))} · started ${esc(report.startedAt)} · <span id="state">${running ? 'running' : 'finished'}</span></p></header>`,
    tiles(report, running),
    thresholdList(report, running),
    chartsSection(report.charts, report),
    stepsTable(report),
    generatorsSection(report),
    errorsSection(report),
    distributionSection(report.charts),
    moneySection(report, running),
    metaSection(report),
  ].join('\n');
}

/** `_timeline` is the old signature's: the charts come from `report.charts` now. */
export function renderHtml(report: LoadReport, _timeline?: LoadTimeline, opts: RenderOptions = {}): string {
  const running = opts.running ?? false;
  const live = opts.eventsPath ? `<script>${liveScript(opts.eventsPath)}</script>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>redpkt load ${esc(report.scenario)} · ${verdictOf(report, running)}</title>
${opts.eventsPath ? '<link rel="icon" href="data:,">' : ''}
<style>${STYLE}</style></head><body data-state="${running ? 'running' : 'finished'}">
<main id="report">
${renderReportBody(report, opts)}
</main>
${live}
</body></html>
`;
}

/** The live page's listener: swaps the body on each `update`, stops at the final one. */
function liveScript(path: string): string {
  return `(() => {
  const es = new EventSource(${JSON.stringify(path)});
  es.addEventListener('update', (e) => {
    const d = JSON.parse(e.data);
    document.getElementById('report').innerHTML = d.html;
    document.title = d.title;
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
    if (d.final) { document.body.dataset.state = 'finished'; es.close(); }
  });
  es.onerror = () => { if (document.body.dataset.state !== 'finished') document.body.dataset.state = 'reconnecting'; };
})();`;
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#f6f7f9}
main{max-width:1600px;margin:0 auto;padding:1.2em 2em}
h1{margin:.2em 0}h2{font-size:1.1em;margin:1.4em 0 .5em}
header p{color:#555;margin:0}
section{background:#fff;border:1px solid #e3e5e8;border-radius:6px;padding:.6em 1em;margin:.8em 0}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6em;background:none;border:0;padding:0}
.tile{background:#fff;border:1px solid #e3e5e8;border-radius:6px;padding:.6em .8em}
.tile .label{color:#666;font-size:.85em}.tile .value{font-size:1.5em;font-weight:600}
.tile.ok{border-color:#1a7f37}.tile.ok .value{color:#1a7f37}.tile.bad{border-color:#c62828}.tile.bad .value{color:#c62828}
.tile.warn .value{color:#b26a00}.tile.run .value{color:#1565c0}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:.8em}
figure.chart{margin:0}figure.chart svg{width:100%;height:220px;display:block;background:#fcfcfd;border:1px solid #eee}
figcaption{font-weight:600;margin:.2em 0}.legend span{margin-right:1.2em;font-size:.9em}
.legend i{display:inline-block;width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em;border-radius:2px}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.msg{max-width:40em}.meta th{background:#f4f5f7}
.ok{color:#1a7f37}.bad{color:#c62828;font-weight:bold}.warn{color:#b26a00}
ul.thresholds{margin:.2em 0;padding-left:1.2em}
`;
