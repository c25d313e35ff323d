import { describe, expect, it } from 'vitest';
import { createKeyedBatcher } from './keyed-batcher.js';

describe('keyed batcher', () => {
  it('runs one batch per key at a time and coalesces whoever waited into the next', async () => {
    const batches: string[][] = [];
    let running = 0;
    const batcher = createKeyedBatcher<string, string>(async (key, items) => {
      running++;
      expect(running).toBe(1);
      batches.push(items);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return items.map((i) => `${key}:${i}`);
    }, 3);

    const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((i) => batcher.submit('k', i)));

    expect(results).toStrictEqual(['k:a', 'k:b', 'k:c', 'k:d', 'k:e']);
    // requests of one event-loop turn go together, split by maxBatch
    expect(batches).toStrictEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    await batcher.idle();
  });

  it('puts whoever arrives while a batch runs into the next batch', async () => {
    const batches: number[][] = [];
    const batcher = createKeyedBatcher<number, number>(async (_key, items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 10));
      return items;
    }, 100);
    const first = batcher.submit('k', 1);
    await new Promise((r) => setTimeout(r, 2)); // the first batch is running now
    await Promise.all([first, batcher.submit('k', 2), batcher.submit('k', 3)]);
    expect(batches).toStrictEqual([[1], [2, 3]]);
  });

  it('fails only the batch that failed, and keeps serving the key', async () => {
    let calls = 0;
    const batcher = createKeyedBatcher<number, number>(async (_key, items) => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return items.map((i) => i * 2);
    }, 10);
    await expect(batcher.submit('k', 1)).rejects.toThrow('boom');
    expect(await batcher.submit('k', 2)).toBe(4);
  });

  it('runs different keys in parallel', async () => {
    const order: string[] = [];
    const batcher = createKeyedBatcher<string, string>(async (key, items) => {
      order.push(`start ${key}`);
      await new Promise((r) => setTimeout(r, key === 'slow' ? 30 : 1));
      order.push(`end ${key}`);
      return items;
    }, 10);
    await Promise.all([batcher.submit('slow', 'x'), batcher.submit('fast', 'y')]);
    expect(order).toStrictEqual(['start slow', 'start fast', 'end fast', 'end slow']);
  });
});
