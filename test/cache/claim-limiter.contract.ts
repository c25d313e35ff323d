import { describe, expect, it } from 'vitest';
import type { ClaimLimiter } from '../../src/cache/claim-limiter.js';

let n = 0;
const packet = () => `P00LIMIT${process.pid}${Date.now()}${++n}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One behaviour, two twins: the Redis script and the in-process limiter. */
export function claimLimiterContract(name: string, make: (windowMs: number) => ClaimLimiter) {
  describe(`claim limiter (${name})`, () => {
    it('admits claims on a packet whose remaining count it does not know', async () => {
      const limiter = make(1000);
      const id = packet();
      const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.admit(id)));
      expect(decisions.every((d) => d.kind === 'admitted')).toBe(true);
    });

    it('passes at most remaining x 1.5 claims per window and tells the rest when to retry', async () => {
      const limiter = make(1000);
      const id = packet();
      await limiter.setRemaining(id, 10);
      const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.admit(id)));
      expect(decisions.filter((d) => d.kind === 'admitted')).toHaveLength(15);
      const limited = decisions.filter((d) => d.kind === 'limited');
      expect(limited).toHaveLength(25);
      for (const d of limited) {
        if (d.kind !== 'limited') continue;
        expect(d.retryAfterMs).toBeGreaterThan(0);
        expect(d.retryAfterMs).toBeLessThanOrEqual(1000);
      }
    });

    it('opens a fresh window once the last one has passed', async () => {
      const limiter = make(100);
      const id = packet();
      await limiter.setRemaining(id, 2);
      const first = await Promise.all(Array.from({ length: 5 }, () => limiter.admit(id)));
      expect(first.filter((d) => d.kind === 'admitted')).toHaveLength(3);
      await sleep(150);
      const second = await Promise.all(Array.from({ length: 5 }, () => limiter.admit(id)));
      expect(second.filter((d) => d.kind === 'admitted')).toHaveLength(3);
    });

    it('follows the remaining count as claims land, and knows an exhausted packet', async () => {
      const limiter = make(1000);
      const id = packet();
      await limiter.setRemaining(id, 100);
      await limiter.setRemaining(id, 1);
      await limiter.setRemaining(id, 7); // a late answer of an earlier claim cannot raise it
      const decisions = await Promise.all(Array.from({ length: 5 }, () => limiter.admit(id)));
      expect(decisions.filter((d) => d.kind === 'admitted')).toHaveLength(2);
      await limiter.setRemaining(id, 0);
      expect(await limiter.admit(id)).toEqual({ kind: 'exhausted' });
    });

    it('sizes a window when it opens: the claims it lets through do not shrink its own limit', async () => {
      const limiter = make(1000);
      const id = packet();
      await limiter.setRemaining(id, 3); // a packet just sent: 3 shares -> 5 attempts this window
      expect(await Promise.all([1, 2, 3].map(() => limiter.admit(id)))).toStrictEqual(
        Array.from({ length: 3 }, () => ({ kind: 'admitted' })),
      );
      await limiter.setRemaining(id, 1); // two of them were answered
      const more = await Promise.all(Array.from({ length: 4 }, () => limiter.admit(id)));
      expect(more.filter((d) => d.kind === 'admitted')).toHaveLength(2);
    });

    it('keeps packets apart', async () => {
      const limiter = make(1000);
      const [a, b] = [packet(), packet()];
      await limiter.setRemaining(a, 1);
      await limiter.setRemaining(b, 4);
      const ra = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(a)));
      const rb = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(b)));
      expect(ra.filter((d) => d.kind === 'admitted')).toHaveLength(2);
      expect(rb.filter((d) => d.kind === 'admitted')).toHaveLength(6);
    });
  });
}
