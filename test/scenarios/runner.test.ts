import { afterEach, describe, expect, it } from 'vitest';
import { abort, defineScenario } from '../../src/scenarios/define-scenario.js';
import type { Scenario } from '../../src/scenarios/define-scenario.js';
import { stepReport } from '../../src/scenarios/aggregate.js';
import { createHttpClient } from '../../src/scenarios/http-client.js';
import type { HttpClient } from '../../src/scenarios/http-client.js';
import { createMetrics } from '../../src/scenarios/metrics.js';
import type { LoadModel } from '../../src/scenarios/runner.js';
import { runScenario } from '../../src/scenarios/runner.js';
import type { StubServer } from './support/stub-server.js';
import { stallOnce, startStubServer } from './support/stub-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  handler: Parameters<typeof startStubServer>[0],
  connections = 64,
): Promise<{ server: StubServer; client: HttpClient }> {
  const server = await startStubServer(handler);
  const client = createHttpClient({ url: server.url, connections, timeoutMs: 10_000 });
  cleanups.push(
    () => server.close(),
    () => client.close(),
  );
  return { server, client };
}

const ping = defineScenario<Record<string, never>>({
  name: 'ping',
  steps: [
    { name: 'ping', run: async ({ http }) => void (await http.request({ method: 'GET', path: '/ping' })) },
  ],
  init: () => ({}),
});

async function run<S>(
  scenario: Scenario<S>,
  client: HttpClient,
  model: LoadModel,
  more: { iterations?: number; durationMs?: number; rampMs?: number } = {},
) {
  const metrics = createMetrics({
    steps: [...scenario.steps.map((s) => s.name), 'flow'],
    startMs: performance.now(),
  });
  const result = await runScenario(scenario, { client, metrics, model, ...more });
  const report = Object.fromEntries(metrics.steps().map((m) => [m.name, stepReport(m, result.durationMs)]));
  return { result, report };
}

describe('the load runner', () => {
  it('open model: a server that stalls 500 ms once shows it in p99 and max (latency from the intended send time)', async () => {
    const stall = stallOnce(60, 500);
    const { client } = await setup(async (_req, _body, n) => {
      await stall(n);
      return { json: { ok: true } };
    });
    const { report, result } = await run(
      ping,
      client,
      { kind: 'open', ratePerSec: 200, maxInFlight: 1000 },
      { iterations: 300 },
    );
    expect(result.iterations).toBe(300);
    expect(result.dropped).toBe(0);
    const l = report.ping!.latencyMs;
    expect(l.max).toBeGreaterThanOrEqual(500);
    // ~100 of 300 arrivals fell inside the stall, the earliest waiting ~500 ms for it.
    expect(l.p99).toBeGreaterThanOrEqual(450);
    expect(l.p90).toBeGreaterThanOrEqual(200);
  });

  it('closed model with one user sees the same stall only once (what coordinated omission hides)', async () => {
    const stall = stallOnce(60, 500);
    const { client } = await setup(async (_req, _body, n) => {
      await stall(n);
      return { json: { ok: true } };
    });
    const { report } = await run(ping, client, { kind: 'closed', concurrency: 1 }, { iterations: 300 });
    const l = report.ping!.latencyMs;
    expect(l.max).toBeGreaterThanOrEqual(500);
    expect(l.p99).toBeLessThan(100);
  });

  it('open model: arrivals that find max-in-flight iterations running are dropped and counted', async () => {
    const { client } = await setup(async () => {
      await new Promise((r) => setTimeout(r, 100));
      return { json: { ok: true } };
    });
    const { report, result } = await run(
      ping,
      client,
      { kind: 'open', ratePerSec: 100, maxInFlight: 2 },
      { iterations: 20 },
    );
    expect(result.dropped).toBeGreaterThan(5);
    expect(result.iterations + result.dropped).toBe(20);
    expect(report.flow!.count).toBe(20);
    expect(report.flow!.errors.DROPPED).toBe(result.dropped);
    expect(report.ping!.count).toBe(result.iterations);
  });

  it('flows ids from step to step, records each step under its name, and marks every request as shadow traffic', async () => {
    let nextId = 0;
    const { client, server } = await setup((req) => {
      if (req.method === 'POST') return { status: 201, json: { id: `item${++nextId}` } };
      const id = req.url?.split('/')[2];
      return id?.startsWith('item')
        ? { json: { id, seen: true } }
        : { status: 404, json: { error: { code: 'NOT_FOUND', message: 'x' } } };
    });
    const fetched: string[] = [];
    const scenario = defineScenario<{ id?: string }>({
      name: 'items',
      steps: [
        {
          name: 'create',
          async run({ http, state }) {
            const r = await http.request({ method: 'POST', path: '/items', body: { a: 1 } });
            if (!r.ok) abort(r.code ?? 'FAILED');
            state.id = (r.body as { id: string }).id;
          },
        },
        {
          name: 'read',
          async run({ http, state }) {
            const r = await http.request({ method: 'GET', path: `/items/${state.id}` });
            fetched.push((r.body as { id: string }).id);
          },
        },
      ],
      init: () => ({}),
    });
    const { report } = await run(scenario, client, { kind: 'closed', concurrency: 4 }, { iterations: 40 });
    expect(report.create).toMatchObject({ count: 40, ok: 40, errors: {} });
    expect(report.read).toMatchObject({ count: 40, ok: 40 });
    expect(report.flow).toMatchObject({ count: 40, ok: 40 });
    expect(new Set(fetched).size).toBe(40);
    expect(server.stats).toEqual({ requests: 80, unshadowed: 0 });
  });

  it('an aborting step skips the rest of its iteration and fails the flow with its code; error codes come from the body', async () => {
    const { client } = await setup((_req, _body, n) =>
      n % 2 === 0
        ? { status: 409, json: { error: { code: 'PACKET_EXHAUSTED', message: 'gone' } } }
        : { status: 502, json: 'bad gateway' },
    );
    let second = 0;
    const scenario = defineScenario<object>({
      name: 'fails',
      steps: [
        {
          name: 'first',
          async run({ http }) {
            const r = await http.request({ method: 'GET', path: '/' });
            if (!r.ok) abort(r.code ?? 'FAILED');
          },
        },
        { name: 'second', run: async () => void second++ },
      ],
      init: () => ({}),
    });
    const { report } = await run(scenario, client, { kind: 'closed', concurrency: 1 }, { iterations: 10 });
    expect(report.first).toMatchObject({ count: 10, ok: 0, errors: { PACKET_EXHAUSTED: 5, HTTP_502: 5 } });
    expect(report.flow).toMatchObject({ count: 10, ok: 0, errors: { PACKET_EXHAUSTED: 5, HTTP_502: 5 } });
    expect(second).toBe(0);
    expect(report.second?.count ?? 0).toBe(0);
  });

  it('counts a refused connection as a transport error, not a crash', async () => {
    const client = createHttpClient({ url: 'http://127.0.0.1:9', connections: 1, timeoutMs: 2000 });
    cleanups.push(() => client.close());
    const { report } = await run(ping, client, { kind: 'closed', concurrency: 1 }, { iterations: 3 });
    expect(report.ping).toMatchObject({ count: 3, ok: 0, errors: { ECONNREFUSED: 3 } });
  });

  it('stops starting iterations when the duration is up, and ramps the closed model up', async () => {
    const { client } = await setup(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return { json: {} };
    });
    const t = performance.now();
    const { result } = await run(
      ping,
      client,
      { kind: 'closed', concurrency: 4 },
      { durationMs: 300, rampMs: 200 },
    );
    const took = performance.now() - t;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1000);
    expect(result.iterations).toBeGreaterThan(10);
  });

  it('rethrows a bug in a step (not an abort) after the running iterations finish', async () => {
    const { client } = await setup(() => ({ json: {} }));
    const scenario = defineScenario<object>({
      name: 'buggy',
      steps: [
        {
          name: 'boom',
          run: async () => {
            throw new TypeError('bug');
          },
        },
      ],
      init: () => ({}),
    });
    await expect(
      run(scenario, client, { kind: 'closed', concurrency: 2 }, { iterations: 5 }),
    ).rejects.toThrow('bug');
  });
});
