/** Issue 3: the B2C service end to end over real HTTP, on one backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealSubsidyToken, subsidyTokenKey } from '../../src/auth/subsidy-token.js';
import { DEFAULT_INITIAL_BALANCE } from '../../src/finance/create-finance.js';
import { creditSubsidyBalance } from '../../src/services/subsidy/credit-subsidy.js';
import { returnB2cRemainder } from '../../src/services/subsidy/return-b2c-remainder.js';
import type { Backend } from '../support/service.js';
import type { B2cHarness } from './b2c-support.js';
import { eventually, orderNo, startB2cHarness } from './b2c-support.js';

export function b2cServiceSuite(backend: Backend) {
  describe(`B2C service over HTTP (${backend})`, () => {
    let h: B2cHarness;
    let campaign: string;
    const won = async (uid: string, on = campaign) => {
      const answer = await h.draw(on, uid);
      if (!answer.won) throw new Error('a probability-1 campaign must grant');
      return answer.grant;
    };
    const send = (uid: string, token: string, body: Record<string, unknown> = {}) =>
      h.t.call('POST', '/v1/b2c/packets', {
        uid,
        body: { outOrderNo: orderNo('b2c'), subsidyToken: token, totalCount: 3, ...body },
      });

    beforeAll(async () => {
      h = await startB2cHarness(backend);
      campaign = await h.campaign();
    });
    afterAll(async () => {
      await h?.stop();
    });

    it('sends with a token the queue has not booked, credits claims to balances, and withdraws them to the wallet', async () => {
      const { booking } = h.t.service.subsidy;
      booking.setRate(0);
      await new Promise((r) => setTimeout(r, 300)); // a receive in flight returns
      const grant = await won('sender');
      await h.t.service.finance.rain.idle(); // its message is on the queue
      expect(await h.t.service.store.getSubsidy(grant.tokenId)).toBeNull();
      const body = {
        outOrderNo: orderNo('b2c'),
        subsidyToken: grant.token,
        totalCount: 3,
        splitMode: 'fixed',
      };

      const created = await h.t.call('POST', '/v1/b2c/packets', { uid: 'sender', body });
      const replay = await h.t.call('POST', '/v1/b2c/packets', { uid: 'sender', body });

      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'active',
        totalAmount: grant.amount,
        tokenId: grant.tokenId,
      });
      expect(replay.status).toBe(200);
      expect(replay.body).toMatchObject({ packetId: created.body.packetId, created: false });
      const id: string = created.body.packetId;
      const claims = await Promise.all(
        ['c1', 'c2', 'c3'].map((uid) => h.t.call('POST', `/v1/packets/${id}/claims`, { uid })),
      );
      expect(claims.map((c) => c.status)).toStrictEqual([200, 200, 200]);
      expect(claims.reduce((s, c) => s + c.body.amount, 0)).toBe(grant.amount);

      // the worker's transfer task of a B2C claim credits the claimer's subsidy balance
      const c1 = claims[0]!.body;
      const credited = async () =>
        (await h.t.call('GET', '/v1/me/balance', { uid: 'c1' })).body.available === c1.amount;
      expect(await eventually(credited, 10_000)).toBe(true);
      expect((await h.t.call('GET', '/v1/me/balance', { uid: 'c1' })).body).toMatchObject({
        available: c1.amount,
        held: 0,
      });
      // a replayed credit (the task run twice) changes nothing
      await creditSubsidyBalance({ store: h.t.service.store, now: Date.now }, c1.claimNo);
      expect((await h.t.call('GET', '/v1/me/balance', { uid: 'c1' })).body.available).toBe(c1.amount);
      expect(
        await eventually(async () =>
          (await h.t.call('GET', `/v1/packets/${id}/claims`, { uid: 'c1' })).body.claims.every(
            (c: { status: string }) => c.status === 'transferred',
          ),
        ),
      ).toBe(true);

      const w = { outOrderNo: orderNo('w'), amount: c1.amount };
      const paid = await h.t.call('POST', '/v1/me/withdrawals', { uid: 'c1', body: w });
      expect(paid.status).toBe(201);
      expect(paid.body).toMatchObject({ status: 'succeeded', amount: c1.amount, created: true });
      const again = await h.t.call('POST', '/v1/me/withdrawals', { uid: 'c1', body: w });
      expect(again.body).toMatchObject({ withdrawalNo: paid.body.withdrawalNo, created: false });
      expect((await h.t.call('GET', '/v1/me/balance', { uid: 'c1' })).body).toMatchObject({
        available: 0,
        held: 0,
      });
      const wallet = await h.t.service.finance.store.getAccount('user:c1');
      expect(wallet?.balance).toBe(DEFAULT_INITIAL_BALANCE + c1.amount);
      const over = await h.t.call('POST', '/v1/me/withdrawals', {
        uid: 'c2',
        body: { outOrderNo: orderNo('w'), amount: 10_000_000 },
      });
      expect([over.status, over.body.error.code]).toStrictEqual([409, 'INSUFFICIENT_BALANCE']);

      // the grant's message, booked late, finds it booked already
      const duplicates = booking.stats().duplicates;
      booking.setRate(2_000);
      expect(await eventually(async () => booking.stats().duplicates > duplicates)).toBe(true);
      expect((await h.t.service.store.getSubsidy(grant.tokenId))?.packetId).toBe(id);
    });

    it(
      'creates exactly one packet from 1,000 concurrent redemptions of one token, half under other uids',
      { timeout: 240_000 },
      async () => {
        const grant = await won('owner');
        const results = await Promise.all(
          Array.from({ length: 1_000 }, (_, i) =>
            h.post('/v1/b2c/packets', i % 2 === 0 ? 'owner' : `stranger${i}`, {
              outOrderNo: orderNo('b2c'),
              subsidyToken: grant.token,
              totalCount: 3,
            }),
          ),
        );
        const byCode = new Map<string, number>();
        for (const r of results) {
          const key = r.status === 201 ? '201' : `${r.status} ${r.body.error.code}`;
          byCode.set(key, (byCode.get(key) ?? 0) + 1);
        }
        expect(Object.fromEntries(byCode)).toStrictEqual({
          '201': 1,
          '409 SUBSIDY_USED': 499,
          '403 SUBSIDY_NOT_OWNER': 500,
        });
        const winner = results.find((r) => r.status === 201)!.body;
        expect((await h.t.service.store.getSubsidy(grant.tokenId))?.packetId).toBe(winner.packetId);
      },
    );

    it('refuses tampered, foreign, expired and replayed-under-another-uid tokens with clear codes', async () => {
      const grant = await won('victim');
      const tampered = `${grant.token.slice(0, -3)}${grant.token.endsWith('A') ? 'B' : 'A'}AA`;
      const key = subsidyTokenKey(h.t.service.secret);
      const { token: _t, ...fields } = grant;
      const foreign = sealSubsidyToken(subsidyTokenKey('another-secret-0123456789abcdef'), fields);
      const expired = sealSubsidyToken(key, {
        ...fields,
        tokenId: `${fields.tokenId}X`,
        outGrantNo: `${fields.outGrantNo}X`,
        expiresAt: Date.now() - 1,
      });
      const stolen = sealSubsidyToken(key, { ...fields, tokenId: `${fields.tokenId}Y`, uid: 'mallory' });

      const answers = [
        await send('victim', tampered),
        await send('victim', foreign),
        await send('victim', expired),
      ];
      await send('victim', grant.token); // books the genuine grant
      const replayed = await send('mallory', stolen);

      expect(answers.map((a) => [a.status, a.body.error.code])).toStrictEqual([
        [400, 'SUBSIDY_INVALID'],
        [400, 'SUBSIDY_INVALID'],
        [410, 'SUBSIDY_EXPIRED'],
      ]);
      expect([replayed.status, replayed.body.error.code]).toStrictEqual([409, 'SUBSIDY_CONFLICT']);
      // the same forged grant arriving as a queue message is refused by the booking worker too
      const { booking, queue } = h.t.service.subsidy;
      const conflicts = booking.stats().conflicts;
      await queue.publish([stolen]);
      expect(await eventually(async () => booking.stats().conflicts === conflicts + 1)).toBe(true);
      expect(await h.t.service.store.listSubsidies('mallory')).toStrictEqual([]);
    });

    it('lists my subsidies merged with booked ones, and booked ones only with partial:true when the issuer is down', async () => {
      const { booking } = h.t.service.subsidy;
      const short = await h.campaign({ tokenTtlSec: 1 });
      const soonExpired = await won('lister', short);
      const [a, b] = [await won('lister'), await won('lister')];
      expect(
        await eventually(async () => (await h.t.service.store.listSubsidies('lister')).length === 3),
      ).toBe(true);
      booking.setRate(0);
      await new Promise((r) => setTimeout(r, 300)); // a receive in flight returns
      const unbooked = await won('lister');
      const used = await send('lister', a.token);
      expect(used.status).toBe(201);
      await eventually(async () => Date.now() > soonExpired.expiresAt, 3_000);

      const full = await h.t.call('GET', '/v1/subsidies', { uid: 'lister' });
      h.t.service.finance.knobs.set({ failureRate: 1 });
      let degraded;
      try {
        degraded = await h.t.call('GET', '/v1/subsidies', { uid: 'lister' });
      } finally {
        h.t.service.finance.knobs.set({ failureRate: 0 });
        booking.setRate(2_000);
      }

      const statusOf = (list: { tokenId: string; status: string }[]) =>
        Object.fromEntries(list.map((s) => [s.tokenId, s.status]));
      expect(full.body.partial).toBe(false);
      expect(statusOf(full.body.subsidies)).toStrictEqual({
        [soonExpired.tokenId]: 'expired',
        [a.tokenId]: 'used',
        [b.tokenId]: 'available',
        [unbooked.tokenId]: 'available',
      });
      expect(
        full.body.subsidies.find((s: { tokenId: string }) => s.tokenId === unbooked.tokenId),
      ).toMatchObject({
        booked: false,
        token: unbooked.token,
      });
      expect(degraded.status).toBe(200);
      expect(degraded.body.partial).toBe(true);
      expect(statusOf(degraded.body.subsidies)).toStrictEqual({
        [soonExpired.tokenId]: 'expired',
        [a.tokenId]: 'used',
        [b.tokenId]: 'available',
      });
    });

    it("has the worker return an expired packet's remainder to its campaign by itself", async () => {
      const grant = await won('auto-expirer');
      const sent = await send('auto-expirer', grant.token, { totalCount: 5, expiresInSec: 1 });
      const id: string = sent.body.packetId;
      const claim = await h.t.call('POST', `/v1/packets/${id}/claims`, { uid: 'auto-bird' });
      const before = await h.admin.getCampaign(campaign);
      const refunded = async () =>
        (await h.t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body.status === 'refunded';
      expect(await eventually(refunded, 15_000)).toBe(true);
      const after = await h.admin.getCampaign(campaign);
      expect(after.returned - before.returned).toBe(grant.amount - claim.body.amount);
    });

    it("returns an expired packet's remainder to its campaign once, also after the issuer was down", async () => {
      const grant = await won('expirer');
      const sent = await send('expirer', grant.token, { totalCount: 4, expiresInSec: 1 });
      const id: string = sent.body.packetId;
      const claim = await h.t.call('POST', `/v1/packets/${id}/claims`, { uid: 'early-bird' });
      const before = await h.admin.getCampaign(campaign);
      const deps = { store: h.t.service.store, now: Date.now, issuer: h.issuer };

      // the issuer is down from before the expiry (whoever tries the return first fails)
      h.t.service.finance.knobs.set({ failureRate: 1 });
      let down: unknown;
      try {
        await eventually(async () => Date.now() >= sent.body.expiresAt, 3_000);
        const late = await h.t.call('POST', `/v1/packets/${id}/claims`, { uid: 'late-bird' });
        expect([late.status, late.body.error.code]).toStrictEqual([410, 'PACKET_EXPIRED']);
        down = await returnB2cRemainder(deps, id).catch((e: unknown) => (e as { code?: string }).code);
      } finally {
        h.t.service.finance.knobs.set({ failureRate: 0 });
      }
      const refunding = (await h.t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body.status;
      const returned = await returnB2cRemainder(deps, id);
      const again = await returnB2cRemainder(deps, id);

      const remainder = grant.amount - claim.body.amount;
      expect([down, refunding]).toStrictEqual(['DEPENDENCY_FAILED', 'refunding']);
      expect(returned).toStrictEqual({ status: 'returned', amount: remainder });
      expect(again).toStrictEqual(returned);
      expect((await h.t.call('GET', `/v1/packets/${id}`, { uid: 'x' })).body.status).toBe('refunded');
      const after = await h.admin.getCampaign(campaign);
      expect(after.returned - before.returned).toBe(remainder);
      expect(after.remaining - before.remaining).toBe(remainder);
    });

    it('documents the B2C routes in the OpenAPI document', async () => {
      const doc = (await h.t.call('GET', '/openapi.json')).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/v1/subsidies', '/v1/b2c/packets', '/v1/me/balance', '/v1/me/withdrawals']),
      );
    });
  });
}
