import { Redis } from 'ioredis';
import type { ClaimLimiter } from '../cache/claim-limiter.js';
import { createMemoryClaimLimiter } from '../cache/memory-claim-limiter.js';
import { createRedisClaimLimiter } from '../cache/redis-claim-limiter.js';

/**
 * The claim limiter for this process: Redis (shared by every instance) with `--redis`, in
 * process otherwise. The Redis client fails fast instead of queueing, so a Redis outage lets
 * claims through (counted, logged at most once a minute) instead of stalling them.
 */
export function createLimiter(
  redisUrl: string | undefined,
  log: (msg: string, err: unknown) => void,
  prefix = 'redpkt:',
): ClaimLimiter & { redisStatus?: () => string } {
  if (!redisUrl) return createMemoryClaimLimiter();
  const redis = new Redis(redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 200,
    lazyConnect: false,
  });
  let lastLog = 0;
  redis.on('error', () => {}); // reported through onBypass when it matters
  const limiter = createRedisClaimLimiter({
    redis,
    prefix,
    onBypass: (e) => {
      if (Date.now() - lastLog < 60_000) return;
      lastLog = Date.now();
      log('claim limiter bypassed: Redis unavailable, claims go on unlimited', e);
    },
  });
  return {
    ...limiter,
    redisStatus: () => redis.status,
    async close() {
      await limiter.close();
      redis.disconnect();
    },
  };
}
