/**
 * `mock issuer` never swallows a real B2C packet's unclaimed remainder: the packet was funded by a
 * real grant (finance's rain issuer took it out of the campaign's budget), so the decision follows
 * the packet, not the switch. While the switch is on the return stays pending and the worker
 * retries it; once the switch is off the remainder goes back to the campaign, exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRainAdminClient,
  createRainClient,
  type RainAdminClient,
} from '../../src/finance/rain/rain-client.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import { returnB2cRemainder } from '../../src/services/subsidy/return-b2c-remainder.js';
import type { OpsService } from './support/ops-service.js';
import { SECRET, sleep, startOpsService, within } from './support/ops-service.js';

let svc: OpsService;
let admin: RainAdminClient;
const CAMPAIGN = 'mock-issuer-spring';

beforeAll(async () => {
  svc = await startOpsService({ worker: { pollMs: 20, retryBaseMs: 50, retryMaxMs: 200 } });
  admin = createRainAdminClient({ baseUrl: svc.url, secret: financeSignSecret(SECRET) });
  await admin.setCampaign(CAMPAIGN, {
    budget: 1_000_000,
    probability: 1,
    minAmount: 300,
    maxAmount: 2_000,
    tokenTtlSec: 3_600,
  });
});
afterAll(async () => {
  await admin?.close();
  await svc?.stop();
});

const mockIssuer = async (on: boolean) => {
  const r = await svc.call('PUT', '/admin/switches/mock/issuer', {
    admin: true,
    body: { on, reason: 'test' },
  });
  expect(r.status).toBe(200);
  expect(
    await within(2_000, async () => svc.service.ops.switches.isOn('mock', 'issuer') === on),
  ).not.toBeNull();
};

describe('mock issuer and a real B2C packet that expires', () => {
  it('keeps the return pending while on, and returns the remainder to the campaign exactly once after it goes off', async () => {
    const { store } = svc.service;
    // on from before the packet exists: its expiry certainly comes while the issuer is mocked
    await mockIssuer(true);
    const drawn = await svc.call('POST', `/finance/rain/${CAMPAIGN}/draw`, { uid: 'b2c-sender' });
    expect([drawn.status, drawn.body.won]).toEqual([200, true]);
    const grant = drawn.body.grant;
    const sent = await svc.call('POST', '/v1/b2c/packets', {
      uid: 'b2c-sender',
      body: { outOrderNo: 'mock-issuer-b2c-1', subsidyToken: grant.token, totalCount: 3, expiresInSec: 1 },
    });
    expect(sent.status).toBe(201);
    const id: string = sent.body.packetId;
    const claim = await svc.call('POST', `/v1/packets/${id}/claims`, { uid: 'b2c-claimer' });
    expect(claim.status).toBe(200);
    const remainder = grant.amount - claim.body.amount;
    expect(remainder).toBeGreaterThan(0);
    const before = await admin.getCampaign(CAMPAIGN);

    try {
      // the packet expires; the worker tries the return several times and gets nowhere
      const retried = await within(
        8_000,
        async () => ((await store.getTask('expire', id))?.attempts ?? 0) >= 3,
      );
      expect(retried).not.toBeNull();
      expect((await store.getPacket(id))?.status).toBe('refunding');
      expect(await store.getB2cReturn(id)).toMatchObject({ status: 'pending', amount: remainder });
      expect((await store.getTask('expire', id))?.status).not.toBe('done');
      expect((await admin.getCampaign(CAMPAIGN)).returned).toBe(before.returned);
      // nothing was recorded as mocked: the return of a real grant is never "answered" by the mock
      const mocked = await svc.service.ops.store.listMocked({ limit: 100 });
      expect(mocked.filter((o) => o.kind === 'issuer-return')).toEqual([]);
    } finally {
      await mockIssuer(false);
    }

    // off: the worker's next retry takes the remainder back to the campaign
    const refunded = await within(8_000, async () => (await store.getPacket(id))?.status === 'refunded');
    expect(refunded).not.toBeNull();
    expect(await store.getB2cReturn(id)).toMatchObject({ status: 'succeeded', amount: remainder });
    expect((await store.getTask('expire', id))?.status).toBe('done');
    const after = await admin.getCampaign(CAMPAIGN);
    expect(after.returned - before.returned).toBe(remainder);
    expect(after.remaining - before.remaining).toBe(remainder);

    // exactly once: a replayed return, and more time for the worker, change nothing
    const issuer = createRainClient({ baseUrl: svc.url, secret: financeSignSecret(SECRET) });
    try {
      expect(await returnB2cRemainder({ store, now: Date.now, issuer }, id)).toStrictEqual({
        status: 'returned',
        amount: remainder,
      });
      await issuer.returnRemainder({ returnNo: `${id}-R`, campaign: CAMPAIGN, amount: remainder });
    } finally {
      await issuer.close();
    }
    await sleep(300);
    const later = await admin.getCampaign(CAMPAIGN);
    expect([later.returned, later.remaining]).toEqual([after.returned, after.remaining]);
  }, 30_000);
});
