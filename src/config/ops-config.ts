/**
 * Issue 7: the operations flags of `serve` (admin key, log level, switch polling) and of the
 * switch commands (`degrade`, `mock`, `limit`: where the switches are, how to print).
 */
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import { LOG_LEVELS, type LogLevel } from '../metrics/logger.js';
import type { Env } from './env.js';
import { flagsError } from './flag-errors.js';
import { mysqlUrl } from './mysql-url.js';

const adminKey = z.string().min(16, 'the admin key must be at least 16 characters');

export const OpsFlagsShape = {
  adminKey: adminKey.optional(),
  logLevel: z.string().pipe(z.enum(LOG_LEVELS)).optional(),
  switchPollMs: z.coerce.number().int().min(50).max(60_000).optional(),
};

export interface OpsConfig {
  /** undefined: derived from the service secret (`redpkt admin-key` prints it). */
  adminKey?: string | undefined;
  logLevel?: LogLevel | undefined;
  switchPollMs?: number | undefined;
}

type OpsFlags = z.output<z.ZodObject<typeof OpsFlagsShape>>;

export function resolveOpsConfig(flags: OpsFlags, env: Env): OpsConfig {
  return {
    adminKey: flags.adminKey ?? env.REDPKT_ADMIN_KEY,
    logLevel: flags.logLevel ?? env.REDPKT_LOG_LEVEL ?? 'info',
    switchPollMs: flags.switchPollMs,
  };
}

// ------------------------------------------------------------------ the switch commands

const SwitchCliFlagsSchema = z.object({
  target: z.string().url().optional(),
  adminKey: adminKey.optional(),
  secret: z.string().min(16, 'the secret must be at least 16 characters').optional(),
  dataDir: z.string().min(1).optional(),
  mysql: mysqlUrl.optional(),
  redis: z.string().url().optional(),
  json: z.boolean().default(false),
  actor: z.string().min(1).max(128).optional(),
  reason: z.string().max(255).optional(),
  last: z.coerce.number().int().min(1).max(1000).default(20),
});

export type SwitchCliFlags = z.input<typeof SwitchCliFlagsSchema>;

export type SwitchTarget =
  /** The admin API of a running instance; the key is given, or derived from a secret. */
  | { kind: 'http'; url: string; adminKey?: string | undefined; secret?: string | undefined; dataDir: string }
  /** Straight in the database; with Redis the instances are told at once (else they poll). */
  | { kind: 'direct'; dataDir: string; mysql: string | undefined; redis: string | undefined };

export interface SwitchCliConfig {
  target: SwitchTarget;
  json: boolean;
  actor: string | undefined;
  reason: string | null;
  /** audit: how many of the latest changes to show. */
  last: number;
}

/** Flags win over the environment. --target picks the admin API; otherwise the database. */
export function resolveSwitchCliConfig(flags: SwitchCliFlags, env: Env): SwitchCliConfig {
  const result = SwitchCliFlagsSchema.safeParse(flags);
  if (!result.success) throw flagsError(result.error, flags);
  const f = result.data;
  const dataDir = f.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt';
  // with --target, --data-dir is where the service's secret is (the admin key is derived from it)
  if (f.target && f.mysql)
    throw new RedpktError('USAGE', '--target talks to the admin API: leave out --mysql');
  const target: SwitchTarget = f.target
    ? {
        kind: 'http',
        url: f.target.replace(/\/+$/, ''),
        adminKey: f.adminKey ?? env.REDPKT_ADMIN_KEY,
        secret: f.secret ?? env.REDPKT_SECRET,
        dataDir,
      }
    : { kind: 'direct', dataDir, mysql: f.mysql ?? env.REDPKT_MYSQL, redis: f.redis ?? env.REDPKT_REDIS };
  return { target, json: f.json, actor: f.actor, reason: f.reason?.trim() || null, last: f.last };
}
