import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, TestService } from '../support/service.js';
import { startTestService } from '../support/service.js';

const SHADOW = { 'x-redpkt-shadow': '1' };
let seq = 0;
const orderNo = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}`;

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Issue 5 / DESIGN §2: requests marked `x-redpkt-shadow: 1` live in their own lane — their own
 * packet store, finance books and queue — and every number they make is shadow-marked, so real
 * data never sees a rehearsal, and a rehearsal never sees real data.
 */
export function shadowLaneSuite(backend: Backend) {
  describe(`the shadow lane (${backend})`, () => {
    let t: TestService;
    beforeAll(async () => {
      t = await startTestService(backend, { config: { worker: { pollMs: 20 } } });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('keeps a shadow C2C flow (create, pay, callback, claims, transfers) out of the real stores and books', async () => {
      const realId = await t.activePacket('real-sender', {
        outOrderNo: orderNo('r'),
        totalAmount: 300,
        totalCount: 3,
      });
      const shadowId = await t.activePacket(
        'shadow-sender',
        { outOrderNo: orderNo('s'), totalAmount: 500, totalCount: 5 },
        SHADOW,
      );
      expect(realId).toMatch(/^P\d{2}/);
      expect(shadowId).toMatch(/^S\d{2}/);

      const claims = await Promise.all(
        Array.from({ length: 7 }, (_, i) => t.claim(shadowId, `claimer-${i}`, SHADOW)),
      );
      expect(claims.filter((c) => c.status === 201 || c.status === 200)).toHaveLength(5);
      expect(claims.filter((c) => c.body?.error?.code === 'PACKET_EXHAUSTED')).toHaveLength(2);

      const lane = await t.service.shadow();
      // each lane answers only for its own packets
      expect((await t.call('GET', `/v1/packets/${shadowId}`, { uid: 'shadow-sender' })).status).toBe(404);
      expect(
        (await t.call('GET', `/v1/packets/${realId}`, { uid: 'real-sender', headers: SHADOW })).status,
      ).toBe(404);
      expect(await t.service.store.getPacket(shadowId)).toBeNull();
      expect(await lane.store.getPacket(realId)).toBeNull();
      const shadowPacket = await lane.store.getPacket(shadowId);
      expect(shadowPacket?.status).toBe('exhausted');

      // the worker of the shadow lane moves the claims to the claimers, at the shadow finance
      const settled = await eventually(
        () => lane.store.listClaims(shadowId),
        (cs) => cs.length === 5 && cs.every((c) => c.status === 'transferred'),
      );
      expect(settled.map((c) => c.status)).toEqual(Array(5).fill('transferred'));
      expect(settled.reduce((s, c) => s + c.amount, 0)).toBe(500);
      for (const c of settled) {
        expect(c.claimNo.startsWith('S')).toBe(true);
        expect(await lane.finance.store.getOrder(c.claimNo)).toMatchObject({ amount: c.amount });
        expect(await t.service.finance.store.getOrder(c.claimNo)).toBeNull();
      }
      const payOrderNo = shadowPacket?.payOrderNo ?? '';
      expect(payOrderNo.startsWith('SPAY')).toBe(true);
      expect(await lane.finance.store.getOrder(payOrderNo)).not.toBeNull();
      expect(await t.service.finance.store.getOrder(payOrderNo)).toBeNull();
      // no shadow user ever got an account in the real books, and both books balance
      expect(await t.service.finance.store.getAccount('shadow-sender')).toBeNull();
      expect(await t.service.finance.store.getAccount('claimer-0')).toBeNull();
      for (const books of [
        await t.service.finance.store.checkBooks(),
        await lane.finance.store.checkBooks(),
      ]) {
        expect(books.ledgerTotal).toBe(0);
        expect(books.mismatched).toEqual([]);
      }
      // the real lane's packet is untouched by all of it
      expect((await t.service.store.getPacket(realId))?.remainingCount).toBe(3);
    });

    it('answers bad input in the shadow lane with the same status and code as in the real one', async () => {
      const body = { outOrderNo: orderNo('b'), totalAmount: 2, totalCount: 3 };
      const real = await t.call('POST', '/v1/c2c/packets', { uid: 'u', body });
      const shadow = await t.call('POST', '/v1/c2c/packets', { uid: 'u', body, headers: SHADOW });
      expect(real.status).toBe(400);
      expect([shadow.status, shadow.body.error.code]).toEqual([real.status, real.body.error.code]);
    });
  });
}
