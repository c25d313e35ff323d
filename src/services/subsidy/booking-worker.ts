/**
 * The booking worker (DESIGN §4, worker role): takes grant messages off the queue at a capped rate
 * (a token bucket, `--booking-rate` per second) and books them in batches, one transaction each,
 * so a rain of 100,000 grants in seconds reaches the database as a steady stream (peak shaving).
 *
 * At-least-once: a batch is acknowledged only after its transaction committed; a crash or a
 * database error leaves it unacknowledged and the queue delivers it again, which books nothing
 * twice (idempotent by out_grant_no, and the guard refuses a grant replayed under another uid).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { openSubsidyToken } from '../../auth/subsidy-token.js';
import { pauseOn, systemClock, type Clock } from '../../domain/clock.js';
import type { GrantQueue, PacketStore, QueueMessage } from '../../domain/ports.js';
import type { SealedGrant } from '../../domain/subsidy.js';
import { createTokenBucket } from './token-bucket.js';

export interface BookingStats {
  /** Grants written by this worker. */
  booked: number;
  /** Already booked (a redelivered message, or the send path booked it first). */
  duplicates: number;
  /** Refused: the grant is booked for another uid or token. */
  conflicts: number;
  /** Messages whose token did not open (tampered, or sealed with another key or lane's key): dropped. */
  invalid: number;
  /** Batches that failed and were left for redelivery. */
  failures: number;
}

export interface BookingWorker {
  /** Grants per second from now on; 0 pauses booking (messages wait on the queue). */
  setRate(ratePerSec: number): void;
  stats(): BookingStats;
  stop(): Promise<void>;
}

export interface BookingWorkerOptions {
  queue: GrantQueue;
  store: Pick<PacketStore, 'bookSubsidies'>;
  /** The lane's own token key (subsidyTokenKey(secret, lane)): another lane's grants never book here. */
  tokenKey: Buffer;
  now: () => number;
  /** Issue 24: the rate's clock and the pause after a failure; default the system clock. */
  clock?: Clock;
  ratePerSec: number;
  /** Most grants in one transaction. Default 500. */
  maxBatch?: number;
  /** How long one receive waits on an empty queue. Default 200 ms. */
  waitMs?: number;
  /** Pause after a failed batch. Default 500 ms. */
  failureBackoffMs?: number;
  log: (msg: string, err: unknown) => void;
}

/** One round of booking: what the loop runs, and the simulation drives directly (issue 24). */
export interface Booker {
  /** Receives up to `max` messages and books them; acknowledged only once committed. A throw leaves them for redelivery. */
  bookOnce(max: number, waitMs: number): Promise<number>;
  stats: BookingStats;
}

export function createBooker(
  opts: Pick<BookingWorkerOptions, 'queue' | 'store' | 'tokenKey' | 'now' | 'log'>,
): Booker {
  const stats: BookingStats = { booked: 0, duplicates: 0, conflicts: 0, invalid: 0, failures: 0 };
  async function book(messages: QueueMessage[]): Promise<void> {
    const grants: SealedGrant[] = [];
    for (const m of messages) {
      try {
        grants.push({ ...openSubsidyToken(opts.tokenKey, m.payload), token: m.payload });
      } catch (e) {
        stats.invalid++;
        opts.log(`booking: dropped message ${m.id}: its token does not open`, e);
      }
    }
    const results = await opts.store.bookSubsidies(grants, opts.now());
    for (const r of results) {
      if (r.outcome === 'booked') stats.booked++;
      else if (r.outcome === 'duplicate') stats.duplicates++;
      else {
        stats.conflicts++;
        opts.log(`booking: grant ${r.outGrantNo} is booked for another uid or token; refused`, r);
      }
    }
    await opts.queue.ack(messages.map((m) => m.id));
  }
  return {
    stats,
    async bookOnce(max, waitMs) {
      const messages = await opts.queue.receive(max, waitMs);
      if (messages.length > 0) await book(messages);
      return messages.length;
    },
  };
}

export function startBookingWorker(opts: BookingWorkerOptions): BookingWorker {
  const clock = opts.clock ?? systemClock;
  const bucket = createTokenBucket({
    ratePerSec: opts.ratePerSec,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const maxBatch = opts.maxBatch ?? 500;
  const booker = createBooker(opts);
  const { stats } = booker;
  const stopping = new AbortController();
  const pause = (ms: number) => pauseOn(clock, ms, stopping.signal);
  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      // With a synchronous driver under the promises (libsql), a busy loop would never leave the
      // microtask queue: yield once a round so timers and requests keep being served.
      await yieldToEventLoop();
      const allowed = await bucket.take(maxBatch, stopping.signal);
      if (allowed === 0) continue;
      try {
        const got = await booker.bookOnce(allowed, opts.waitMs ?? 200);
        bucket.giveBack(allowed - got);
      } catch (e) {
        if (stopping.signal.aborted) break;
        stats.failures++;
        opts.log('booking: a batch failed; the queue delivers it again', e);
        await pause(opts.failureBackoffMs ?? 500);
      }
    }
  }
  const running = loop();
  return {
    setRate: (ratePerSec) => bucket.setRate(ratePerSec),
    stats: () => ({ ...stats }),
    async stop() {
      stopping.abort();
      await running;
    },
  };
}
