import { describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import { createTokenBucket } from './token-bucket.js';

/** A clock that moves only when told; its timers fire then. */
function manualClock(): Clock & { advance(ms: number): void } {
  let t = 1_000;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return timer as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      timers = timers.filter((x) => x !== (handle as unknown));
    },
    advance(ms) {
      t += ms;
      const due = timers.filter((x) => x.at <= t);
      timers = timers.filter((x) => x.at > t);
      for (const x of due) x.fn();
    },
  };
}

describe('token bucket', () => {
  it('hands out tokens at the configured rate, whatever the demand', async () => {
    const bucket = createTokenBucket({ ratePerSec: 1000 });
    const started = performance.now();
    let taken = 0;
    while (performance.now() - started < 300) taken += await bucket.take(1_000_000);
    const elapsed = performance.now() - started;
    const expected = (1000 * elapsed) / 1000;
    expect(taken / expected).toBeGreaterThan(0.8);
    expect(taken / expected).toBeLessThan(1.2);
  });

  it('saves up at most the burst while idle, and never more than asked', async () => {
    let clock = 0;
    const bucket = createTokenBucket({ ratePerSec: 100, burst: 10, now: () => clock });
    clock = 60_000;
    expect(await bucket.take(1_000)).toBe(10);
    clock += 50; // 5 tokens
    expect(await bucket.take(3)).toBe(3);
    bucket.giveBack(100);
    expect(await bucket.take(1_000)).toBe(10);
  });

  it('pauses at rate 0 until the rate changes, and answers 0 once aborted', async () => {
    const bucket = createTokenBucket({ ratePerSec: 0, maxWaitMs: 5 });
    const abort = new AbortController();
    const waiting = bucket.take(10, abort.signal);
    await new Promise((r) => setTimeout(r, 30));
    bucket.giveBack(5); // tokens given back while paused are not kept
    await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    expect(await waiting).toBe(0);
    bucket.setRate(1000);
    expect(await bucket.take(1)).toBe(1);
  });

  it('waits on the clock it is given (issue 24): a token comes when that clock has moved, not before', async () => {
    const clock = manualClock();
    const bucket = createTokenBucket({ ratePerSec: 1, burst: 1, clock });
    let got: number | undefined;
    const taking = bucket.take(5).then((n) => (got = n));
    const turns = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await turns();
    expect(got).toBeUndefined();
    clock.advance(1_000); // one token at 1 a second, on this clock alone
    await turns();
    expect(got).toBe(1);
    await taking;
  });
});
