/**
 * A token bucket: `ratePerSec` tokens a second, at most `burst` saved up. The booking worker takes
 * one token per grant it books, so a rain of grants reaches the database as a steady stream.
 */
import { setTimeout as sleep } from 'node:timers/promises';

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
  /** Longest single wait, so a new rate or an abort is noticed soon. Default 50 ms. */
  maxWaitMs?: number;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const now = options.now ?? (() => performance.now());
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
        try {
          await sleep(Math.max(1, Math.min(maxWaitMs, waitMs)), undefined, signal ? { signal } : undefined);
        } catch {
          return 0; // aborted
        }
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
