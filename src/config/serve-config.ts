import { z } from 'zod';
import { DEFAULT_LIMITS } from '../domain/limits.js';
import type { PacketLimits } from '../domain/limits.js';
import type { Env } from './env.js';
import { flagsError } from './flag-errors.js';
import { mysqlUrl } from './mysql-url.js';
import { OpsFlagsShape, resolveOpsConfig, type OpsConfig } from './ops-config.js';
import { SubsidyFlagsShape, resolveSubsidyConfig, type SubsidyConfig } from './subsidy-config.js';
import { WorkerFlagsShape, resolveWorkerConfig, type WorkerConfig } from './worker-config.js';
import { GatewayFlagsShape, resolveGatewayConfig, type GatewayConfig } from './gateway-config.js';
import { HttpFlagsShape, resolveHttpConfig, type HttpConfig } from './http-config.js';
import { FleetFlagsShape, resolveFleetConfig, type FleetConfig } from './fleet-config.js';

export const ServeFlagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).optional(),
  mysql: z.array(mysqlUrl).default([]),
  redis: z.string().url().optional(),
  secret: z.string().min(16, 'the secret must be at least 16 characters').optional(),
  maxCount: z.coerce.number().int().min(1).max(1_000_000).optional(),
  maxAmount: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  maxShare: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  ...WorkerFlagsShape, // issue 4
  ...SubsidyFlagsShape, // issue 3
  ...OpsFlagsShape, // issue 7
  ...GatewayFlagsShape, // issue 6: --role gateway --core URL…
  ...HttpFlagsShape, // issue 18: timeouts, token lifetime
  ...FleetFlagsShape, // issue 21: --cores N|auto, --cells K, --cell NAME:SHARDS[:BACKUP]
});

export type ServeFlags = z.input<typeof ServeFlagsSchema>;

export interface ServeConfig
  extends WorkerConfig, SubsidyConfig, OpsConfig, GatewayConfig, Partial<HttpConfig>, FleetConfig {
  port: number;
  host: string;
  dataDir: string;
  mysql: string[];
  redis: string | undefined;
  /** undefined: read or generate one in the data dir. */
  secret: string | undefined;
  /** Packet count and amount limits (fen); DEFAULT_LIMITS when absent. */
  limits?: PacketLimits;
}

/** Flags win over the environment, which wins over defaults. */
export function resolveServeConfig(flags: ServeFlags, env: Env): ServeConfig {
  const result = ServeFlagsSchema.safeParse(flags);
  if (!result.success) throw flagsError(result.error, flags);
  const parsed = result.data;
  const mysql = parsed.mysql.length > 0 ? parsed.mysql : env.REDPKT_MYSQL ? [env.REDPKT_MYSQL] : [];
  return {
    port: parsed.port,
    host: parsed.host,
    dataDir: parsed.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt',
    mysql,
    redis: parsed.redis ?? env.REDPKT_REDIS,
    secret: parsed.secret ?? env.REDPKT_SECRET,
    limits: {
      ...DEFAULT_LIMITS,
      ...(parsed.maxCount === undefined ? {} : { maxCount: parsed.maxCount }),
      ...(parsed.maxAmount === undefined ? {} : { maxAmount: parsed.maxAmount }),
      ...(parsed.maxShare === undefined ? {} : { maxShare: parsed.maxShare }),
    },
    ...resolveWorkerConfig(parsed, env),
    ...resolveSubsidyConfig(parsed),
    ...resolveOpsConfig(parsed, env), // issue 7
    ...resolveGatewayConfig(parsed, parsed.role), // issue 6
    ...resolveHttpConfig(parsed), // issue 18
    ...resolveFleetConfig(parsed, parsed.role, mysql.length), // issue 21
  };
}
