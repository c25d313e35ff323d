/**
 * Coalesces concurrent requests per key into batches: while one batch of a key runs, requests for
 * that key wait and go together into the next one. A rain of draws on one campaign becomes a
 * steady series of transactions, each taking the campaign's lock once, instead of a lock convoy.
 * Keys with nothing waiting are dropped, so memory follows the keys in use right now.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export interface KeyedBatcher<I, O> {
  submit(key: string, item: I): Promise<O>;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
}

interface Waiter<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export function createKeyedBatcher<I, O>(
  run: (key: string, items: I[]) => Promise<O[]>,
  maxBatch: number,
): KeyedBatcher<I, O> {
  const queues = new Map<string, Waiter<I, O>[]>();
  const running = new Set<Promise<void>>();

  async function drain(key: string, waiting: Waiter<I, O>[]): Promise<void> {
    while (waiting.length > 0) {
      // One turn of the event loop first: requests already on their sockets join this batch. A
      // synchronous driver (libsql) runs a whole transaction without ever yielding to I/O, so
      // without this turn every HTTP request would get a batch of its own.
      await yieldToEventLoop();
      const batch = waiting.splice(0, maxBatch);
      try {
        const results = await run(
          key,
          batch.map((w) => w.item),
        );
        batch.forEach((w, i) => {
          if (i < results.length) w.resolve(results[i] as O);
          else w.reject(new Error(`the batch answered ${results.length} of ${batch.length} requests`));
        });
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    queues.delete(key);
  }

  return {
    submit(key, item) {
      return new Promise<O>((resolve, reject) => {
        const waiter = { item, resolve, reject };
        const waiting = queues.get(key);
        if (waiting) {
          waiting.push(waiter);
          return;
        }
        const fresh = [waiter];
        queues.set(key, fresh);
        const loop = drain(key, fresh);
        running.add(loop);
        void loop.finally(() => running.delete(loop));
      });
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
