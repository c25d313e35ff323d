/**
 * Everything issue 23 adds to a load run, behind one object (`runLoad` only hooks it in): the
 * watched client, the iteration counters, the sampler, and with `--dashboard` the live server.
 * `finish` gives the final report its `meta`, `charts` and `errorSamples`, and pushes it to the
 * dashboard's viewers.
 */
import { aggregate } from '../aggregate.js';
import type { HttpClient } from '../http-client.js';
import type { Metrics } from '../metrics.js';
import type { LoadReport } from '../report.js';
import type { LiveCounters } from '../runner.js';
import type { Threshold } from '../thresholds.js';
import { startLiveServer, type LiveServer } from './live-server.js';
import { buildRunCharts, type ArrivalPlan, type StepPointCache } from './run-charts.js';
import { runMeta, type RunMeta } from './run-meta.js';
import { evenlySpaced, startRunSampler, type Sample } from './run-sampler.js';
import { watchClient } from './watched-client.js';

/** Points per traffic series on the live page: about one per 2-3 px of a chart. */
const LIVE_POINTS = 400;

export interface RunWatch {
  /** The client to run with (counts requests, keeps error samples). */
  client: HttpClient;
  live: LiveCounters;
  /** The dashboard's address, with --dashboard. */
  url: string | undefined;
  /** The generator's CPU and event-loop lag over the last sampled tick (for a checkpoint). */
  health(): { cpuPct: number; eventLoopP99Ms: number };
  /** The final report with the run's charts, metadata and error samples; pushed to the dashboard. */
  finish(report: LoadReport): Promise<LoadReport>;
  /** Stops sampling and closes the dashboard (idempotent; `finish` does it too). */
  close(): Promise<void>;
}

export async function startRunWatch(opts: {
  client: HttpClient;
  metrics: Metrics;
  plan: ArrivalPlan;
  scenario: string;
  config: Record<string, unknown>;
  thresholds: readonly Threshold[];
  meta: { argv: readonly string[]; target: string; seed: string };
  /** undefined: no live dashboard. */
  dashboard: { port: number } | undefined;
  /** Samples from before the run (bench:dashboard's large run). */
  history?: readonly Sample[];
}): Promise<RunWatch> {
  const { client, watch } = watchClient(opts.client);
  const live: LiveCounters = { started: 0, finished: 0 };
  const sampler = startRunSampler({
    metrics: opts.metrics,
    client: watch,
    live,
    ...(opts.history ? { history: opts.history } : {}),
  });
  const startedAt = new Date();
  const meta: RunMeta = runMeta({ ...opts.meta, scenario: opts.scenario, startedAt });
  sampler.sample(); // t = 0

  const elapsed = () => performance.now() - opts.metrics.startMs;
  const pointCache: StepPointCache = new WeakMap();
  const interim = (): LoadReport => {
    sampler.sample();
    const durationMs = elapsed();
    const last = sampler.samples().at(-1);
    return {
      ...aggregate({
        scenario: opts.scenario,
        config: opts.config,
        startedAt,
        durationMs,
        metrics: opts.metrics,
        money: { packets: 0, checked: 0, mismatches: [] },
        thresholds: opts.thresholds,
        generator: { cpuPct: last?.cpuPct ?? 0, eventLoopP99Ms: last?.lagP99Ms ?? 0 },
      }),
      meta,
      charts: buildRunCharts({
        // the live page draws at most LIVE_POINTS per series (the --html report all of them)
        samples: evenlySpaced(sampler.samples(), LIVE_POINTS),
        metrics: opts.metrics,
        plan: opts.plan,
        durationMs,
        distributions: false,
        pointCache,
      }),
      errorSamples: watch.samples(),
    };
  };
  const server: LiveServer | undefined = opts.dashboard
    ? await startLiveServer({ port: opts.dashboard.port, interim }).catch((e: unknown) => {
        sampler.stop();
        throw e;
      })
    : undefined;

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    sampler.stop();
    await server?.close();
  };
  return {
    client,
    live,
    url: server?.url,
    health() {
      const last = sampler.samples().at(-1);
      return { cpuPct: last?.cpuPct ?? 0, eventLoopP99Ms: last?.lagP99Ms ?? 0 };
    },
    async finish(report) {
      sampler.sample();
      const full: LoadReport = {
        ...report,
        meta,
        charts: buildRunCharts({
          samples: sampler.samples(),
          metrics: opts.metrics,
          plan: opts.plan,
          durationMs: report.durationMs,
        }),
        errorSamples: watch.samples(),
      };
      sampler.stop();
      closed = true;
      await server?.finish(full);
      return full;
    },
    close,
  };
}
