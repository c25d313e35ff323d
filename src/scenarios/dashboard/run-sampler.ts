/**
 * Samples a running load every `tickMs` (250 ms: short runs still get several points): cumulative
 * counts per step and by error code, requests sent and answered, iterations started and ended,
 * and the generator's own event-loop lag and CPU. Off the request path: it only reads counters
 * the run keeps anyway. Cumulative samples can be thinned without losing anything but
 * resolution, so a long run keeps at most `maxSamples`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FLOW_STEP } from '../define-scenario.js';
import type { Metrics } from '../metrics.js';
import type { LiveCounters } from '../runner.js';
import type { ClientWatch } from './watched-client.js';

export interface StepSample {
  count: number;
  ok: number;
  errors: Record<string, number>;
}

export interface Sample {
  /** ms since the run's start. */
  t: number;
  sent: number;
  received: number;
  started: number;
  finished: number;
  steps: Record<string, StepSample>;
  /** Over the tick that ended here. */
  lagP99Ms: number;
  cpuPct: number;
}

export interface RunSampler {
  /** Takes a sample now (also at the end, so the last partial tick counts). */
  sample(): Sample;
  samples(): readonly Sample[];
  stop(): void;
}

export function startRunSampler(opts: {
  metrics: Metrics;
  client: ClientWatch;
  live: LiveCounters;
  tickMs?: number;
  maxSamples?: number;
  now?: () => number;
  /** Samples from before this sampler (bench:dashboard's large run starts with a 10-minute history). */
  history?: readonly Sample[];
}): RunSampler {
  const now = opts.now ?? (() => performance.now());
  const tickMs = opts.tickMs ?? 250;
  const maxSamples = opts.maxSamples ?? 2400;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let lastCpu = process.cpuUsage();
  let lastAt = now();
  const samples: Sample[] = [...(opts.history ?? [])];

  const take = (): Sample => {
    const at = now();
    const cpu = process.cpuUsage();
    const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    const lagMs = Number.isFinite(lag.percentile(99)) ? lag.percentile(99) / 1e6 : 0;
    lag.reset();
    const steps: Record<string, StepSample> = {};
    for (const m of opts.metrics.steps())
      steps[m.name] = { count: m.count, ok: m.ok, errors: Object.fromEntries(m.errors) };
    const s: Sample = {
      t: Math.max(0, at - opts.metrics.startMs),
      sent: opts.client.sent,
      received: opts.client.received,
      started: opts.live.started,
      finished: opts.live.finished,
      steps,
      lagP99Ms: Math.round(lagMs * 100) / 100,
      cpuPct: at > lastAt ? Math.round((used / (at - lastAt)) * 1000) / 10 : 0,
    };
    lastCpu = cpu;
    lastAt = at;
    samples.push(s);
    if (samples.length > maxSamples) thin(samples);
    return s;
  };
  const timer = setInterval(take, tickMs);
  timer.unref();
  return {
    sample: take,
    samples: () => samples,
    stop() {
      clearInterval(timer);
      lag.disable();
    },
  };
}

/** Every other sample dropped, the first and the last kept (cumulative values stay exact). */
function thin(samples: Sample[]): void {
  const last = samples[samples.length - 1]!;
  const kept = samples.filter((_, i) => i % 2 === 0);
  if (kept[kept.length - 1] !== last) kept.push(last);
  samples.splice(0, samples.length, ...kept);
}

/**
 * At most `max` of the samples, evenly spaced, the first and the last kept: the live page's
 * charts (a chart is ~1,000 px wide; a 10-minute run has 2,400 samples, and rendering all of
 * them every second cost the generator ~10% of a core). Cumulative values stay exact.
 */
export function evenlySpaced(samples: readonly Sample[], max: number): readonly Sample[] {
  if (samples.length <= max || max < 2) return samples;
  const out: Sample[] = [];
  for (let i = 0; i < max; i++) out.push(samples[Math.round((i * (samples.length - 1)) / (max - 1))]!);
  return out;
}

/** Dropped arrivals so far (the open model's `flow` failures coded DROPPED). */
export function droppedOf(s: Sample): number {
  return s.steps[FLOW_STEP]?.errors['DROPPED'] ?? 0;
}
