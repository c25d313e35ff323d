import type { Redis } from 'ioredis';
import type { ClaimLimiter, LimitDecision, LimiterSettings } from './claim-limiter.js';
import { DEFAULT_LIMITER_SETTINGS } from './claim-limiter.js';
import { loadLua, runLua } from './lua-script.js';

const SCRIPT = loadLua('claim-limit-3.lua');
const SET_MIN = loadLua('set-min-1.lua');

export interface RedisClaimLimiterOptions {
  redis: Redis;
  /** Namespaces every key (tests use a random one; shadow traffic its own). */
  prefix: string;
  settings?: LimiterSettings;
  /** How long a packet's remaining count is kept after its last update. */
  remainingTtlMs?: number;
  /** Called when Redis could not be asked and the claim was let through. */
  onBypass?: (error: unknown) => void;
}

/**
 * The cluster-wide limiter: one Lua script per attempt (claim-limit-3.lua). Keys share the hash
 * tag {packetId}, so a Redis Cluster keeps a packet's keys on one slot. If Redis is down or
 * slow, claims go on without the limiter (counted and reported), never fail because of it.
 */
export function createRedisClaimLimiter(opts: RedisClaimLimiterOptions): ClaimLimiter {
  const settings = opts.settings ?? DEFAULT_LIMITER_SETTINGS;
  const remainingTtlMs = opts.remainingTtlMs ?? 48 * 3600_000;
  const keys = (packetId: string) => [
    `${opts.prefix}limit:{${packetId}}:remaining`,
    `${opts.prefix}limit:{${packetId}}:window`,
    `${opts.prefix}limit:{${packetId}}:window-limit`,
  ];
  let bypassed = 0;
  const bypass = (error: unknown): LimitDecision => {
    bypassed++;
    opts.onBypass?.(error);
    return { kind: 'admitted' };
  };

  return {
    async admit(packetId) {
      try {
        const [code, retryAfterMs] = (await runLua(opts.redis, SCRIPT, keys(packetId), [
          String(settings.factor),
          String(settings.windowMs),
        ])) as [number, number];
        if (code === 2) return { kind: 'exhausted' };
        if (code === 0) return { kind: 'limited', retryAfterMs: Math.max(1, retryAfterMs) };
        return { kind: 'admitted' };
      } catch (e) {
        return bypass(e);
      }
    },
    async setRemaining(packetId, remainingCount) {
      try {
        await runLua(
          opts.redis,
          SET_MIN,
          [keys(packetId)[0]!],
          [String(remainingCount), String(remainingTtlMs)],
        );
      } catch (e) {
        opts.onBypass?.(e);
      }
    },
    bypassed: () => bypassed,
    async close() {},
  };
}
