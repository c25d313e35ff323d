import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { createRedisGrantQueue } from '../../src/queue/redis-grant-queue.js';
import { redisAvailable, testRedisUrl } from '../support/services.js';
import { grantQueueContract } from './grant-queue.contract.js';

describe.skipIf(!(await redisAvailable()))('on Redis', () => {
  grantQueueContract('Redis stream', async () => {
    // a random prefix per run: nothing here can touch another run's (or real) keys
    const keyPrefix = `redpkt_test:${randomBytes(4).toString('hex')}:`;
    let visibilityMs = 30_000;
    return {
      open: async (ms) =>
        createRedisGrantQueue({ url: testRedisUrl, keyPrefix, visibilityMs: (visibilityMs = ms) }),
      another: () => createRedisGrantQueue({ url: testRedisUrl, keyPrefix, visibilityMs }),
      async cleanup() {
        const redis = new Redis(testRedisUrl);
        try {
          const keys = await redis.keys(`${keyPrefix}*`);
          if (keys.length > 0) await redis.del(...keys);
        } finally {
          redis.disconnect();
        }
      },
    };
  });
});
