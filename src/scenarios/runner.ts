import { setImmediate as yieldToLoop, setTimeout as sleepFor } from 'node:timers/promises';
import type {
  FlowOutcome,
  HttpRequest,
  HttpResult,
  Scenario,
  StepContext,
  StepHttp,
} from './define-scenario.js';
import { FLOW_STEP, StepAbort } from './define-scenario.js';
import type { HttpClient, RawResponse } from './http-client.js';
import { responseCode } from './http-client.js';
import type { Metrics } from './metrics.js';
import { arrivalMs, workerStartMs } from './schedule.js';

/**
 * closed: `concurrency` virtual users, each starting its next iteration when the last ends
 * (the server's speed sets the pace). open: iterations arrive at `ratePerSec` whatever the
 * server does; the first request of an iteration is timed from its INTENDED start, so a stall
 * shows in the latencies instead of silently slowing the generator (coordinated omission), and
 * an arrival finding `maxInFlight` iterations still running is dropped and counted.
 */
export type LoadModel =
  { kind: 'closed'; concurrency: number } | { kind: 'open'; ratePerSec: number; maxInFlight: number };

export interface RunOptions {
  client: HttpClient;
  metrics: Metrics;
  model: LoadModel;
  /** Start at most this many iterations. */
  iterations?: number;
  /** Stop starting iterations after this long (running ones finish). */
  durationMs?: number;
  rampMs?: number;
  /** Stops starting iterations when aborted (Ctrl-C); running ones finish. */
  signal?: AbortSignal;
  now?: () => number;
  /** Iterations started and ended so far, kept up to date for the report's in-flight series. */
  live?: LiveCounters;
}

export interface LiveCounters {
  started: number;
  finished: number;
}

export interface RunResult {
  startedAt: Date;
  durationMs: number;
  /** Iterations started (dropped ones not included). */
  iterations: number;
  dropped: number;
}

const OK: FlowOutcome = Object.freeze({ ok: true });

interface IterationShared {
  client: HttpClient;
  metrics: Metrics;
  now: () => number;
}

/**
 * The context the steps of one iteration share. A class (methods on the prototype) rather than
 * closures per iteration: the generator's own CPU per request is what `bench:generator` measures.
 */
class IterationContext<S> implements StepContext<S>, StepHttp {
  stepName = '';
  /** The intended start: the first recorded request of the iteration is timed from it. */
  private origin: number | undefined;

  constructor(
    private readonly shared: IterationShared,
    readonly iteration: number,
    readonly state: S,
    intendedAt: number,
  ) {
    this.origin = intendedAt;
  }

  get http(): StepHttp {
    return this;
  }

  now(): number {
    return this.shared.now();
  }

  sleep(ms: number): Promise<void> {
    return sleepFor(ms);
  }

  sample(startedAtMs: number, code?: string): void {
    const end = this.shared.now();
    this.shared.metrics.record(this.stepName, end - startedAtMs, code, end);
  }

  request(req: HttpRequest, opts?: { record?: boolean }): Promise<HttpResult> {
    const { client, metrics, now } = this.shared;
    const record = opts?.record ?? true;
    const name = this.stepName;
    let from: number;
    if (record && this.origin !== undefined) {
      from = this.origin;
      this.origin = undefined;
    } else from = now();
    return new Promise<HttpResult>((resolve, reject) => {
      // called inside undici's response callback: nothing may be thrown back into it (an error
      // there is swallowed or crashes the client); a failure to record fails the step instead
      client.dispatch(req, (res) => {
        const end = now();
        try {
          const code = responseCode(res);
          if (record) metrics.record(name, end - from, code, end);
          resolve(new StepResult(res, code, end - from));
        } catch (e) {
          reject(e);
        }
      });
    });
  }
}

/** A step's answer; the body is decoded only if the step reads it (see `RawResponse.body`). */
class StepResult implements HttpResult {
  constructor(
    private readonly res: RawResponse,
    readonly code: string | undefined,
    readonly latencyMs: number,
  ) {}

  get status(): number {
    return this.res.status;
  }

  get body(): unknown {
    return this.res.body;
  }

  get ok(): boolean {
    return this.code === undefined;
  }
}

export async function runScenario<S>(scenario: Scenario<S>, opts: RunOptions): Promise<RunResult> {
  if (opts.iterations === undefined && opts.durationMs === undefined) {
    throw new RangeError('runScenario needs iterations or durationMs');
  }
  const now = opts.now ?? (() => performance.now());
  const { client, metrics } = opts;
  const rampMs = opts.rampMs ?? 0;
  const stop = new AbortController();
  /** `stop.signal.aborted`, as a plain variable: read once an iteration (the signal's getter checks its receiver). */
  let stopped = false;
  const stopRun = () => {
    stopped = true;
    stop.abort();
  };
  opts.signal?.addEventListener('abort', stopRun, { once: true });
  if (opts.signal?.aborted) stopRun();
  const sleep = (ms: number) =>
    ms <= 0 ? Promise.resolve() : sleepFor(ms, undefined, { signal: stop.signal }).catch(() => undefined);

  const startedAt = new Date();
  const start = now();
  const durationTimer = opts.durationMs === undefined ? undefined : setTimeout(stopRun, opts.durationMs);
  let started = 0;
  let dropped = 0;
  let fatal: unknown;

  const shared: IterationShared = { client, metrics, now };
  /** Resolves with the time the iteration's steps ended (before `settle`). */
  const live = opts.live ?? { started: 0, finished: 0 };
  const runIteration = async (iteration: number, intendedAt: number): Promise<number> => {
    live.started++;
    const state = scenario.init(iteration);
    const ctx = new IterationContext<S>(shared, iteration, state, intendedAt);
    let outcome: FlowOutcome = OK;
    for (const step of scenario.steps) {
      ctx.stepName = step.name;
      try {
        await step.run(ctx);
      } catch (e) {
        if (!(e instanceof StepAbort)) {
          fatal ??= e;
          stopRun();
          outcome = { ok: false, failedStep: step.name, code: 'SCENARIO_ERROR' };
          break;
        }
        outcome = { ok: false, failedStep: step.name, code: e.code };
        break;
      }
    }
    const end = now();
    live.finished++;
    metrics.record(FLOW_STEP, end - intendedAt, outcome.ok ? undefined : outcome.code, end);
    if (!scenario.settle) return end;
    try {
      await scenario.settle(state, outcome);
    } catch (e) {
      fatal ??= e;
      stopRun();
    }
    return now();
  };

  const more = () => !stopped && (opts.iterations === undefined || started < opts.iterations);

  if (opts.model.kind === 'closed') {
    const workers = Math.max(1, Math.floor(opts.model.concurrency));
    await Promise.all(
      Array.from({ length: workers }, async (_, k) => {
        await sleep(workerStartMs(k, workers, rampMs));
        // a closed user starts its next iteration when the last one ends: that end is its start
        let at = now();
        while (more()) at = await runIteration(started++, at);
      }),
    );
  } else {
    const { ratePerSec, maxInFlight } = opts.model;
    const running = new Set<Promise<number>>();
    let scheduled = 0;
    let burst = 0;
    while (!stopped && (opts.iterations === undefined || scheduled < opts.iterations)) {
      const offset = arrivalMs(scheduled, ratePerSec, rampMs);
      if (opts.durationMs !== undefined && offset >= opts.durationMs) break;
      const due = start + offset;
      const wait = due - now();
      if (wait >= 1) {
        burst = 0;
        await sleep(wait);
        if (stopped) break;
      } else if (++burst >= 64) {
        // Behind schedule: keep the arrivals coming, but let responses be read in between.
        burst = 0;
        await yieldToLoop();
      }
      scheduled++;
      if (running.size >= maxInFlight) {
        dropped++;
        metrics.record(FLOW_STEP, undefined, 'DROPPED');
        continue;
      }
      const p = runIteration(started++, due).finally(() => running.delete(p));
      running.add(p);
    }
    await Promise.all(running);
  }

  clearTimeout(durationTimer);
  opts.signal?.removeEventListener('abort', stopRun);
  const durationMs = now() - start;
  if (fatal !== undefined) throw fatal;
  return { startedAt, durationMs, iterations: started, dropped };
}
