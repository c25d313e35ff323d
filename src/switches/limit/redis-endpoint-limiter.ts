import type { Redis } from 'ioredis';
import {
  createFallbackEpisodes,
  notConnected,
  type FallbackEpisodes,
} from '../../cache/fallback-episodes.js';
import { loadLua, runLua } from '../../cache/lua-script.js';
import type { EndpointDecision, EndpointLimiter } from './endpoint-limiter.js';
import { ENDPOINT_WINDOW_MS } from './endpoint-limiter.js';
import { createMemoryEndpointLimiter } from './memory-endpoint-limiter.js';

const SCRIPT = loadLua('endpoint-limit-1.lua');

export interface RedisEndpointLimiterOptions {
  redis: Redis;
  /** Namespaces every key (tests use a random one). */
  prefix: string;
  windowMs?: number;
  /** Who decides while Redis cannot be asked (default: the in-process twin, same window). */
  fallback?: EndpointLimiter;
  /** Counts the fallen-back decisions and reports each outage once (default: counts only). */
  episodes?: FallbackEpisodes;
}

/**
 * The cluster-wide twin: one Lua call per request (endpoint-limit-1.lua), one key per endpoint.
 * If Redis is down, slow or not connected yet, this instance's in-process twin applies the limit
 * (issue 19, as the claim limiter does): each instance then allows the whole limit by itself, so
 * a fleet of N lets up to N times the limit through while Redis is away, never unlimited.
 */
export function createRedisEndpointLimiter(opts: RedisEndpointLimiterOptions): EndpointLimiter {
  const windowMs = opts.windowMs ?? ENDPOINT_WINDOW_MS;
  const local = opts.fallback ?? createMemoryEndpointLimiter({ windowMs });
  const episodes = opts.episodes ?? createFallbackEpisodes();
  const fallBack = (endpoint: string, perWindow: number, error: unknown) => {
    episodes.fellBack(error);
    return local.admit(endpoint, perWindow);
  };
  return {
    async admit(endpoint, perWindow): Promise<EndpointDecision> {
      if (opts.redis.status !== 'ready')
        return fallBack(endpoint, perWindow, notConnected(opts.redis.status));
      let reply: [number, number];
      try {
        reply = (await runLua(
          opts.redis,
          SCRIPT,
          [`${opts.prefix}elimit:{${endpoint}}`],
          [String(perWindow), String(windowMs)],
        )) as [number, number];
      } catch (e) {
        return fallBack(endpoint, perWindow, e);
      }
      episodes.answered();
      const [code, retryAfterMs] = reply;
      return code === 1 ? { kind: 'admitted' } : { kind: 'limited', retryAfterMs: Math.max(1, retryAfterMs) };
    },
    bypassed: () => episodes.count(),
    async close() {
      await local.close();
    },
  };
}
