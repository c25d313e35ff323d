/**
 * `npm run bench:dashboard`: does watching a run slow the generator? The runner drives a trivial
 * keep-alive endpoint (a child process) in alternating rounds, in one run: bare (the runner
 * alone), watched (what every `redpkt load` now does: the counting client and the 250 ms
 * sampler), and with `--dashboard` and a viewer connected (a child process reading the SSE
 * stream, so the page is rendered and pushed every second). Printed: the median request rate of
 * each and the ratios to bare (goal: the dashboard within 5% of watched, i.e. >= 0.95x).
 * Flags: --connections N (10), --seconds S per round (4), --rounds R (5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startRunWatch } from '../src/scenarios/dashboard/run-watch.js';
import { createHttpClient } from '../src/scenarios/http-client.js';
import { createMetrics } from '../src/scenarios/metrics.js';
import { runScenario } from '../src/scenarios/runner.js';
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

type Mode = 'bare' | 'watched' | 'dashboard';

async function round(mode: Mode, url: string, connections: number, seconds: number) {
  const raw = createHttpClient({ url, connections, timeoutMs: 10_000 });
  const metrics = createMetrics({ steps: ['get', 'flow'], startMs: performance.now(), bucketMs: 250 });
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
          dashboard: mode === 'dashboard' ? { port: 0 } : undefined,
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
  const cpu = process.cpuUsage();
  try {
    const run = await runScenario(trivial, {
      client: watch?.client ?? raw,
      metrics,
      model,
      durationMs: seconds * 1000,
      ...(watch ? { live: watch.live } : {}),
    });
    const used = process.cpuUsage(cpu);
    const get = metrics.step('get');
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
      rps: get.count / (run.durationMs / 1000),
      cpuUsPerRequest: (used.user + used.system) / Math.max(1, get.count),
      updates: updates ? await updates : 0,
    };
  } finally {
    viewer?.kill();
    await raw.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const server = await startServer();
  const modes: Mode[] = ['bare', 'watched', 'dashboard'];
  const rates: Record<Mode, number[]> = { bare: [], watched: [], dashboard: [] };
  const cpus: Record<Mode, number[]> = { bare: [], watched: [], dashboard: [] };
  try {
    for (const m of modes) await round(m, server.url, connections, 1); // warm up
    const lines = [
      `trivial endpoint, ${connections} connections, ${rounds} alternating rounds of ${seconds} s`,
    ];
    for (let i = 0; i < rounds; i++) {
      const parts: string[] = [];
      for (const m of i % 2 ? [...modes].reverse() : modes) {
        const r = await round(m, server.url, connections, seconds);
        rates[m].push(r.rps);
        cpus[m].push(r.cpuUsPerRequest);
        parts.push(
          `${m} ${r.rps.toFixed(0)} req/s ${r.cpuUsPerRequest.toFixed(1)} µs CPU/req${m === 'dashboard' ? ` (${r.updates} SSE updates seen)` : ''}`,
        );
      }
      lines.push(`round ${i + 1}: ${parts.join(' | ')}`);
    }
    const med = (m: Mode) => median(rates[m]);
    const ratio = med('dashboard') / med('watched');
    lines.push(
      `median rate: bare ${med('bare').toFixed(0)}, watched ${med('watched').toFixed(0)}, dashboard ${med('dashboard').toFixed(0)} req/s`,
      `dashboard/watched ${ratio.toFixed(3)}x (goal >= 0.95x: ${ratio >= 0.95 ? 'met' : 'NOT met'}); watched/bare ${(med('watched') / med('bare')).toFixed(3)}x; CPU per request dashboard/watched ${(median(cpus.dashboard) / median(cpus.watched)).toFixed(3)}x`,
      '',
    );
    process.stdout.write(lines.join('\n'));
    return 0;
  } finally {
    server.stop();
  }
}

process.exitCode = await main();
