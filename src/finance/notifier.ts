/**
 * Signed callbacks: after an order reaches a final state, POST a ProviderEvent to its notifyUrl.
 * Fire and forget (the API answer never waits), retried with backoff, shaped by the callback knobs.
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { ProviderEvent } from '../domain/ports.js';
import type { Knobs } from './knobs.js';
import type { Random } from './random.js';
import { chance } from './random.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from './signature.js';
import type { StoredOrder } from './store/types.js';
import { toProviderOrder } from './wire.js';

export interface NotifierOptions {
  secret: string;
  knobs: Knobs;
  random: Random;
  now?: () => number;
  /** Attempts per delivery, the first included. Default 4. */
  attempts?: number;
  /** Backoff before retry n is backoffMs * 2^(n-1). Default 200 ms. */
  backoffMs?: number;
  /** Per attempt. Default 5 s. */
  timeoutMs?: number;
  log?: (msg: string, err: unknown) => void;
}

export interface CallbackStats {
  /** Events that reached a final state and were due a callback. */
  events: number;
  dropped: number;
  /** Deliveries (a duplicated event counts twice) that got a 2xx. */
  delivered: number;
  failedAttempts: number;
  /** Deliveries abandoned after the last attempt. */
  givenUp: number;
}

export interface Notifier {
  /** Schedules the callback of a final order; never throws, never waits. */
  notify(order: StoredOrder): void;
  /** Resolves once every scheduled delivery has finished (delivered or given up). */
  idle(): Promise<void>;
  stats(): CallbackStats;
  /** Cancels pending deliveries and closes connections. */
  close(): Promise<void>;
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const now = opts.now ?? Date.now;
  const attempts = opts.attempts ?? 4;
  const backoffMs = opts.backoffMs ?? 200;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const log = opts.log ?? (() => {});
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 32 });
  const stopping = new AbortController();
  // every pending delivery listens on it (duplicated and delayed callbacks: many at once)
  setMaxListeners(0, stopping.signal);
  const inFlight = new Set<Promise<void>>();
  const counters: CallbackStats = { events: 0, dropped: 0, delivered: 0, failedAttempts: 0, givenUp: 0 };

  async function attempt(url: string, body: string): Promise<boolean> {
    const ts = String(now());
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]);
    const res = await request(url, {
      method: 'POST',
      dispatcher: agent,
      signal,
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: ts,
        [SIGNATURE_HEADER]: signPayload(opts.secret, body, ts),
      },
      body,
    });
    await res.body.dump();
    return res.statusCode >= 200 && res.statusCode < 300;
  }

  async function deliver(url: string, body: string, delayMs: number): Promise<void> {
    if (delayMs > 0) await sleep(delayMs, undefined, { signal: stopping.signal });
    for (let n = 1; n <= attempts; n++) {
      try {
        if (await attempt(url, body)) {
          counters.delivered++;
          return;
        }
      } catch (e) {
        if (stopping.signal.aborted) return;
        log(`callback attempt ${n} to ${url} failed`, e);
      }
      counters.failedAttempts++;
      if (n < attempts) await sleep(backoffMs * 2 ** (n - 1), undefined, { signal: stopping.signal });
    }
    counters.givenUp++;
    log(`callback to ${url} given up after ${attempts} attempts`, undefined);
  }

  function track(p: Promise<void>): void {
    const done = p.catch(() => {}); // an abort on close() is the only way to get here
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  }

  return {
    notify(order) {
      if (stopping.signal.aborted) return;
      counters.events++;
      const knobs = opts.knobs.get();
      if (chance(opts.random, knobs.dropCallbacks)) {
        counters.dropped++;
        return;
      }
      const sentAt = now();
      const event: ProviderEvent = {
        // Stable per order state, so a receiver can de-duplicate retries and duplicates.
        eventId: `${order.orderNo}:${order.status}:${order.txnId ?? ''}`,
        type: 'order.updated',
        order: toProviderOrder(order),
        sentAt,
      };
      const body = JSON.stringify(event);
      const copies = chance(opts.random, knobs.duplicateCallbacks) ? 2 : 1;
      for (let i = 0; i < copies; i++) {
        track(deliver(order.notifyUrl, body, Math.floor(opts.random() * knobs.callbackDelayMs)));
      }
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    stats: () => ({ ...counters }),
    async close() {
      stopping.abort();
      await Promise.all(inFlight);
      await agent.close();
    },
  };
}
