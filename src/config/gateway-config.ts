/**
 * Issue 6: the gateway's part of `serve`: `--role gateway --core URL…` routes every request of
 * one packet to one core; `--no-claim-limiter` turns this process's per-packet claim limiter off
 * (the cores behind a gateway, which runs it for them).
 */
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';

const ms = z.coerce.number().int().min(1).max(3_600_000);

export const GatewayFlagsShape = {
  core: z.array(z.string()).default([]),
  coreTimeoutMs: ms.optional(),
  healthEveryMs: ms.optional(),
  claimLimiter: z.boolean().default(true),
};

type GatewayFlags = z.output<z.ZodObject<typeof GatewayFlagsShape>>;

export interface GatewayConfig {
  /** role gateway: the cores' origins, distinct, e.g. http://10.0.0.1:8080. */
  cores?: string[];
  /** role gateway with cells (issue 21): each core's cell, from `--core NAME=URL`, as `cores`. */
  coreCells?: string[];
  /** role gateway: how long a core may take to answer a forwarded request (default 10 s). */
  coreTimeoutMs?: number;
  /** role gateway: how often every core's /healthz is checked (default 1 s). */
  healthEveryMs?: number;
  /** false: no per-packet claim limiter in this process (`--no-claim-limiter`). */
  claimLimiter?: boolean;
}

export const DEFAULT_CORE_TIMEOUT_MS = 10_000;
export const DEFAULT_HEALTH_EVERY_MS = 1_000;

export function resolveGatewayConfig(flags: GatewayFlags, role: string): GatewayConfig {
  if (role !== 'gateway') {
    if (flags.core.length > 0) throw new RedpktError('USAGE', '--core is for --role gateway');
    return { claimLimiter: flags.claimLimiter };
  }
  if (flags.core.length === 0)
    throw new RedpktError('USAGE', '--role gateway needs --core URL (repeat it for every core)');
  const named = flags.core.map(cellOfCore);
  const cores = named.map((c) => coreOrigin(c.url));
  const twice = cores.find((c, i) => cores.indexOf(c) !== i);
  if (twice) throw new RedpktError('USAGE', `--core ${twice} is given twice`);
  const cells = named.filter((c) => c.cell !== undefined).length;
  if (cells > 0 && cells < named.length)
    throw new RedpktError('USAGE', 'with cells, every --core names its cell: --core NAME=URL');
  return {
    cores,
    ...(cells > 0 ? { coreCells: named.map((c) => c.cell!) } : {}),
    coreTimeoutMs: flags.coreTimeoutMs ?? DEFAULT_CORE_TIMEOUT_MS,
    healthEveryMs: flags.healthEveryMs ?? DEFAULT_HEALTH_EVERY_MS,
    claimLimiter: flags.claimLimiter,
  };
}

/** `NAME=URL` (issue 21: the core's cell) or a plain URL. */
function cellOfCore(value: string): { cell: string | undefined; url: string } {
  const m = /^([A-Za-z0-9_-]{1,32})=(.+)$/.exec(value);
  return m ? { cell: m[1]!, url: m[2]! } : { cell: undefined, url: value };
}

/** A core is an origin (http(s)://host:port); the origin is also its id in the rendezvous hash. */
function coreOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RedpktError('USAGE', `--core ${value}: not a URL`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname.replace(/\/+$/, '') !== '')
    throw new RedpktError('USAGE', `--core ${value}: give the core's origin, e.g. http://10.0.0.1:8080`);
  if (url.search || url.hash || url.username)
    throw new RedpktError('USAGE', `--core ${value}: give the core's origin, e.g. http://10.0.0.1:8080`);
  return url.origin;
}
