import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createWriteQueue } from './write-queue.js';

describe('createWriteQueue', () => {
  it('runs one job at a time, in arrival order, and carries on after a failure', async () => {
    const queue = createWriteQueue();
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await sleep(i % 3);
      order.push(i);
      running--;
      if (i === 4) throw new Error('job 4 fails');
      return i;
    };

    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => queue.run(job(i))));

    expect(most).toBe(1);
    expect(order).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results[4]?.status).toBe('rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(9);
  });

  it('is idle only once everything queued has settled', async () => {
    const queue = createWriteQueue();
    let done = false;
    void queue.run(async () => {
      await sleep(5);
      done = true;
    });
    await queue.idle();
    expect(done).toBe(true);
  });
});
