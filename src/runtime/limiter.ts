import { Redis } from 'ioredis';
import type { ClaimLimiter } from '../cache/claim-limiter.js';
import { loggedEpisodes } from '../cache/fallback-episodes.js';
import { createMemoryClaimLimiter } from '../cache/memory-claim-limiter.js';
import { createRedisClaimLimiter } from '../cache/redis-claim-limiter.js';

/**
 * The claim limiter for this process: Redis (shared by every instance) with `--redis`, in
 * process otherwise. The Redis client fails fast instead of queueing, so while Redis is down,
 * slow or still connecting (right after a restart) the in-process twin limits the claims
 * (issue 19): counted in `redpkt_limiter_bypassed{limiter="packet"}`, logged once when it
 * starts and once when Redis answers again.
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
  redis.on('error', () => {}); // reported once per outage by the episodes below
  const limiter = createRedisClaimLimiter({
    redis,
    prefix,
    episodes: loggedEpisodes('claim limiter', 'claims', log),
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
