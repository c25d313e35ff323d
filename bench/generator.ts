/**
 * `npm run bench:generator`: can our load generator push as many requests as autocannon?
 * Both hit the same trivial endpoint (a keep-alive HTTP server in a child process) with the same
 * number of connections for the same time, in one run, in alternating rounds (so a noisy
 * neighbour hurts both alike). Printed: the median request rate of each and their ratio
 * (goal >= 1.0x, issue 25), and the generator's own CPU time per request, which is steadier than the
 * rate on a busy machine (goal >= 1.0x; the server's CPU is not counted: it runs in another process).
 * Also the endpoint's CPU per request under each: when the endpoint is the bottleneck (it is, at
 * these rates), the rate says how cheaply it takes each generator's traffic.
 * The generator's client for http targets is our own on `net.Socket` (src/scenarios/h1/); also
 * measured, for scale: the same runner on its undici client (what https targets use, and what
 * http ones used before) and a bare undici dispatch loop (the floor of any undici-based runner).
 * Flags: --connections N (10), --seconds S per round (3), --rounds R (5).
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'undici';
import { createHttpClient } from '../src/scenarios/http-client.js';
import { createMetrics } from '../src/scenarios/metrics.js';
import { runScenario } from '../src/scenarios/runner.js';
import { procCpuMs } from './cpu-account.js';
import { median, startServer, trivial } from './trivial-server.js';

interface Sample {
  rps: number;
  cpuUsPerRequest: number;
  /** The endpoint's CPU µs per request it answered meanwhile (how cheaply it took this traffic). */
  endpointUsPerRequest: number | null;
  errors: number;
}

/**
 * Runs `fn` (which returns how many requests it made) and measures this process's CPU, and the
 * endpoint's (`endpointPid`, from /proc).
 */
async function measured(
  endpointPid: number,
  fn: () => Promise<{ requests: number; seconds: number; errors: number }>,
): Promise<Sample> {
  const cpu = process.cpuUsage();
  const endpointBefore = procCpuMs(endpointPid);
  const r = await fn();
  const used = process.cpuUsage(cpu);
  const endpointAfter = procCpuMs(endpointPid);
  const requests = Math.max(1, r.requests);
  return {
    rps: r.requests / r.seconds,
    cpuUsPerRequest: (used.user + used.system) / requests,
    endpointUsPerRequest:
      endpointBefore === null || endpointAfter === null
        ? null
        : ((endpointAfter - endpointBefore) * 1000) / requests,
    errors: r.errors,
  };
}

async function ours(url: string, connections: number, seconds: number, engine?: 'undici') {
  const client = createHttpClient({ url, connections, timeoutMs: 10_000, engine });
  const metrics = createMetrics({ steps: ['get', 'flow'], startMs: performance.now() });
  try {
    const run = await runScenario(trivial, {
      client,
      metrics,
      model: { kind: 'closed', concurrency: connections },
      durationMs: seconds * 1000,
    });
    const get = metrics.step('get');
    return { requests: get.count, seconds: run.durationMs / 1000, errors: get.count - get.ok };
  } finally {
    await client.close();
  }
}

/**
 * The floor of any undici-based generator: one undici `Client` per connection, each driven by
 * one closed loop of `dispatch` with a handler that does nothing (no metrics, no body kept). Not
 * a contestant: it shows how much of the gap to autocannon is undici's own request path and how
 * much is our runner.
 */
async function bareUndici(url: string, connections: number, seconds: number) {
  const clients = Array.from({ length: connections }, () => new Client(url, { pipelining: 1 }));
  const headers = { 'x-redpkt-shadow': '1' };
  let requests = 0;
  let errors = 0;
  const one = (client: Client) =>
    new Promise<void>((resolve) => {
      client.dispatch(
        { path: '/', method: 'GET', headers },
        {
          onConnect() {},
          onHeaders: () => true,
          onData: () => true,
          onComplete: () => resolve(),
          onError() {
            errors++;
            resolve();
          },
        },
      );
    });
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        await one(client);
        requests++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  return { requests, seconds: elapsed, errors };
}

async function theirs(url: string, connections: number, seconds: number) {
  const r = await autocannon({ url, connections, duration: seconds, headers: { 'x-redpkt-shadow': '1' } });
  return { requests: r.requests.total, seconds: r.duration, errors: r.errors + r.non2xx };
}

const row = (name: string, x: Sample) =>
  `${name} ${x.rps.toFixed(0).padStart(6)} req/s ${x.cpuUsPerRequest.toFixed(1).padStart(5)} µs CPU/req` +
  ` (endpoint ${x.endpointUsPerRequest?.toFixed(1) ?? '?'})${x.errors ? ` ${x.errors} errors` : ''}`;
const endpointMedian = (xs: readonly Sample[]) =>
  xs.every((x) => x.endpointUsPerRequest !== null)
    ? median(xs.map((x) => x.endpointUsPerRequest!)).toFixed(1)
    : '?';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const connections = Number(values.connections);
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const server = await startServer();
  try {
    // Warm both clients and the server's JIT before measuring.
    await theirs(server.url, connections, 1);
    await ours(server.url, connections, 1);
    await ours(server.url, connections, 1, 'undici');
    await bareUndici(server.url, connections, 1);
    const a: Sample[] = [];
    const b: Sample[] = [];
    const r: Sample[] = [];
    const u: Sample[] = [];
    const lines = [
      `trivial endpoint, ${connections} connections, ${rounds} alternating rounds of ${seconds} s`,
    ];
    for (let i = 0; i < rounds; i++) {
      a.push(await measured(server.pid, () => theirs(server.url, connections, seconds)));
      b.push(await measured(server.pid, () => ours(server.url, connections, seconds)));
      r.push(await measured(server.pid, () => ours(server.url, connections, seconds, 'undici')));
      u.push(await measured(server.pid, () => bareUndici(server.url, connections, seconds)));
      lines.push(
        `round ${i + 1}: ${row('autocannon', a[i]!)} | ${row('redpkt', b[i]!)} | ${row('redpkt on undici', r[i]!)} | ${row('bare undici', u[i]!)}`,
      );
    }
    const rate = median(b.map((x) => x.rps)) / median(a.map((x) => x.rps));
    const cpu = median(a.map((x) => x.cpuUsPerRequest)) / median(b.map((x) => x.cpuUsPerRequest));
    lines.push(
      `median rate: autocannon ${median(a.map((x) => x.rps)).toFixed(0)} req/s, redpkt ${median(b.map((x) => x.rps)).toFixed(0)} req/s`,
      `ratio redpkt/autocannon: ${rate.toFixed(2)}x by rate (goal >= 1.0x: ${rate >= 1 ? 'met' : 'NOT met'}), ${cpu.toFixed(2)}x by CPU per request (goal >= 1.0x: ${cpu >= 1 ? 'met' : 'NOT met'})`,
      `median endpoint CPU µs/request: under autocannon ${endpointMedian(a)}, redpkt ${endpointMedian(b)}, redpkt on undici ${endpointMedian(r)}, bare undici ${endpointMedian(u)}`,
      `median CPU µs/request: autocannon ${median(a.map((x) => x.cpuUsPerRequest)).toFixed(1)}, redpkt ${median(b.map((x) => x.cpuUsPerRequest)).toFixed(1)}, redpkt on undici ${median(r.map((x) => x.cpuUsPerRequest)).toFixed(1)}, bare undici ${median(u.map((x) => x.cpuUsPerRequest)).toFixed(1)}`,
      `for scale: redpkt on its undici client (https targets) ${(median(r.map((x) => x.rps)) / median(a.map((x) => x.rps))).toFixed(2)}x autocannon by rate, ${(median(a.map((x) => x.cpuUsPerRequest)) / median(r.map((x) => x.cpuUsPerRequest))).toFixed(2)}x by CPU; bare undici Clients' dispatch (no runner, no metrics) ${(median(u.map((x) => x.rps)) / median(a.map((x) => x.rps))).toFixed(2)}x by rate, ${(median(a.map((x) => x.cpuUsPerRequest)) / median(u.map((x) => x.cpuUsPerRequest))).toFixed(2)}x by CPU`,
      '',
    );
    process.stdout.write(lines.join('\n'));
    return 0;
  } finally {
    server.stop();
  }
}

process.exitCode = await main();
