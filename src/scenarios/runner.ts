import { setImmediate as yieldToLoop, setTimeout as sleepFor } from 'node:timers/promises';
import type {
  FlowOutcome,
  HttpRequest,
  HttpResult,
  RequestOptions,
  Scenario,
  StepContext,
  StepHttp,
} from './define-scenario.js';
import { FLOW_STEP, StepAbort } from './define-scenario.js';
import type { HttpClient, RawResponse } from './http-client.js';
import { responseCode, responseMessage } from './http-client.js';
import type { Metrics } from './metrics.js';
import { arrivalMs, workerStartMs } from './schedule.js';
import type { Segment } from './segment.js';
import { WHOLE, globalIndex, shareOf } from './segment.js';
import { waitUntil } from './start-at.js';

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
  /** The whole run's model (all segments together): a segment runs its share of it. */
  model: LoadModel;
  /** Start at most this many iterations (the whole run's: a segment starts its share). */
  iterations?: number;
  /** This generator's part of the run (./segment.ts); default the whole run. */
  segment?: Segment;
  /** Wall-clock instant (epoch ms) the schedule starts at, the same for every segment. */
  startAtMs?: number;
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
  /** With `startAtMs`: how late the schedule actually started, in ms. */
  startLagMs: number;
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
  /** Set by `fail`: the flow counts as failed with this code (the first one), steps go on. */
  failure: { step: string; code: string } | undefined;
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

  fail(code: string): void {
    this.failure ??= { step: this.stepName, code };
  }

  request(req: HttpRequest, opts?: RequestOptions): Promise<HttpResult> {
    const { client, metrics, now } = this.shared;
    const record = opts?.record ?? true;
    const expected = opts?.expected;
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
          if (record) {
            const outcome = code !== undefined && expected !== undefined && expected.has(code);
            metrics.record(name, end - from, code, end, outcome);
            if (code !== undefined && !outcome && metrics.wantsMessage(name, code))
              metrics.note(name, code, responseMessage(res));
          }
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

  const seg = opts.segment ?? WHOLE;
  let startLagMs = 0;
  if (opts.startAtMs !== undefined) startLagMs = await waitUntil(opts.startAtMs, stop.signal);
  const startedAt = new Date();
  const start = now();
  const durationTimer = opts.durationMs === undefined ? undefined : setTimeout(stopRun, opts.durationMs);
  /** This segment's share of the iterations (all of them without a segment). */
  const limit = opts.iterations === undefined ? undefined : shareOf(opts.iterations, seg);
  let started = 0;
  let dropped = 0;
  let fatal: unknown;

  const shared: IterationShared = { client, metrics, now };
  /** Resolves with the time the iteration's steps ended (before `settle`). */
  const live = opts.live ?? { started: 0, finished: 0 };
  const runIteration = async (local: number, intendedAt: number): Promise<number> => {
    const iteration = globalIndex(seg, local);
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
    if (outcome.ok && ctx.failure)
      outcome = { ok: false, failedStep: ctx.failure.step, code: ctx.failure.code };
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

  const more = () => !stopped && (limit === undefined || started < limit);

  if (opts.model.kind === 'closed') {
    // this segment's virtual users are the whole run's users k, k mod N == segment: they join
    // the ramp when they would in one generator
    const workers = Math.max(1, Math.floor(opts.model.concurrency));
    await Promise.all(
      Array.from({ length: shareOf(workers, seg) }, async (_, j) => {
        await sleep(workerStartMs(globalIndex(seg, j), workers, rampMs));
        // a closed user starts its next iteration when the last one ends: that end is its start
        let at = now();
        while (more()) at = await runIteration(started++, at);
      }),
    );
  } else {
    const { ratePerSec } = opts.model;
    // every segment keeps its in-flight share (at least one)
    const maxInFlight = Math.max(1, shareOf(opts.model.maxInFlight, seg));
    const running = new Set<Promise<number>>();
    let scheduled = 0;
    let burst = 0;
    while (!stopped && (limit === undefined || scheduled < limit)) {
      // this segment's arrivals are the whole schedule's arrivals k, k mod N == segment
      const offset = arrivalMs(globalIndex(seg, scheduled), ratePerSec, rampMs);
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
  return { startedAt, startLagMs, durationMs, iterations: started, dropped };
}
