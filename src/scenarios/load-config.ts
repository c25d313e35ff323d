import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import { parseDuration, parseRate } from './duration.js';
import type { LoadModel } from './runner.js';

/** `redpkt load` flags as commander hands them over (strings), parsed and checked in one place. */
export interface LoadFlags {
  target?: string;
  secret?: string;
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
  dashboard?: boolean;
  dashboardPort?: string;
}

export interface LoadConfig {
  scenario: string;
  /** undefined: start the embedded service in process. */
  target: string | undefined;
  secret: string | undefined;
  fixtures: string | undefined;
  packets: number | undefined;
  durationMs: number | undefined;
  rampMs: number;
  shares: number;
  claimers: number;
  model: LoadModel;
  connections: number;
  timeoutMs: number;
  thresholds: string[];
  /** `-` writes the JSON report to stdout (instead of the table). */
  json: string | undefined;
  html: string | undefined;
  seed: string;
  expire: { afterSec: number; refundTimeoutMs: number } | undefined;
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
  dashboard: z.boolean().default(false),
  dashboardPort: int('--dashboard-port', 0, 65_535).optional(),
});

export function resolveLoadConfig(
  scenario: string,
  flags: LoadFlags,
  env: { secret?: string | undefined } = {},
): LoadConfig {
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
  if (f.dashboardPort !== undefined && !f.dashboard)
    throw new RedpktError('USAGE', '--dashboard-port only applies with --dashboard');
  if (f.target === undefined && f.secret !== undefined) {
    throw new RedpktError('USAGE', '--secret is for --target; the embedded service makes its own');
  }
  return {
    scenario,
    target: f.target,
    secret: f.target === undefined ? undefined : (f.secret ?? env.secret),
    fixtures: f.fixtures,
    packets: f.packets ?? (durationMs === undefined ? DEFAULT_PACKETS : undefined),
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
    dashboard: f.dashboard ? { port: f.dashboardPort ?? DEFAULT_DASHBOARD_PORT } : undefined,
  };
}

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
  };
}
