import type { Redis } from 'ioredis';
import type { ClaimLimiter, LimitDecision, LimiterSettings } from './claim-limiter.js';
import { DEFAULT_LIMITER_SETTINGS } from './claim-limiter.js';
import { createFallbackEpisodes, notConnected, type FallbackEpisodes } from './fallback-episodes.js';
import { loadLua, runLua } from './lua-script.js';
import { createMemoryClaimLimiter } from './memory-claim-limiter.js';

const SCRIPT = loadLua('claim-limit-3.lua');
const SET_MIN = loadLua('set-min-1.lua');

export interface RedisClaimLimiterOptions {
  redis: Redis;
  /** Namespaces every key (tests use a random one; shadow traffic its own). */
  prefix: string;
  settings?: LimiterSettings;
  /** How long a packet's remaining count is kept after its last update. */
  remainingTtlMs?: number;
  /** Who decides while Redis cannot be asked (default: the in-process twin, same settings). */
  fallback?: ClaimLimiter;
  /** Counts the fallen-back decisions and reports each outage once (default: counts only). */
  episodes?: FallbackEpisodes;
}

/**
 * The cluster-wide limiter: one Lua script per attempt (claim-limit-3.lua). Keys share the hash
 * tag {packetId}, so a Redis Cluster keeps a packet's keys on one slot. If Redis is down or slow
 * (or not connected yet, right after a restart), the in-process twin decides (issue 19): a
 * packet's claims meet on one core, so its limit is nearly the shared one, and never "unlimited".
 * The twin is told every remaining count too, so it knows the packets when it has to take over.
 */
export function createRedisClaimLimiter(opts: RedisClaimLimiterOptions): ClaimLimiter {
  const settings = opts.settings ?? DEFAULT_LIMITER_SETTINGS;
  const remainingTtlMs = opts.remainingTtlMs ?? 48 * 3600_000;
  const local = opts.fallback ?? createMemoryClaimLimiter(settings);
  const episodes = opts.episodes ?? createFallbackEpisodes();
  const keys = (packetId: string) => [
    `${opts.prefix}limit:{${packetId}}:remaining`,
    `${opts.prefix}limit:{${packetId}}:window`,
    `${opts.prefix}limit:{${packetId}}:window-limit`,
  ];
  const fallBack = (packetId: string, error: unknown): Promise<LimitDecision> => {
    episodes.fellBack(error);
    return local.admit(packetId);
  };

  return {
    async admit(packetId) {
      // a connection not up fails at once anyway (no offline queue): do not even build the call
      if (opts.redis.status !== 'ready') return fallBack(packetId, notConnected(opts.redis.status));
      let reply: [number, number];
      try {
        reply = (await runLua(opts.redis, SCRIPT, keys(packetId), [
          String(settings.factor),
          String(settings.windowMs),
        ])) as [number, number];
      } catch (e) {
        return fallBack(packetId, e);
      }
      episodes.answered();
      const [code, retryAfterMs] = reply;
      if (code === 2) return { kind: 'exhausted' };
      if (code === 0) return { kind: 'limited', retryAfterMs: Math.max(1, retryAfterMs) };
      return { kind: 'admitted' };
    },
    async setRemaining(packetId, remainingCount) {
      await local.setRemaining(packetId, remainingCount);
      if (opts.redis.status !== 'ready') return;
      try {
        await runLua(
          opts.redis,
          SET_MIN,
          [keys(packetId)[0]!],
          [String(remainingCount), String(remainingTtlMs)],
        );
      } catch {
        // the twin has it; the next admit reports the outage if it lasts
      }
    },
    bypassed: () => episodes.count(),
    async close() {
      await local.close();
    },
  };
}
