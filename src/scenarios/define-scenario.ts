/**
 * A scenario is an ordered list of steps run once per iteration (one iteration = one user
 * journey, e.g. one packet: create -> pay -> ... -> claim list). Each iteration gets a fresh
 * `state` that the steps fill in for the steps after them (ids flow forward). Every request a
 * step makes through `ctx.http` is recorded under the step's name; a step measured as a whole
 * (a wait) records itself with `ctx.sample`. A step that cannot let the journey go on calls
 * `abort(code)`: the remaining steps are skipped and the flow counts as failed with that code.
 */
import { RedpktError } from '../domain/errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResult {
  /** 0 when no response came (connection refused, timeout, ...). */
  status: number;
  /** Parsed JSON, or the raw text when it was not JSON; undefined when there was no response. */
  body: unknown;
  ok: boolean;
  /** For failures: the server's `error.code`, else `HTTP_<status>`, or a transport code (`TIMEOUT`, `ECONNREFUSED`, ...). */
  code: string | undefined;
  latencyMs: number;
}

export interface RequestOptions {
  /** false: not measured (a poll inside a step that samples itself). */
  record?: boolean;
  /**
   * Codes that are an expected answer here, not a failure: counted as the step's outcomes
   * (`PACKET_EXHAUSTED` with more claimers than shares, a 429 that will be retried).
   */
  expected?: ReadonlySet<string>;
}

export interface StepHttp {
  /** Sends a request; never throws for an HTTP or transport failure (see `HttpResult.code`). */
  request(req: HttpRequest, opts?: RequestOptions): Promise<HttpResult>;
}

export interface StepContext<S> {
  readonly iteration: number;
  readonly state: S;
  readonly http: StepHttp;
  /** Records one sample for this step, measured from `startedAt` (a `now()` value); `code` marks it failed. */
  sample(startedAt: number, code?: string): void;
  /**
   * Marks the flow failed with `code` (the first call wins) while the steps go on, e.g. the claim
   * list after a claimer got an unexpected answer (the money check still needs it).
   */
  fail(code: string): void;
  /** Monotonic milliseconds (performance.now()). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Step<S> {
  readonly name: string;
  run(ctx: StepContext<S>): Promise<void>;
}

export interface FlowOutcome {
  ok: boolean;
  /** The step that aborted and its code. */
  failedStep?: string;
  code?: string;
}

export interface Scenario<S> {
  readonly name: string;
  readonly steps: readonly Step<S>[];
  /** A fresh state for iteration `iteration` (0-based). */
  init(iteration: number): S;
  /** After the steps, aborted or not (bookkeeping such as the money check; not measured). */
  settle?(state: S, outcome: FlowOutcome): void | Promise<void>;
}

/** The pseudo-step that measures whole iterations (and counts dropped ones in the open model). */
export const FLOW_STEP = 'flow';

export class StepAbort extends Error {
  override readonly name = 'StepAbort';
  constructor(readonly code: string) {
    super(`step aborted: ${code}`);
  }
}

export function abort(code: string): never {
  throw new StepAbort(code);
}

const STEP_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export function defineScenario<S>(def: Scenario<S>): Scenario<S> {
  if (def.steps.length === 0) throw new RedpktError('INTERNAL', `scenario ${def.name} has no steps`);
  const seen = new Set<string>();
  for (const step of def.steps) {
    if (!STEP_NAME.test(step.name))
      throw new RedpktError('INTERNAL', `bad step name "${step.name}" (a-z, 0-9, -)`);
    if (step.name === FLOW_STEP)
      throw new RedpktError('INTERNAL', `"${FLOW_STEP}" is reserved for whole iterations`);
    if (seen.has(step.name))
      throw new RedpktError('INTERNAL', `step "${step.name}" appears twice in ${def.name}`);
    seen.add(step.name);
  }
  return def;
}

/** Every name a report (and a threshold) can refer to: the steps, then `flow`. */
export function stepNames(scenario: { steps: readonly { name: string }[] }): string[] {
  return [...scenario.steps.map((s) => s.name), FLOW_STEP];
}
