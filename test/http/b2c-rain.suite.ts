/** Issue 3: a red-packet rain end to end: 20,000 grants at once, booked as a steady stream. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../support/service.js';
import type { B2cHarness } from './b2c-support.js';
import { eventually, startB2cHarness } from './b2c-support.js';

const GRANTS = 20_000;
// the booking cap under test; the test asserts the cap is never exceeded, not how close a busy
// machine comes to it
const RATE = 1_000;

export function b2cRainSuite(backend: Backend) {
  describe(`red-packet rain (${backend})`, () => {
    let h: B2cHarness;
    beforeAll(async () => {
      h = await startB2cHarness(backend, RATE);
    });
    afterAll(async () => {
      await h?.stop();
    });

    it(
      'answers 20,000 draws at once, books them at the configured rate, and every grant exactly once',
      { timeout: 300_000 },
      async () => {
        const { booking, queue } = h.t.service.subsidy;
        const campaign = await h.campaign({ minAmount: 1, maxAmount: 10 });
        const uids = Array.from({ length: GRANTS }, (_, i) => `rain-${i % 2_000}`); // 10 draws a user

        // The rain's peak comes straight into the issuer (the route's own use case): a test client
        // sharing this process's two cores could not send 20,000 requests faster than the database
        // books them. The HTTP route itself is exercised by the other suites.
        const started = performance.now();
        const answers = await Promise.all(uids.map((uid) => h.t.service.finance.rain.draw(campaign, uid)));
        const bookedAtAnswer = await h.booked(campaign);
        // measured after the count was read, so the interval covers everything the count saw
        const drawSeconds = (performance.now() - started) / 1000;

        // every draw answered with its token at once, without waiting for its booking
        const tokens = answers.flatMap((a) => (a.won ? [a.grant] : []));
        expect(tokens).toHaveLength(GRANTS);
        // peak shaving: while the draws came in, the database saw at most the capped rate (whether
        // the draws outran the booking is a speed: a busy machine may draw slower than the cap)
        expect(bookedAtAnswer).toBeLessThanOrEqual(RATE * drawSeconds * 1.25 + RATE / 10);

        // Over a window while a backlog waits, the booking never goes past its cap (an upper bound:
        // a busy machine books slower, never faster), and it keeps going. How close to the cap it
        // gets is a speed, measured by the benchmarks, not asserted here (issue 18).
        // t0 before the first count and the end after the second: the measured interval covers
        // the true one, however long the counts take on a busy machine
        const t0 = performance.now();
        const c0 = await h.booked(campaign);
        await new Promise((r) => setTimeout(r, 1_000));
        const c1 = await h.booked(campaign);
        const seconds = (performance.now() - t0) / 1000;
        expect(c1 - c0).toBeLessThanOrEqual(RATE * seconds * 1.25 + RATE / 10);
        expect(await eventually(async () => (await h.booked(campaign)) > c1 || c1 === GRANTS, 30_000)).toBe(
          true,
        );

        // then drain fast: all booked, once each, with the amounts the issuer granted
        booking.setRate(1_000_000);
        expect(await eventually(async () => (await h.booked(campaign)) === GRANTS, 60_000, 100)).toBe(true);
        const totals = await h.t.service.store.countSubsidies(campaign);
        expect(totals).toStrictEqual({ count: GRANTS, amount: tokens.reduce((s, g) => s + g.amount, 0) });
        expect(await eventually(async () => (await queue.depth()) === 0)).toBe(true);
        const view = await h.admin.getCampaign(campaign);
        expect(view).toMatchObject({ grants: GRANTS, granted: totals.amount });

        // a redelivered or replayed message books nothing twice
        const before = booking.stats();
        await queue.publish(tokens.slice(0, 500).map((g) => g.token));
        expect(await eventually(async () => booking.stats().duplicates - before.duplicates === 500)).toBe(
          true,
        );
        expect(await h.booked(campaign)).toBe(GRANTS);
        expect(booking.stats()).toMatchObject({ conflicts: before.conflicts, invalid: 0, failures: 0 });
      },
    );
  });
}
