import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import { createHash, randomBytes } from 'node:crypto';
import { parseDuration, parseRate } from './duration.js';
import type { LoadModel } from './runner.js';
import type { Segment } from './segment.js';
import { resolveSegment, shareOf } from './segment.js';
import { parseStartAt } from './start-at.js';

/** `redpkt load` flags as commander hands them over (strings), parsed and checked in one place. */
export interface LoadFlags {
  target?: string;
  secret?: string;
  dataDir?: string;
  fixtures?: string;
  packets?: string;
  shares?: string;
  claimers?: string;
  concurrency?: string;
  rate?: string;
  maxInFlight?: string;
  connections?: string;
  duration?: string;
  ramp?: string;
  timeout?: string;
  threshold?: string[];
  json?: string;
  html?: string;
  seed?: string;
  expire?: boolean;
  expireAfter?: string;
  refundTimeout?: string;
  segment?: string;
  segments?: string;
  startAt?: string;
  out?: string;
  runId?: string;
  dashboard?: boolean;
  dashboardPort?: string;
}

/** What `resolveLoadConfig` reads from the environment (parsed in src/config/env.ts). */
export interface LoadEnv {
  secret?: string | undefined;
  dataDir?: string | undefined;
  segment?: string | undefined;
  jobCompletionIndex?: string | undefined;
}

export interface LoadConfig {
  scenario: string;
  /** undefined: start the embedded service in process. */
  target: string | undefined;
  secret: string | undefined;
  /** Where to read the secret from when --target is given without one (`<dataDir>/secret`). */
  dataDir: string;
  fixtures: string | undefined;
  /** The whole run's packets (all segments together). */
  packets: number | undefined;
  durationMs: number | undefined;
  rampMs: number;
  shares: number;
  claimers: number;
  /** The whole run's model: each segment runs its share. */
  model: LoadModel;
  /** The whole run's connections: each segment opens its share (at least one). */
  connections: number;
  timeoutMs: number;
  thresholds: string[];
  /** `-` writes the JSON report to stdout (instead of the table). */
  json: string | undefined;
  html: string | undefined;
  seed: string;
  expire: { afterSec: number; refundTimeoutMs: number } | undefined;
  segment: Segment;
  /** `--start-at`, epoch ms. */
  startAtMs: number | undefined;
  /** `--out`: the mergeable result file. */
  out: string | undefined;
  /** Shared by every segment of a run (from --run-id, or derived from the config and --start-at); random otherwise. */
  runId: string;
  /** Identifies the run's configuration: `load merge` refuses files whose hashes differ. */
  configHash: string;
  /** Issue 23: the live dashboard's port (0: any free one); undefined without --dashboard. */
  dashboard: { port: number } | undefined;
}

export const DEFAULT_PACKETS = 50;
/** k6's web dashboard port. */
export const DEFAULT_DASHBOARD_PORT = 5665;

const int = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} must be a whole number`)
    .transform(Number)
    .pipe(
      z.number().int().min(min, `${flag} must be at least ${min}`).max(max, `${flag} must be at most ${max}`),
    );

/** `--dashboard [--dashboard-port N]` (load's and load merge's): the port, or undefined without it. */
export function dashboardOf(flags: {
  dashboard?: boolean | undefined;
  dashboardPort?: string | number | undefined;
}): { port: number } | undefined {
  if (flags.dashboardPort !== undefined && !flags.dashboard)
    throw new RedpktError('USAGE', '--dashboard-port only applies with --dashboard');
  if (!flags.dashboard) return undefined;
  if (flags.dashboardPort === undefined) return { port: DEFAULT_DASHBOARD_PORT };
  const port = int('--dashboard-port', 0, 65_535).safeParse(String(flags.dashboardPort));
  if (!port.success) throw new RedpktError('USAGE', port.error.issues.map((i) => i.message).join('; '));
  return { port: port.data };
}

const Schema = z.object({
  target: z
    .string()
    .url('--target must be a URL like http://127.0.0.1:8080')
    .refine(
      (u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol),
      '--target must be http:// or https://',
    )
    .optional(),
  secret: z.string().min(16, '--secret must be at least 16 characters').optional(),
  fixtures: z.string().min(1).optional(),
  packets: int('--packets', 1, 10_000_000).optional(),
  shares: int('--shares', 1, 10_000).default(10),
  claimers: int('--claimers', 1, 10_000).default(20),
  concurrency: int('--concurrency', 1, 10_000).optional(),
  rate: z.string().optional(),
  maxInFlight: int('--max-in-flight', 1, 100_000).default(1000),
  connections: int('--connections', 1, 10_000).optional(),
  duration: z.string().optional(),
  ramp: z.string().optional(),
  timeout: z.string().optional(),
  threshold: z.array(z.string()).default([]),
  json: z.string().min(1).optional(),
  html: z.string().min(1).optional(),
  seed: z.string().min(1).max(64).default('redpkt'),
  expire: z.boolean().default(false),
  expireAfter: z.string().optional(),
  refundTimeout: z.string().optional(),
  dataDir: z.string().min(1).optional(),
  segment: z.string().optional(),
  segments: z.string().optional(),
  startAt: z.string().optional(),
  out: z.string().min(1).optional(),
  runId: z
    .string()
    .regex(/^[a-z0-9]{1,16}$/, '--run-id must be 1-16 lower-case letters or digits')
    .optional(),
  dashboard: z.boolean().default(false),
  dashboardPort: int('--dashboard-port', 0, 65_535).optional(),
});

export function resolveLoadConfig(scenario: string, flags: LoadFlags, env: LoadEnv = {}): LoadConfig {
  const parsed = Schema.safeParse(flags);
  if (!parsed.success) throw new RedpktError('USAGE', parsed.error.issues.map((i) => i.message).join('; '));
  const f = parsed.data;
  if (f.concurrency !== undefined && f.rate !== undefined) {
    throw new RedpktError('USAGE', 'choose one load model: --concurrency C (closed) or --rate R/s (open)');
  }
  const durationMs = f.duration === undefined ? undefined : parseDuration(f.duration, '--duration');
  if (durationMs !== undefined && durationMs < 1)
    throw new RedpktError('USAGE', '--duration must be above 0');
  const model: LoadModel =
    f.rate !== undefined
      ? { kind: 'open', ratePerSec: parseRate(f.rate), maxInFlight: f.maxInFlight }
      : { kind: 'closed', concurrency: f.concurrency ?? 10 };
  const inFlight = model.kind === 'closed' ? model.concurrency : model.maxInFlight;
  let expire: LoadConfig['expire'];
  if (f.expire) {
    const afterMs = parseDuration(f.expireAfter ?? '2s', '--expire-after');
    if (afterMs < 1000 || afterMs % 1000 !== 0)
      throw new RedpktError('USAGE', '--expire-after must be whole seconds, at least 1s');
    expire = {
      afterSec: afterMs / 1000,
      refundTimeoutMs: parseDuration(f.refundTimeout ?? '30s', '--refund-timeout'),
    };
  } else if (f.expireAfter !== undefined || f.refundTimeout !== undefined) {
    throw new RedpktError('USAGE', '--expire-after and --refund-timeout only apply with --expire');
  }
  if (f.target === undefined && f.secret !== undefined) {
    throw new RedpktError('USAGE', '--secret is for --target; the embedded service makes its own');
  }
  const segment = resolveSegment({
    segment: f.segment,
    segments: f.segments,
    envSegment: env.segment,
    jobCompletionIndex: env.jobCompletionIndex,
  });
  const startAtMs = f.startAt === undefined ? undefined : parseStartAt(f.startAt);
  const packets = f.packets ?? (durationMs === undefined ? DEFAULT_PACKETS : undefined);
  if (segment.count > 1) checkSegmentable(segment, f.target, packets, model, f.runId ?? f.startAt);
  const base = {
    scenario,
    target: f.target,
    secret: f.target === undefined ? undefined : (f.secret ?? env.secret),
    dataDir: f.dataDir ?? env.dataDir ?? '.redpkt',
    fixtures: f.fixtures,
    packets,
    durationMs,
    rampMs: f.ramp === undefined ? 0 : parseDuration(f.ramp, '--ramp'),
    shares: f.shares,
    claimers: f.claimers,
    model,
    connections: f.connections ?? Math.min(1024, Math.max(1, inFlight * f.claimers)),
    timeoutMs: f.timeout === undefined ? 30_000 : parseDuration(f.timeout, '--timeout'),
    thresholds: f.threshold,
    json: f.json,
    html: f.html,
    seed: f.seed,
    expire,
    segment,
    startAtMs,
    out: f.out,
    dashboard: dashboardOf(f),
  };
  const configHash = hashOf(runShape(base));
  const runId =
    f.runId ??
    (startAtMs !== undefined
      ? hashOf({ configHash, startAtMs }).slice(0, 10)
      : randomBytes(6).toString('hex').slice(0, 10));
  return { ...base, runId, configHash };
}

/** Segments of one run share a target, and each gets at least one packet and one virtual user. */
function checkSegmentable(
  seg: Segment,
  target: string | undefined,
  packets: number | undefined,
  model: LoadModel,
  shared: string | undefined,
): void {
  const n = seg.count;
  if (target === undefined)
    throw new RedpktError('USAGE', '--segment needs --target: the segments of a run share one target');
  if (shared === undefined)
    throw new RedpktError(
      'USAGE',
      '--segment needs --start-at (every generator starts its schedule then; the run id derives from it) or --run-id',
    );
  if (packets !== undefined && shareOf(packets, { index: n - 1, count: n }) === 0)
    throw new RedpktError('USAGE', `--packets ${packets} leaves segments of ${n} without a packet`);
  if (model.kind === 'closed' && model.concurrency < n)
    throw new RedpktError(
      'USAGE',
      `--concurrency ${model.concurrency} leaves segments of ${n} without a virtual user`,
    );
  if (model.kind === 'open' && model.maxInFlight < n)
    throw new RedpktError('USAGE', `--max-in-flight ${model.maxInFlight} is below the ${n} segments`);
}

/** The fields every segment of one run must agree on (not the thresholds: a merge may evaluate others). */
function runShape(c: Omit<LoadConfig, 'runId' | 'configHash'>): Record<string, unknown> {
  return {
    scenario: c.scenario,
    target: c.target ?? null,
    packets: c.packets ?? null,
    durationMs: c.durationMs ?? null,
    rampMs: c.rampMs,
    shares: c.shares,
    claimers: c.claimers,
    model: c.model,
    connections: c.connections,
    timeoutMs: c.timeoutMs,
    seed: c.seed,
    expire: c.expire ?? null,
    segments: c.segment.count,
    startAtMs: c.startAtMs ?? null,
  };
}

const hashOf = (v: unknown): string =>
  createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/** What the report shows of the configuration (never the secret). */
export function reportConfig(c: LoadConfig, users: number): Record<string, unknown> {
  return {
    target: c.target ?? 'embedded',
    fixtures: c.fixtures ?? null,
    users,
    packets: c.packets ?? null,
    shares: c.shares,
    claimers: c.claimers,
    model: c.model.kind,
    ...(c.model.kind === 'closed'
      ? { concurrency: c.model.concurrency }
      : { ratePerSec: c.model.ratePerSec, maxInFlight: c.model.maxInFlight }),
    durationMs: c.durationMs ?? null,
    rampMs: c.rampMs,
    connections: c.connections,
    seed: c.seed,
    expire: c.expire ?? false,
    thresholds: c.thresholds,
    runId: c.runId,
    ...(c.segment.count > 1 ? { segments: c.segment.count } : {}),
    startAt: c.startAtMs === undefined ? null : new Date(c.startAtMs).toISOString(),
  };
}
