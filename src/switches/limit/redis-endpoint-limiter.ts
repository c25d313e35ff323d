import type { Redis } from 'ioredis';
import { loadLua, runLua } from '../../cache/lua-script.js';
import type { EndpointDecision, EndpointLimiter } from './endpoint-limiter.js';
import { ENDPOINT_WINDOW_MS } from './endpoint-limiter.js';

const SCRIPT = loadLua('endpoint-limit-1.lua');

export interface RedisEndpointLimiterOptions {
  redis: Redis;
  /** Namespaces every key (tests use a random one). */
  prefix: string;
  windowMs?: number;
  /** Called when Redis could not be asked and the request was let through. */
  onBypass?: (error: unknown) => void;
}

/**
 * The cluster-wide twin: one Lua call per request (endpoint-limit-1.lua), one key per endpoint.
 * If Redis is down or slow, requests go on unlimited (counted and reported), never fail because
 * of the limiter, as with the claim limiter.
 */
export function createRedisEndpointLimiter(opts: RedisEndpointLimiterOptions): EndpointLimiter {
  const windowMs = opts.windowMs ?? ENDPOINT_WINDOW_MS;
  let bypassed = 0;
  return {
    async admit(endpoint, perWindow): Promise<EndpointDecision> {
      try {
        const [code, retryAfterMs] = (await runLua(
          opts.redis,
          SCRIPT,
          [`${opts.prefix}elimit:{${endpoint}}`],
          [String(perWindow), String(windowMs)],
        )) as [number, number];
        return code === 1
          ? { kind: 'admitted' }
          : { kind: 'limited', retryAfterMs: Math.max(1, retryAfterMs) };
      } catch (e) {
        bypassed++;
        opts.onBypass?.(e);
        return { kind: 'admitted' };
      }
    },
    bypassed: () => bypassed,
    async close() {},
  };
}
