/**
 * Issue 4: the worker's part of `serve`: the role, the alert webhook, where a worker-only process
 * finds finance, and the timings (milliseconds, so tests and rehearsals can shrink them).
 */
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import type { WorkerTimings } from '../worker/timings.js';
import type { Env } from './env.js';

export const SERVE_ROLES = ['all', 'worker', 'gateway'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

const ms = z.coerce
  .number()
  .int()
  .min(1)
  .max(7 * 24 * 3_600_000);

export const WorkerFlagsShape = {
  role: z.string().default('all').pipe(z.enum(SERVE_ROLES)),
  alertWebhook: z.string().url().optional(),
  financeUrl: z.string().url().optional(),
  pollMs: ms.optional(),
  leaseMs: ms.optional(),
  retryBaseMs: ms.optional(),
  retryMaxMs: ms.optional(),
  recheckAfterMs: ms.optional(),
  paymentTimeoutMs: ms.optional(),
  sweepEveryMs: ms.optional(),
  sweepAfterMs: ms.optional(),
  alertAfter: z.coerce.number().int().min(1).max(1_000_000).optional(),
};

type WorkerFlags = z.output<z.ZodObject<typeof WorkerFlagsShape>>;

export interface WorkerConfig {
  /**
   * all: API + finance + worker in one process; worker: the worker and /healthz only; gateway
   * (issue 6, src/config/gateway-config.ts): routes requests to cores by packet id.
   */
  role?: ServeRole;
  alertWebhook?: string | undefined;
  /** role worker: the running `redpkt serve` whose finance (and callback route) to use. */
  financeUrl?: string | undefined;
  worker?: Partial<WorkerTimings>;
}

export function resolveWorkerConfig(flags: WorkerFlags, env: Env): WorkerConfig {
  const timings: Partial<WorkerTimings> = {
    pollMs: flags.pollMs,
    leaseMs: flags.leaseMs,
    retryBaseMs: flags.retryBaseMs,
    retryMaxMs: flags.retryMaxMs,
    recheckAfterMs: flags.recheckAfterMs,
    paymentTimeoutMs: flags.paymentTimeoutMs,
    sweepEveryMs: flags.sweepEveryMs,
    sweepAfterMs: flags.sweepAfterMs,
    alertAfterAttempts: flags.alertAfter,
  };
  if (flags.role === 'worker' && !flags.financeUrl) {
    throw new RedpktError(
      'USAGE',
      '--role worker needs --finance-url (the running serve that hosts finance)',
    );
  }
  return {
    role: flags.role,
    alertWebhook: flags.alertWebhook ?? env.REDPKT_ALERT_WEBHOOK,
    financeUrl: flags.financeUrl,
    worker: Object.fromEntries(Object.entries(timings).filter(([, v]) => v !== undefined)),
  };
}
