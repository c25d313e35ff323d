/**
 * `npm run bench:dashboard`: does watching a run slow the generator? The runner drives a trivial
 * keep-alive endpoint (a child process) in alternating rounds, in one run: bare (the runner
 * alone), watched (what every `redpkt load` does without --dashboard: the counting client and
 * the 250 ms sampler), dashboard (`--dashboard` and a viewer connected: a child process reading
 * the SSE stream, so the page is rendered and pushed every second), and large (the same, with
 * run's metrics and sampler holding a 10-minute history first, so each push renders a large
 * run's charts). On a machine shared with other work the rate swings between rounds by far more than
 * 5%, so the figures are paired: each round runs every mode back to back (the order turned
 * round every other round), the ratio is taken within the round, and the median of the rounds'
 * ratios is the result; also the generator's own CPU per request (process.cpuUsage, the endpoint
 * being another process), the load average, and the cost of one push at a large run's size,
 * timed alone. Goal: dashboard and large >= 0.95x watched.
 * Flags: --connections N (10), --seconds S per round (4), --rounds R (15).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Sample } from '../src/scenarios/dashboard/run-sampler.js';
import { startRunWatch } from '../src/scenarios/dashboard/run-watch.js';
import { createHttpClient } from '../src/scenarios/http-client.js';
import { createMetrics, type Metrics } from '../src/scenarios/metrics.js';
import { runScenario } from '../src/scenarios/runner.js';
import { procCpuMs } from './cpu-account.js';
import { median, startServer, trivial } from './trivial-server.js';

/** A dashboard viewer: reads the SSE stream to its end, counting the updates it got. */
const VIEWER = `
fetch(process.argv[1]).then(async (r) => {
  console.log('connected');
  let n = 0;
  for await (const chunk of r.body) n += (Buffer.from(chunk).toString().match(/event: update/g) || []).length;
  console.log(n);
}).catch(() => console.log(-1));
`;

type Mode = 'bare' | 'watched' | 'dashboard' | 'large';
const MODES: Mode[] = ['bare', 'watched', 'dashboard', 'large'];

const HISTORY_MS = 600_000;

/** A 10-minute run's sampler history (2,400 samples of 250 ms; counters at 0: the cost is in the points). */
const historySamples = (): Sample[] =>
  Array.from({ length: 2400 }, (_, i) => ({
    t: i * 250,
    sent: 0,
    received: 0,
    started: 0,
    finished: 0,
    steps: { get: { count: 0, ok: 0, errors: {} }, flow: { count: 0, ok: 0, errors: {} } },
    lagP99Ms: 10,
    cpuPct: 50,
  }));

/** A 10-minute run's measurements so far: two steps, a request every 5 ms, some failures. */
function fillHistory(metrics: Metrics, startMs: number): void {
  for (let t = 0; t < HISTORY_MS; t += 5) {
    const latency = 1 + ((t * 7919) % 997) / 50;
    metrics.record('get', latency, t % 1000 === 0 ? 'HTTP_503' : undefined, startMs + t);
    if (t % 50 === 0) metrics.record('flow', latency * 2, undefined, startMs + t);
  }
}

async function round(mode: Mode, url: string, connections: number, seconds: number, endpointPid: number) {
  const raw = createHttpClient({ url, connections, timeoutMs: 10_000 });
  // the large run's history lies before this round: its clock started 10 minutes ago
  const startMs = performance.now() - (mode === 'large' ? HISTORY_MS : 0);
  const metrics = createMetrics({ steps: ['get', 'flow'], startMs, bucketMs: 250 });
  if (mode === 'large') fillHistory(metrics, startMs);
  const before = metrics.step('get').count;
  const model = { kind: 'closed' as const, concurrency: connections };
  const watch =
    mode === 'bare'
      ? undefined
      : await startRunWatch({
          client: raw,
          metrics,
          plan: { model, rampMs: 0, durationMs: seconds * 1000 },
          scenario: 'trivial',
          config: {},
          thresholds: [],
          meta: { argv: [], target: url, seed: 'bench' },
          dashboard: mode === 'dashboard' || mode === 'large' ? { port: 0 } : undefined,
          ...(mode === 'large' ? { history: historySamples() } : {}),
        });
  let viewer: ChildProcess | undefined;
  let updates: Promise<number> | undefined;
  if (watch?.url) {
    viewer = spawn(process.execPath, ['-e', VIEWER, `${watch.url}events`], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: viewer.stdout! })[Symbol.asyncIterator]();
    // the run starts once the viewer is connected, as a team's browser would be
    if ((await lines.next()).value !== 'connected') throw new Error('the viewer did not connect');
    updates = lines.next().then((r) => Number(r.value));
  }
  // every mode starts from a settled process: the large mode's history was just built in a few
  // hundred ms (a real run builds it over 10 minutes), and its garbage must not land in the round
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 500));
  const cpu = process.cpuUsage();
  const endpointBefore = procCpuMs(endpointPid) ?? 0;
  const viewerBefore = viewer?.pid ? (procCpuMs(viewer.pid) ?? 0) : 0;
  try {
    const run = await runScenario(trivial, {
      client: watch?.client ?? raw,
      metrics,
      model,
      durationMs: seconds * 1000,
      ...(watch ? { live: watch.live } : {}),
    });
    const used = process.cpuUsage(cpu);
    const endpointMs = (procCpuMs(endpointPid) ?? 0) - endpointBefore;
    const viewerMs = viewer?.pid ? (procCpuMs(viewer.pid) ?? 0) - viewerBefore : 0;
    const requests = metrics.step('get').count - before;
    if (watch)
      await watch.finish({
        scenario: 'trivial',
        config: {},
        startedAt: '',
        durationMs: run.durationMs,
        steps: [],
        money: { packets: 0, checked: 0, mismatches: [] },
        thresholds: [],
        generator: { cpuPct: 0, eventLoopP99Ms: 0 },
      });
    return {
      rps: requests / (run.durationMs / 1000),
      cpuUsPerRequest: (used.user + used.system) / Math.max(1, requests),
      // the endpoint's and the viewer's CPU over the round, per second of it (/proc: 10 ms ticks)
      endpointPct: endpointMs / (run.durationMs / 100),
      viewerPct: viewerMs / (run.durationMs / 100),
      updates: updates ? await updates : 0,
    };
  } finally {
    viewer?.kill();
    await raw.close();
  }
}

/** One push at a large run's size, timed alone: the report as it stands, its charts, the page. */
async function pushCostMs(): Promise<number> {
  const startMs = performance.now() - HISTORY_MS;
  const metrics = createMetrics({ steps: ['get', 'flow'], startMs, bucketMs: 250 });
  fillHistory(metrics, startMs);
  const raw = createHttpClient({ url: 'http://127.0.0.1:9', connections: 1, timeoutMs: 1000 });
  const watch = await startRunWatch({
    client: raw,
    metrics,
    plan: { model: { kind: 'closed', concurrency: 10 }, rampMs: 0 },
    scenario: 'trivial',
    config: {},
    thresholds: [],
    meta: { argv: [], target: 'bench', seed: 'bench' },
    dashboard: { port: 0 },
    history: historySamples(),
  });
  try {
    // the page as a viewer gets it: the report as it stands, its charts, the HTML (a little fetch overhead included)
    const page = async () => (await fetch(watch.url!)).text();
    await page(); // warm
    const n = 20;
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) await page();
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000 / n;
  } finally {
    await watch.close();
    await raw.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '15' },
    },
  });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const server = await startServer();
  const rates: Record<Mode, number[]> = { bare: [], watched: [], dashboard: [], large: [] };
  const cpus: Record<Mode, number[]> = { bare: [], watched: [], dashboard: [], large: [] };
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  try {
    for (const m of MODES) await round(m, server.url, connections, 1, server.pid); // warm up
    const lines = [
      `trivial endpoint, ${connections} connections, ${rounds} alternating rounds of ${seconds} s per mode; ${new Date().toISOString()}, load average ${load()}`,
    ];
    for (let i = 0; i < rounds; i++) {
      const parts: string[] = [];
      for (const m of i % 2 ? [...MODES].reverse() : MODES) {
        const r = await round(m, server.url, connections, seconds, server.pid);
        rates[m].push(r.rps);
        cpus[m].push(r.cpuUsPerRequest);
        parts.push(
          `${m} ${r.rps.toFixed(0)} req/s ${r.cpuUsPerRequest.toFixed(1)} µs CPU/req, endpoint ${r.endpointPct.toFixed(0)}%${r.updates ? `, viewer ${r.viewerPct.toFixed(1)}% (${r.updates} SSE updates)` : ''}`,
        );
      }
      lines.push(`round ${i + 1}: ${parts.join(' | ')}`);
    }
    // within each round, then the median over the rounds
    const paired = (of: Record<Mode, number[]>, a: Mode, b: Mode) =>
      median(of[a].map((v, k) => v / (of[b][k] ?? Number.NaN)));
    const verdict = (x: number) => `${x.toFixed(3)}x (${x >= 0.95 ? 'within 5%' : 'NOT within 5%'})`;
    const med = (m: Mode) => median(rates[m]).toFixed(0);
    const cpuMed = (m: Mode) => median(cpus[m]).toFixed(1);
    const push = await pushCostMs();
    lines.push(
      `median rate: bare ${med('bare')}, watched ${med('watched')}, dashboard ${med('dashboard')}, large ${med('large')} req/s`,
      `median CPU per request: bare ${cpuMed('bare')}, watched ${cpuMed('watched')}, dashboard ${cpuMed('dashboard')}, large ${cpuMed('large')} µs`,
      `rate, median of the rounds' ratios: dashboard/watched ${verdict(paired(rates, 'dashboard', 'watched'))}; large/watched ${verdict(paired(rates, 'large', 'watched'))}; watched/bare ${paired(rates, 'watched', 'bare').toFixed(3)}x`,
      `CPU per request, median of the rounds' ratios: dashboard/watched ${paired(cpus, 'dashboard', 'watched').toFixed(3)}x; large/watched ${paired(cpus, 'large', 'watched').toFixed(3)}x; watched/bare ${paired(cpus, 'watched', 'bare').toFixed(3)}x`,
      `one push at a 10-minute run's size, timed alone: ${push.toFixed(1)} ms CPU (once a second: ${(push / 10).toFixed(1)}% of a core)`,
      `load average at the end ${load()}`,
      '',
    );
    process.stdout.write(lines.join('\n'));
    return 0;
  } finally {
    server.stop();
  }
}

process.exitCode = await main();
