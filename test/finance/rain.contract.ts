/** Issue 3: the reward issuer (red-packet rain) inside the simulated finance, on one backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSubsidyToken, subsidyTokenKey } from '../../src/auth/subsidy-token.js';
import { createRainAdminClient, createRainClient, drawRain } from '../../src/finance/rain/rain-client.js';
import type { RainAdminClient, RainClient } from '../../src/finance/rain/rain-client.js';
import { campaignAccount } from '../../src/finance/rain/types.js';
import type { CampaignConfig } from '../../src/finance/rain/types.js';
import type { Backend, FinanceHarness } from './support/finance-harness.js';
import { JWT_SECRET, SIGN_SECRET, startFinanceHarness } from './support/finance-harness.js';
import { balanceOf, codeOf, expectBooksBalanced, readWholeLedger } from './support/helpers.js';

const key = subsidyTokenKey(JWT_SECRET);

/** A grant queue that can be told to fail, recording what it took. */
function fakeQueue() {
  const published: string[] = [];
  let failing = false;
  return {
    published,
    fail(on: boolean) {
      failing = on;
    },
    async publish(payloads: readonly string[]) {
      if (failing) throw new Error('queue down');
      published.push(...payloads);
    },
  };
}

const config = (overrides: Partial<CampaignConfig> = {}): CampaignConfig => ({
  budget: 100_000,
  probability: 1,
  minAmount: 100,
  maxAmount: 300,
  tokenTtlSec: 600,
  ...overrides,
});

export function rainContract(backend: Backend) {
  describe(`reward issuer on ${backend}`, () => {
    let h: FinanceHarness;
    let issuer: RainClient;
    let admin: RainAdminClient;
    const queue = fakeQueue();
    // a generous timeout: 300 draws at once on a busy 2-core machine queue behind each other
    const draw = async (campaign: string, uid: string) =>
      drawRain(h.url, campaign, await h.token(uid), { timeoutMs: 30_000 });

    beforeAll(async () => {
      h = await startFinanceHarness(backend, { rain: { queue, sweepIntervalMs: 0, republishAfterMs: 0 } });
      issuer = createRainClient({ baseUrl: h.url, secret: SIGN_SECRET });
      admin = createRainAdminClient({ baseUrl: h.url, secret: SIGN_SECRET });
    });
    afterAll(async () => {
      await issuer?.close();
      await admin?.close();
      await h?.stop();
    });

    it('grants a sealed token that opens to the winner, the campaign, an amount in range and its expiry', async () => {
      const campaign = h.id('camp');
      await admin.setCampaign(campaign, config({ tokenTtlSec: 60 }));
      const before = Date.now();

      const answer = await draw(campaign, 'alice');

      if (!answer.won) throw new Error('a probability-1 campaign with budget must win');
      const grant = openSubsidyToken(key, answer.grant.token);
      const { token: _token, ...view } = answer.grant;
      expect(grant).toStrictEqual(view);
      expect(grant).toMatchObject({ uid: 'alice', campaign });
      expect(grant.amount).toBeGreaterThanOrEqual(100);
      expect(grant.amount).toBeLessThanOrEqual(300);
      expect(grant.expiresAt - grant.issuedAt).toBe(60_000);
      expect(grant.issuedAt).toBeGreaterThanOrEqual(before);
      const listed = await issuer.listTokens('alice');
      expect(listed.find((t) => t.tokenId === grant.tokenId)).toStrictEqual(answer.grant);
      expect((await issuer.listTokens('bob')).some((t) => t.tokenId === grant.tokenId)).toBe(false);
    });

    it('never overspends the budget under 300 concurrent draws, and ledgers every grant', async () => {
      const campaign = h.id('camp');
      await admin.setCampaign(campaign, config({ budget: 10_000 }));

      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) => draw(campaign, `rain${i % 50}`)),
      );

      const won = answers.flatMap((a) => (a.won ? [a.grant] : []));
      const granted = won.reduce((s, g) => s + g.amount, 0);
      expect(granted).toBeLessThanOrEqual(10_000);
      expect(granted).toBeGreaterThan(10_000 - 100); // it stops only when less than minAmount is left
      expect(answers.filter((a) => !a.won).every((a) => !a.won && a.reason === 'budget_exhausted')).toBe(
        true,
      );
      expect(new Set(won.map((g) => g.outGrantNo)).size).toBe(won.length);
      const view = await admin.getCampaign(campaign);
      expect(view).toMatchObject({
        budget: 10_000,
        granted,
        returned: 0,
        grants: won.length,
        remaining: 10_000 - granted,
      });
      expect(await balanceOf(h, campaignAccount(campaign))).toBe(10_000 - granted);
      const grantEntries = (await readWholeLedger(h, 1000)).filter(
        (e) => e.kind === 'grant' && e.account === campaignAccount(campaign),
      );
      expect(grantEntries.map((e) => e.orderNo).sort()).toStrictEqual(won.map((g) => g.outGrantNo).sort());
      await expectBooksBalanced(h);
    });

    it('lets nobody win at probability 0, and answers an unknown campaign 404 and a missing bearer 401', async () => {
      const campaign = h.id('camp');
      await admin.setCampaign(campaign, config({ probability: 0 }));
      expect(await draw(campaign, 'carol')).toStrictEqual({ won: false, reason: 'unlucky' });
      expect(await codeOf(draw(h.id('nosuch'), 'carol'))).toBe('NOT_FOUND');
      const res = await fetch(`${h.url}/finance/rain/${campaign}/draw`, { method: 'POST' });
      expect(res.status).toBe(401);
    });

    it('publishes every grant message once, and re-publishes what a failed publish left behind', async () => {
      const campaign = h.id('camp');
      await admin.setCampaign(campaign, config());
      queue.fail(true);
      const lost = await Promise.all(Array.from({ length: 5 }, () => draw(campaign, 'dave')));
      await h.finance.rain.idle();
      queue.fail(false);
      const sent = await Promise.all(Array.from({ length: 5 }, () => draw(campaign, 'dave')));
      await h.finance.rain.idle();
      const tokensOf = (as: typeof lost) => as.flatMap((a) => (a.won ? [a.grant.token] : []));
      expect(queue.published).toEqual(expect.arrayContaining(tokensOf(sent)));
      expect(queue.published).not.toEqual(expect.arrayContaining(tokensOf(lost).slice(0, 1)));

      expect(await h.finance.rain.republish()).toBeGreaterThanOrEqual(5);
      expect(queue.published).toEqual(expect.arrayContaining(tokensOf(lost)));
      expect(await h.finance.rain.republish()).toBe(0);
      const all = [...tokensOf(lost), ...tokensOf(sent)];
      expect(queue.published.filter((t) => all.includes(t))).toHaveLength(10);
    });

    it('takes a remainder back once by its return number, never more than was granted', async () => {
      const campaign = h.id('camp');
      await admin.setCampaign(campaign, config({ budget: 1_000, minAmount: 300, maxAmount: 300 }));
      await draw(campaign, 'erin');
      const returnNo = h.id('RET');

      await issuer.returnRemainder({ returnNo, campaign, amount: 120 });
      await issuer.returnRemainder({ returnNo, campaign, amount: 120 });

      expect(await admin.getCampaign(campaign)).toMatchObject({
        granted: 300,
        returned: 120,
        remaining: 820,
      });
      expect(await codeOf(issuer.returnRemainder({ returnNo, campaign, amount: 121 }))).toBe(
        'IDEMPOTENCY_CONFLICT',
      );
      expect(await codeOf(issuer.returnRemainder({ returnNo: h.id('RET'), campaign, amount: 181 }))).toBe(
        'INSUFFICIENT_BALANCE',
      );
      const entries = (await readWholeLedger(h, 1000)).filter((e) => e.orderNo === returnNo);
      expect(entries.map((e) => [e.kind, e.account, e.amount])).toStrictEqual([
        ['grant_return', 'merchant', -120],
        ['grant_return', campaignAccount(campaign), 120],
      ]);
      await expectBooksBalanced(h);
    });

    it('ledgers budget changes, and refuses a budget below what was granted or a bad config', async () => {
      const campaign = h.id('camp');
      await admin.setCampaign(campaign, config({ budget: 1_000, minAmount: 400, maxAmount: 400 }));
      await draw(campaign, 'frank');
      await admin.setCampaign(campaign, config({ budget: 1_500, minAmount: 400, maxAmount: 400 }));
      expect(await codeOf(admin.setCampaign(campaign, config({ budget: 399 })))).toBe('INSUFFICIENT_BALANCE');
      expect(await codeOf(admin.setCampaign(campaign, config({ minAmount: 5, maxAmount: 4 })))).toBe(
        'VALIDATION_FAILED',
      );
      expect(await admin.getCampaign(campaign)).toMatchObject({
        budget: 1_500,
        granted: 400,
        remaining: 1_100,
      });
      const budget = (await readWholeLedger(h, 1000)).filter(
        (e) => e.kind === 'budget' && e.account === campaignAccount(campaign),
      );
      expect(budget.map((e) => e.amount)).toStrictEqual([1_000, 500]);
      await expectBooksBalanced(h);
    });
  });
}
