/**
 * A token bucket: `ratePerSec` tokens a second, at most `burst` saved up. The booking worker takes
 * one token per grant it books, so a rain of grants reaches the database as a steady stream.
 */
import { pauseOn, systemClock, type Clock } from '../../domain/clock.js';

export interface TokenBucket {
  /**
   * Waits until at least one token is there, then takes up to `max` of them and says how many.
   * Resolves 0 when `signal` aborts.
   */
  take(max: number, signal?: AbortSignal): Promise<number>;
  /** Returns tokens taken but not used (never above the burst). */
  giveBack(n: number): void;
  /** A new rate from now on; 0 pauses. */
  setRate(ratePerSec: number): void;
  rate(): number;
}

export interface TokenBucketOptions {
  ratePerSec: number;
  /** Tokens that may be saved up while idle; default 50 ms worth (at least 1). */
  burst?: number;
  now?: () => number;
  /**
   * Issue 24: the clock its waits run on, and its time when `now` is not given. Default: the
   * system's timers over `performance.now()`.
   */
  clock?: Clock;
  /** Longest single wait, so a new rate or an abort is noticed soon. Default 50 ms. */
  maxWaitMs?: number;
}

/** The signal of a wait nobody can cut short. */
const NEVER = new AbortController().signal;

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const now = options.now ?? options.clock?.now ?? (() => performance.now());
  const clock = options.clock ?? systemClock;
  const maxWaitMs = options.maxWaitMs ?? 50;
  let rate = options.ratePerSec;
  // paused (rate 0): nothing may be saved up, not even tokens given back
  const capacity = () => (rate === 0 ? 0 : (options.burst ?? Math.max(1, Math.ceil(rate / 20))));
  let tokens = 0;
  let last = now();

  const refill = () => {
    const at = now();
    tokens = Math.min(capacity(), tokens + ((at - last) * rate) / 1000);
    last = at;
  };

  return {
    async take(max, signal) {
      for (;;) {
        if (signal?.aborted) return 0;
        refill();
        if (tokens >= 1) {
          const n = Math.min(max, Math.floor(tokens));
          tokens -= n;
          return n;
        }
        const waitMs = rate > 0 ? Math.ceil(((1 - tokens) * 1000) / rate) : maxWaitMs;
        // an abort ends the wait at once; the loop's first line then answers 0
        await pauseOn(clock, Math.max(1, Math.min(maxWaitMs, waitMs)), signal ?? NEVER);
      }
    },
    giveBack(n) {
      refill();
      tokens = Math.min(capacity(), tokens + n);
    },
    setRate(ratePerSec) {
      refill();
      rate = ratePerSec;
      tokens = Math.min(tokens, capacity());
    },
    rate: () => rate,
  };
}
