import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsService } from './support/ops-service.js';
import { startOpsService } from './support/ops-service.js';

let svc: OpsService;
beforeAll(async () => {
  svc = await startOpsService();
});
afterAll(async () => {
  await svc.stop();
});

const degrade = (name: string, on: boolean, extra: Record<string, unknown> = {}) =>
  svc.call('PUT', `/admin/switches/degrade/${name}`, { admin: true, body: { on, ...extra } });

describe('the admin API', () => {
  it('answers 401 without a key or with a wrong one, and 403 to a user token', async () => {
    expect((await svc.call('GET', '/admin/switches')).status).toBe(401);
    const wrong = await svc.call('GET', '/admin/switches', {
      headers: { 'x-admin-key': 'not-the-key-0123456789' },
    });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const user = await svc.call('GET', '/admin/switches', { uid: 'alice' });
    expect([user.status, user.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const put = await svc.call('PUT', '/admin/switches/degrade/claim', { uid: 'alice', body: { on: true } });
    expect(put.status).toBe(403);
  });

  it('takes the admin key as x-admin-key or as a bearer token', async () => {
    expect((await svc.call('GET', '/admin/switches', { admin: true })).status).toBe(200);
    const bearer = await svc.call('GET', '/admin/switches', {
      headers: { authorization: `Bearer ${svc.adminKey}` },
    });
    expect(bearer.status).toBe(200);
    expect(bearer.body.switches.map((s: { kind: string; name: string }) => `${s.kind}:${s.name}`)).toEqual(
      expect.arrayContaining(['degrade:c2c-send', 'mock:payment', 'limit:claim']),
    );
  });

  it('refuses an unknown switch with 400, naming the valid ones', async () => {
    const r = await degrade('coffee', true);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/unknown degrade switch "coffee"; valid: c2c-send, b2c-send, claim/);
    expect(
      (await svc.call('PUT', '/admin/switches/panic/x', { admin: true, body: { on: true } })).status,
    ).toBe(400);
    expect(
      (await svc.call('PUT', '/admin/switches/limit/claim', { admin: true, body: { perSecond: 0 } })).status,
    ).toBe(400);
  });

  it('degrades C2C sends with a friendly 503 while claims keep working, and off restores them', async () => {
    const packetId = await svc.activePacket('sender', {
      outOrderNo: 'before',
      totalAmount: 300,
      totalCount: 3,
    });
    const on = await degrade('c2c-send', true, { reason: 'finance slow', actor: 'oncall' });
    expect(on.status).toBe(200);
    expect(on.body.change).toMatchObject({ oldValue: 0, newValue: 1, changed: true, actor: 'oncall' });

    const refused = await svc.call('POST', '/v1/c2c/packets', {
      uid: 'sender',
      body: { outOrderNo: 'during', totalAmount: 100, totalCount: 1 },
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'DEGRADED', retryAfterMs: 10_000 });
    expect(refused.body.error.message).toMatch(/try again shortly/);
    expect(refused.headers.get('retry-after')).toBe('10');
    // no identity needed to be turned away: shedding costs nothing
    expect((await svc.call('POST', '/v1/c2c/packets', { body: {} })).status).toBe(503);

    const claim = await svc.call('POST', `/v1/packets/${packetId}/claims`, { uid: 'bob' });
    expect([claim.status, claim.body.amount > 0]).toEqual([200, true]);
    expect((await svc.call('GET', `/v1/packets/${packetId}`, { uid: 'bob' })).status).toBe(200);

    await degrade('c2c-send', false);
    const after = await svc.call('POST', '/v1/c2c/packets', {
      uid: 'sender',
      body: { outOrderNo: 'after', totalAmount: 100, totalCount: 1 },
    });
    expect(after.status).toBe(201);
  });

  it('degrades claims and packet details by their own switches', async () => {
    const packetId = await svc.activePacket('sender', {
      outOrderNo: 'claims-off',
      totalAmount: 200,
      totalCount: 2,
    });
    await degrade('claim', true);
    const claim = await svc.call('POST', `/v1/packets/${packetId}/claims`, { uid: 'carol' });
    expect([claim.status, claim.body.error.details.switch]).toEqual([503, 'claim']);
    expect((await svc.call('GET', `/v1/packets/${packetId}/claims`, { uid: 'carol' })).status).toBe(200);
    await degrade('claim', false);
    await degrade('query-details', true);
    expect((await svc.call('GET', `/v1/packets/${packetId}`, { uid: 'carol' })).status).toBe(503);
    expect((await svc.call('GET', `/v1/packets/${packetId}/claims`, { uid: 'carol' })).status).toBe(503);
    expect((await svc.call('POST', `/v1/packets/${packetId}/claims`, { uid: 'carol' })).status).toBe(200);
    await degrade('query-details', false);
  });

  it('gates the B2C send by its route pattern, and turns the subsidy issuer off for the subsidy list', async () => {
    await degrade('b2c-send', true);
    const b2c = await svc.call('POST', '/v1/b2c/packets', { uid: 'sender', body: {} });
    expect([b2c.status, b2c.body.error.details.switch]).toEqual([503, 'b2c-send']);
    await degrade('b2c-send', false);
    expect((await svc.call('POST', '/v1/b2c/packets', { uid: 'sender', body: {} })).status).not.toBe(503);

    expect(svc.service.ops.issuerEnabled()).toBe(true);
    await degrade('subsidy-issuer', true);
    expect(svc.service.ops.issuerEnabled()).toBe(false);
    await degrade('subsidy-issuer', false);
    await svc.call('PUT', '/admin/switches/mock/issuer', { admin: true, body: { on: true } });
    expect(svc.service.ops.issuerEnabled()).toBe(false);
    await svc.call('PUT', '/admin/switches/mock/issuer', { admin: true, body: { on: false } });
    expect(svc.service.ops.issuerEnabled()).toBe(true);
  });

  it('writes one audit row per change (who, when, old -> new, why), none for a repeat', async () => {
    const before = (await svc.call('GET', '/admin/audit?limit=1000', { admin: true })).body.entries.length;
    await degrade('b2c-send', true, { reason: 'issuer hiccup', actor: 'dana' });
    const repeat = await degrade('b2c-send', true, { actor: 'erin' });
    expect(repeat.body.change.changed).toBe(false);
    await degrade('b2c-send', false, { actor: 'dana' });
    await svc.call('PUT', '/admin/switches/limit/claim', {
      admin: true,
      body: { perSecond: 5000, actor: 'dana' },
    });
    const { entries } = (await svc.call('GET', '/admin/audit?limit=1000', { admin: true })).body;
    expect(entries).toHaveLength(before + 3);
    expect(
      entries
        .slice(0, 3)
        .map((e: Record<string, unknown>) => [e.kind, e.name, e.oldValue, e.newValue, e.actor]),
    ).toEqual([
      ['limit', 'claim', 0, 5000, 'dana'],
      ['degrade', 'b2c-send', 1, 0, 'dana'],
      ['degrade', 'b2c-send', 0, 1, 'dana'],
    ]);
    expect(entries[2]).toMatchObject({ reason: 'issuer hiccup', via: 'admin-api', at: expect.any(Number) });
    const filtered = (await svc.call('GET', '/admin/audit?kind=limit', { admin: true })).body.entries;
    expect(filtered.every((e: { kind: string }) => e.kind === 'limit')).toBe(true);
    await svc.call('PUT', '/admin/switches/limit/claim', { admin: true, body: { perSecond: null } });
  });
});
