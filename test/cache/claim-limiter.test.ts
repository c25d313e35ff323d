import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFallbackEpisodes } from '../../src/cache/fallback-episodes.js';
import { createMemoryClaimLimiter } from '../../src/cache/memory-claim-limiter.js';
import { createRedisClaimLimiter } from '../../src/cache/redis-claim-limiter.js';
import { redisAvailable, testRedisUrl } from '../support/services.js';
import { claimLimiterContract } from './claim-limiter.contract.js';

claimLimiterContract('in process', (windowMs) => createMemoryClaimLimiter({ factor: 1.5, windowMs }));

describe('the in-process limiter', () => {
  it('forgets the least recently used packets beyond its bound, so memory stays flat', async () => {
    const limiter = createMemoryClaimLimiter({ factor: 1.5, windowMs: 1000 }, { maxPackets: 100 });
    for (let i = 0; i < 10_000; i++) await limiter.setRemaining(`p${i}`, 0);
    // the newest are remembered, the oldest forgotten (unknown = admitted)
    expect(await limiter.admit('p9999')).toEqual({ kind: 'exhausted' });
    expect(await limiter.admit('p0')).toEqual({ kind: 'admitted' });
  });

  it('never forgets a packet that is touched often, however many others pass', async () => {
    const limiter = createMemoryClaimLimiter({ factor: 1.5, windowMs: 1000 }, { maxPackets: 100 });
    await limiter.setRemaining('hot', 0);
    for (let i = 0; i < 10_000; i++) {
      await limiter.setRemaining(`p${i}`, 0);
      // touched once every 40 other packets (as every claim's answer does): well inside the bound of 100
      if (i % 40 === 0) {
        // still known (admit of an exhausted packet reads without touching)
        expect(await limiter.admit('hot')).toEqual({ kind: 'exhausted' });
        await limiter.setRemaining('hot', 0);
      }
    }
    expect(await limiter.admit('hot')).toEqual({ kind: 'exhausted' });
    expect(await limiter.admit('p0')).toEqual({ kind: 'admitted' });
  });
});

const hasRedis = await redisAvailable();
describe.skipIf(!hasRedis)('with Redis', () => {
  const prefix = `redpkt:test:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(testRedisUrl, { lazyConnect: false });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  claimLimiterContract('Redis', (windowMs) =>
    createRedisClaimLimiter({ redis, prefix, settings: { factor: 1.5, windowMs } }),
  );

  it('limits claims in process, counted, while Redis is down (never unlimited), one episode', async () => {
    const dead = new Redis({
      port: 1,
      host: '127.0.0.1',
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const started: unknown[] = [];
    const episodes = createFallbackEpisodes({ onStart: (e) => started.push(e) });
    const limiter = createRedisClaimLimiter({
      redis: dead,
      prefix,
      settings: { factor: 1.5, windowMs: 60_000 },
      episodes,
    });
    await limiter.setRemaining('P00X', 2);
    const decisions = await Promise.all(Array.from({ length: 5 }, () => limiter.admit('P00X')));
    // ceil(2 × 1.5) = 3 pass in the window, the rest are told to retry
    expect(decisions.map((d) => d.kind)).toEqual(['admitted', 'admitted', 'admitted', 'limited', 'limited']);
    expect([limiter.bypassed(), started.length, episodes.active()]).toEqual([5, 1, true]);
    dead.disconnect();
  });
});
