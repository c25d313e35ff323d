import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INITIAL_BALANCE } from '../../src/finance/create-finance.js';
import { signPayload } from '../../src/finance/signature.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import type { Backend, TestService } from '../support/service.js';
import { startTestService } from '../support/service.js';

let seq = 0;
const orderNo = (label: string) => `${label}-${process.pid}-${Date.now()}-${++seq}`;

/** The packet service end to end over real HTTP, on one backend. */
export function c2cServiceSuite(backend: Backend) {
  describe(`C2C service over HTTP (${backend})`, () => {
    let t: TestService;
    beforeAll(async () => {
      t = await startTestService(backend);
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('answers healthz and serves an OpenAPI document of its routes', async () => {
      expect((await t.call('GET', '/healthz')).body).toEqual({ ok: true });
      const doc = (await t.call('GET', '/openapi.json')).body;
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/c2c/packets', '/v1/packets/{id}', '/v1/packets/{id}/claims']),
      );
      // the operators' API and the scrape are documented too, with their parameters and auth
      const put = doc.paths['/admin/switches/{kind}/{name}'].put;
      expect(put.security).toEqual([{ adminKey: [] }]);
      expect(put.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
        'path:kind',
        'path:name',
      ]);
      expect(doc.paths['/admin/audit'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(['limit', 'kind', 'name']),
      );
      expect(doc.paths['/metrics'].get.responses['200'].content).toHaveProperty('text/plain');
      expect(doc.components.securitySchemes.adminKey).toMatchObject({ in: 'header', name: 'x-admin-key' });
      // every documented /admin route answers 401 without the key (none is a stale entry)
      for (const path of ['/admin/switches', '/admin/audit', '/admin/mocked-orders'])
        expect((await t.call('GET', path)).status).toBe(401);
    });

    it('creates an unpaid packet, activates it on payment, and gives 200 racing claimers exactly 100 shares', async () => {
      const created = await t.call('POST', '/v1/c2c/packets', {
        uid: 'sender1',
        body: { outOrderNo: orderNo('hot'), totalAmount: 10_000, totalCount: 100, greeting: '恭喜发财' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'unpaid', created: true });
      expect(created.body.cashierUrl).toContain(`/finance/cashier/${created.body.payOrderNo}/pay`);
      const id: string = created.body.packetId;
      expect((await t.call('POST', `/v1/packets/${id}/claims`, { uid: 'early' })).body.error.code).toBe(
        'PACKET_NOT_ACTIVE',
      );

      const pay = await t.call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, { uid: 'sender1' });
      expect(pay.status).toBe(200);
      for (
        let i = 0;
        i < 200 && (await t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body.status !== 'active';
        i++
      ) {
        await new Promise((r) => setTimeout(r, 25));
      }

      const uids = Array.from({ length: 200 }, (_, i) => `claimer${i}`);
      const results = await Promise.all(uids.map((uid) => t.claim(id, uid)));
      const ok = results.filter((r) => r.status === 200);
      const exhausted = results.filter((r) => r.status === 409 && r.body.error.code === 'PACKET_EXHAUSTED');
      expect(ok).toHaveLength(100);
      expect(exhausted).toHaveLength(100);
      expect(ok.reduce((s, r) => s + r.body.amount, 0)).toBe(10_000);
      expect(ok.every((r) => Number.isSafeInteger(r.body.amount) && r.body.amount >= 1)).toBe(true);

      const list = await t.call('GET', `/v1/packets/${id}/claims`, { uid: 'claimer0' });
      expect(list.body.status).toBe('exhausted');
      expect(list.body.claimedAmount).toBe(10_000);
      expect(new Set(list.body.claims.map((c: { uid: string }) => c.uid)).size).toBe(100);
      const best = list.body.claims.filter((c: { bestLuck: boolean }) => c.bestLuck);
      expect(best).toHaveLength(1);
      expect(best[0].amount).toBe(Math.max(...list.body.claims.map((c: { amount: number }) => c.amount)));
      const packet = (await t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body;
      expect(packet).toMatchObject({ status: 'exhausted', remainingAmount: 0, remainingCount: 0 });
    });

    it('limits claims per packet to 1.5x the remaining shares a window, and says when to retry', async () => {
      const id = await t.activePacket('sender7', {
        outOrderNo: orderNo('lim'),
        totalAmount: 1_000,
        totalCount: 10,
      });
      const first = await t.call('POST', `/v1/packets/${id}/claims`, { uid: 'lim-first' });
      expect(first.body.remainingCount).toBe(9);
      // a window passes ceil(remaining x 1.5) attempts, sized when it opens; the shares can run out
      // inside it, and then the rest go on to the database (PACKET_EXHAUSTED), not 429
      const burst = await Promise.all(
        Array.from({ length: 60 }, (_, i) => t.call('POST', `/v1/packets/${id}/claims`, { uid: `lim${i}` })),
      );
      expect(burst.every((r) => [200, 409, 429].includes(r.status))).toBe(true);
      for (const r of burst.filter((b) => b.status === 429))
        expect(r.body.error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) });
      // once the packet is out, claimers get PACKET_EXHAUSTED
      const rest = await Promise.all(Array.from({ length: 20 }, (_, i) => t.claim(id, `lim-late${i}`)));
      expect(rest.every((r) => r.status === 409 || r.status === 200)).toBe(true);
      const list = await t.call('GET', `/v1/packets/${id}/claims`, { uid: 'x' });
      expect([list.body.claimedCount, list.body.claimedAmount]).toEqual([10, 1_000]);
      const after = await t.call('POST', `/v1/packets/${id}/claims`, { uid: 'lim-after' });
      expect([after.status, after.body.error.code]).toEqual([409, 'PACKET_EXHAUSTED']);
    });

    it("limits a new packet's first burst too: the limiter learns its share count at the send", async () => {
      // unpaid on purpose: its claims are refused (PACKET_NOT_ACTIVE), which teaches the limiter
      // nothing, so whatever limits this burst was learnt from the send
      const created = await t.call('POST', '/v1/c2c/packets', {
        uid: 'sender8',
        body: { outOrderNo: orderNo('lim1'), totalAmount: 400, totalCount: 4, splitMode: 'random' },
      });
      expect([created.status, created.body.totalCount]).toStrictEqual([201, 4]);
      const id = created.body.packetId as string;
      // 4 shares -> ceil(4 x 1.5) = 6 attempts a window
      const burst = await Promise.all(
        Array.from({ length: 60 }, (_, i) => t.call('POST', `/v1/packets/${id}/claims`, { uid: `f${i}` })),
      );
      const limited = burst.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]!.body.error).toMatchObject({
        code: 'RATE_LIMITED',
        retryAfterMs: expect.any(Number),
      });
      expect(burst.every((r) => r.status === 429 || r.body.error?.code === 'PACKET_NOT_ACTIVE')).toBe(true);
    });

    it('treats replayed creates, payments and claims (also concurrent) as one', async () => {
      const body = { outOrderNo: orderNo('replay'), totalAmount: 500, totalCount: 5, splitMode: 'fixed' };
      const creates = await Promise.all(
        Array.from({ length: 10 }, () => t.call('POST', '/v1/c2c/packets', { uid: 'sender2', body })),
      );
      const ids = new Set(creates.map((r) => r.body.packetId));
      expect(ids.size).toBe(1);
      expect(creates.filter((r) => r.status === 201)).toHaveLength(1);
      expect(creates.filter((r) => r.status === 200)).toHaveLength(9);
      const payOrderNo = creates[0]!.body.payOrderNo;

      const pays = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.call('POST', `/finance/cashier/${payOrderNo}/pay`, { uid: 'sender2' }),
        ),
      );
      expect(pays.every((r) => r.status === 200)).toBe(true);
      // the payer was charged exactly once, and finance's books still balance
      const payer = await t.service.finance.store.getAccount('user:sender2');
      expect(payer?.balance).toBe(DEFAULT_INITIAL_BALANCE - 500);
      const books = await t.service.finance.store.checkBooks();
      expect([books.ledgerTotal, books.balanceTotal, books.mismatched]).toEqual([0, 0, []]);
      const id = [...ids][0]!;
      for (
        let i = 0;
        i < 200 && (await t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body.status !== 'active';
        i++
      ) {
        await new Promise((r) => setTimeout(r, 25));
      }
      const claims = await Promise.all(Array.from({ length: 10 }, () => t.claim(id, 'twice')));
      expect(new Set(claims.map((r) => r.body.claimNo)).size).toBe(1);
      expect(new Set(claims.map((r) => r.body.amount))).toEqual(new Set([100]));
      expect(claims.filter((r) => r.body.created === true)).toHaveLength(1);
      const packet = (await t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body;
      expect(packet).toMatchObject({ remainingCount: 4, remainingAmount: 400 });

      // a different body under the same order number is a conflict, not a second packet
      const conflict = await t.call('POST', '/v1/c2c/packets', {
        uid: 'sender2',
        body: { ...body, totalAmount: 600 },
      });
      expect(conflict.status).toBe(409);
      expect(conflict.body.error.code).toBe('IDEMPOTENCY_CONFLICT');
      // so is another lifetime: the replay would otherwise silently keep the first expiry
      const otherLife = await t.call('POST', '/v1/c2c/packets', {
        uid: 'sender2',
        body: { ...body, expiresInSec: 61 },
      });
      expect([otherLife.status, otherLife.body.error.code]).toStrictEqual([409, 'IDEMPOTENCY_CONFLICT']);
    });

    it('applies a signed callback once and refuses a tampered one', async () => {
      const created = await t.call('POST', '/v1/c2c/packets', {
        uid: 'sender3',
        body: { outOrderNo: orderNo('cb'), totalAmount: 300, totalCount: 3 },
      });
      const now = Date.now();
      const event = {
        eventId: `ev-${now}`,
        type: 'order.updated',
        sentAt: now,
        order: {
          orderNo: created.body.payOrderNo,
          kind: 'payment',
          uid: 'sender3',
          amount: 300,
          status: 'succeeded',
          txnId: `T${now}`,
          payOrderNo: null,
          createdAt: now,
          updatedAt: now,
        },
      };
      const raw = JSON.stringify(event);
      const secret = financeSignSecret(t.service.secret);
      const ts = String(now);
      const tampered = raw.replace('"amount":300', '"amount":3');
      const bad = await t.call('POST', '/v1/callbacks/finance', {
        raw: tampered,
        headers: { 'x-finance-timestamp': ts, 'x-finance-signature': signPayload(secret, raw, ts) },
      });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('INVALID_SIGNATURE');
      expect((await t.call('GET', `/v1/packets/${created.body.packetId}`, { uid: 'x' })).body.status).toBe(
        'unpaid',
      );

      const headers = { 'x-finance-timestamp': ts, 'x-finance-signature': signPayload(secret, raw, ts) };
      const replies = await Promise.all(
        Array.from({ length: 5 }, () => t.call('POST', '/v1/callbacks/finance', { raw, headers })),
      );
      expect(replies.every((r) => r.status === 200)).toBe(true);
      expect(replies.filter((r) => r.body.changed === true)).toHaveLength(1);
      expect((await t.call('GET', `/v1/packets/${created.body.packetId}`, { uid: 'x' })).body.status).toBe(
        'active',
      );
    });

    const goodBody = { totalAmount: 100, totalCount: 10 };
    const badCreates: Array<[string, Record<string, unknown>]> = [
      ['a negative amount', { totalAmount: -100 }],
      ['a zero amount', { totalAmount: 0 }],
      ['a float amount', { totalAmount: 10.5 }],
      ['a string amount', { totalAmount: '100' }],
      ['a huge amount', { totalAmount: 1e20 }],
      ['an amount over the limit', { totalAmount: 100_000_000 }],
      ['less than 1 fen a share', { totalAmount: 5, totalCount: 10 }],
      ['a zero count', { totalCount: 0 }],
      ['a count over the limit', { totalAmount: 1_000_000, totalCount: 20_000 }],
      ['a missing amount', { totalAmount: undefined }],
      ['an unknown split mode', { splitMode: 'lucky' }],
      ['an unknown field', { amount: 100 }],
    ];
    for (const [what, patch] of badCreates) {
      it(`refuses ${what} with VALIDATION_FAILED and writes nothing`, async () => {
        const no = orderNo('bad');
        const r = await t.call('POST', '/v1/c2c/packets', {
          uid: 'sender4',
          body: { outOrderNo: no, ...goodBody, ...patch },
        });
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('VALIDATION_FAILED');
        // nothing was written under that order number: a valid body now creates a new packet
        const ok = await t.call('POST', '/v1/c2c/packets', {
          uid: 'sender4',
          body: { outOrderNo: no, ...goodBody },
        });
        expect(ok.status).toBe(201);
      });
    }

    it('answers malformed JSON, a missing or tampered token, and unknown packets with clear codes', async () => {
      const malformed = await t.call('POST', '/v1/c2c/packets', { uid: 'sender5', raw: '{"outOrderNo": ' });
      expect([malformed.status, malformed.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      const noToken = await t.call('POST', '/v1/c2c/packets', {
        body: { outOrderNo: orderNo('x'), ...goodBody },
      });
      expect([noToken.status, noToken.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      const token = await t.token('sender5');
      const tampered = `${token.slice(0, -3)}${token.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`;
      const bad = await t.call('GET', '/v1/packets/P00AAAAAAAAAAAAAAAAAAAAA', {
        headers: { authorization: `Bearer ${tampered}` },
      });
      expect([bad.status, bad.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
      const unknown = await t.call('POST', '/v1/packets/P00AAAAAAAAAAAAAAAAAAAAA/claims', { uid: 'sender5' });
      expect([unknown.status, unknown.body.error.code]).toEqual([404, 'PACKET_NOT_FOUND']);
      const notAnId = await t.call('GET', '/v1/packets/nope', { uid: 'sender5' });
      expect([notAnId.status, notAnId.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(notAnId.body.error.message).toMatch(/^id: /); // the path parameter, not "body"
      const noRoute = await t.call('GET', '/v1/nothing', { uid: 'sender5' });
      expect([noRoute.status, noRoute.body.error.code]).toEqual([404, 'NOT_FOUND']);
    });

    it('refuses claims after expiry with PACKET_EXPIRED', async () => {
      const id = await t.activePacket('sender6', {
        outOrderNo: orderNo('exp'),
        totalAmount: 200,
        totalCount: 2,
        expiresInSec: 1,
      });
      await new Promise((r) => setTimeout(r, 1100));
      const r = await t.call('POST', `/v1/packets/${id}/claims`, { uid: 'late' });
      expect([r.status, r.body.error.code]).toEqual([410, 'PACKET_EXPIRED']);
    });
  });
}
