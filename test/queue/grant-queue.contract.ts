/** Issue 3: the GrantQueue contract, run against the embedded (SQLite) and the Redis adapter. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantQueue } from '../../src/domain/ports.js';

export interface QueueHarness {
  /** A queue on a fresh store (file or key prefix) with this visibility timeout. */
  open(visibilityMs: number): Promise<GrantQueue>;
  /** A second consumer on the same store. */
  another(): Promise<GrantQueue>;
  cleanup(): Promise<void>;
}

const payloads = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);

/** Receives until `n` messages arrived or `ms` passed. */
async function drain(queue: GrantQueue, n: number, ms = 3_000) {
  const got = [];
  const until = Date.now() + ms;
  while (got.length < n && Date.now() < until) got.push(...(await queue.receive(n - got.length, 100)));
  return got;
}

export function grantQueueContract(name: string, factory: () => Promise<QueueHarness>) {
  describe(`grant queue (${name})`, () => {
    let h: QueueHarness;
    let queue: GrantQueue;
    beforeAll(async () => {
      h = await factory();
      queue = await h.open(400);
    });
    afterAll(async () => {
      await queue?.close();
      await h?.cleanup();
    });

    it('delivers what was published, in order, and forgets what was acknowledged', async () => {
      const sent = payloads(25, 'order');
      await queue.publish(sent);
      expect(await queue.depth()).toBe(25);

      const got = await drain(queue, 25);
      expect(got.map((m) => m.payload)).toStrictEqual(sent);
      expect(await queue.depth()).toBe(25); // received is not done
      await queue.ack(got.map((m) => m.id));

      expect(await queue.depth()).toBe(0);
      await new Promise((r) => setTimeout(r, 500)); // past the visibility timeout
      expect(await queue.receive(10, 0)).toStrictEqual([]);
    });

    it('delivers an unacknowledged message again once its visibility timeout passed, not before', async () => {
      await queue.publish(['lost-1', 'lost-2']);
      const first = await drain(queue, 2);
      expect(first.map((m) => m.payload)).toStrictEqual(['lost-1', 'lost-2']);
      await queue.ack([first[0]!.id]);

      expect(await queue.receive(10, 150)).toStrictEqual([]);
      await new Promise((r) => setTimeout(r, 450));
      const again = await drain(queue, 1);
      expect(again.map((m) => m.payload)).toStrictEqual(['lost-2']);
      await queue.ack(again.map((m) => m.id));
      expect(await queue.depth()).toBe(0);
    });

    it('never hands one message to two consumers at once', async () => {
      const other = await h.another();
      try {
        const sent = payloads(300, 'split');
        await queue.publish(sent);
        const take = async (q: GrantQueue) => {
          const mine: string[] = [];
          for (let idle = 0; idle < 3;) {
            const batch = await q.receive(17, 50);
            if (batch.length === 0) idle++;
            mine.push(...batch.map((m) => m.payload));
            await q.ack(batch.map((m) => m.id));
          }
          return mine;
        };
        const [a, b] = await Promise.all([take(queue), take(other)]);
        expect([...a, ...b].sort()).toStrictEqual([...sent].sort());
        expect(a.length).toBeGreaterThan(0);
        expect(b.length).toBeGreaterThan(0);
      } finally {
        await other.close();
      }
    });

    it('wakes a waiting receive when a message arrives', async () => {
      const started = Date.now();
      const waiting = queue.receive(5, 3_000);
      setTimeout(() => void queue.publish(['late']), 100);
      const got = await waiting;
      expect(got.map((m) => m.payload)).toStrictEqual(['late']);
      expect(Date.now() - started).toBeLessThan(2_000);
      await queue.ack(got.map((m) => m.id));
    });
  });
}
