import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFallbackEpisodes } from '../../src/cache/fallback-episodes.js';
import { createMemoryEndpointLimiter } from '../../src/switches/limit/memory-endpoint-limiter.js';
import { createRedisEndpointLimiter } from '../../src/switches/limit/redis-endpoint-limiter.js';
import { slidingWindow } from '../../src/switches/limit/endpoint-limiter.js';
import { redisAvailable, testRedisUrl } from '../support/services.js';
import { endpointLimiterContract } from './endpoint-limiter.contract.js';

endpointLimiterContract('in process', (windowMs) => createMemoryEndpointLimiter({ windowMs }));

describe('the sliding window', () => {
  it('weighs the previous window by the part of it still inside the last second', () => {
    // previous window full (10), half of the current one gone: room for 5 more
    let counter = { w: 1, cur: 10, prev: 0 };
    let admitted = 0;
    for (let i = 0; i < 20; i++) {
      const r = slidingWindow(counter, 10, 1000, 2500);
      counter = { w: r.w, cur: r.cur, prev: r.prev };
      if (r.decision.kind === 'admitted') admitted++;
    }
    expect(admitted).toBe(5);
    const refused = slidingWindow(counter, 10, 1000, 2500).decision;
    expect(refused.kind).toBe('limited');
    // a window that is two windows old counts nothing
    expect(slidingWindow({ w: 0, cur: 10, prev: 10 }, 10, 1000, 2000).decision.kind).toBe('admitted');
  });
});

const hasRedis = await redisAvailable();
describe.skipIf(!hasRedis)('with Redis', () => {
  const prefix = `redpkt:test:${randomBytes(4).toString('hex')}:`;
  const redis = new Redis(testRedisUrl);
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  endpointLimiterContract('Redis', (windowMs) => createRedisEndpointLimiter({ redis, prefix, windowMs }));

  it('shares one budget between instances (two clients, one key)', async () => {
    const other = new Redis(testRedisUrl);
    await other.ping(); // connected: a limiter whose connection is not up yet counts in process
    const a = createRedisEndpointLimiter({ redis, prefix });
    const b = createRedisEndpointLimiter({ redis: other, prefix });
    const ds = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).admit('shared', 12)));
    expect(ds.filter((d) => d.kind === 'admitted')).toHaveLength(12);
    await other.quit();
  });

  it('limits requests in process, counted, while Redis is down (never unlimited)', async () => {
    const dead = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const started: unknown[] = [];
    const limiter = createRedisEndpointLimiter({
      redis: dead,
      prefix,
      episodes: createFallbackEpisodes({ onStart: (e) => started.push(e) }),
    });
    const ds = await Promise.all(Array.from({ length: 3 }, () => limiter.admit('x', 1)));
    expect(ds.map((d) => d.kind)).toEqual(['admitted', 'limited', 'limited']);
    expect([limiter.bypassed(), started.length]).toEqual([3, 1]);
    dead.disconnect();
  });
});
