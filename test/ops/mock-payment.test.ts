import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpsService } from './support/ops-service.js';
import { startOpsService, within } from './support/ops-service.js';
import { runCli } from './support/cli.js';

let svc: OpsService;
beforeAll(async () => {
  svc = await startOpsService();
});
afterAll(async () => {
  await svc.stop();
});

const financeCalls = () => svc.service.finance.stats.snapshot().total;

describe('mock payment during a C2C run', () => {
  it('makes packets active at once with no call to finance, the orders marked mocked, and turns back off', async () => {
    // the real CLI, straight in the embedded store; the instance picks it up on its next poll
    const on = await runCli(['mock', 'payment', 'on', '--data-dir', svc.dataDir, '--reason', 'rehearsal']);
    expect([on.status, on.stderr]).toEqual([0, '']);
    expect(on.stdout).toMatch(/mock payment: off -> ON/);
    expect(await within(1000, async () => svc.service.ops.switches.isOn('mock', 'payment'))).not.toBeNull();

    svc.service.finance.stats.reset();
    const packets: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await svc.call('POST', '/v1/c2c/packets', {
        uid: 'mock-sender',
        body: { outOrderNo: `mock-${i}`, totalAmount: 500, totalCount: 2, expiresInSec: 1 },
      });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ status: 'active', cashierUrl: '' });
      packets.push(r.body.packetId);
    }
    // a replay answers the same mocked packet, still without finance
    const replay = await svc.call('POST', '/v1/c2c/packets', {
      uid: 'mock-sender',
      body: { outOrderNo: 'mock-0', totalAmount: 500, totalCount: 2, expiresInSec: 1 },
    });
    expect([replay.status, replay.body.packetId, replay.body.status]).toEqual([200, packets[0], 'active']);
    // claimers get their shares; their transfers (and the expiry refund) stay away from finance too
    for (const id of packets) await svc.call('POST', `/v1/packets/${id}/claims`, { uid: 'mock-claimer' });
    const { store } = svc.service;
    const settled = await within(8_000, async () => {
      const claims = await Promise.all(packets.map((id) => store.listClaims(id)));
      const refunds = await Promise.all(packets.map((id) => store.getPacket(id)));
      return (
        claims.flat().every((c) => c.status === 'transferred') &&
        refunds.every((p) => p?.status === 'refunded')
      );
    });
    expect(settled).not.toBeNull();
    expect(financeCalls()).toBe(0);

    const mocked = await svc.service.ops.store.listMocked({ limit: 100 });
    for (const id of packets) {
      const payOrderNo = (await store.getPacket(id))?.payOrderNo ?? '';
      expect(await store.getPayment(payOrderNo)).toMatchObject({
        status: 'paid',
        providerTxnId: `MOCK-${payOrderNo}`,
      });
      expect(mocked).toContainEqual(
        expect.objectContaining({ orderNo: payOrderNo, kind: 'payment', packetId: id }),
      );
    }
    const kinds = (id: string) =>
      mocked
        .filter((o) => o.packetId === id)
        .map((o) => o.kind)
        .sort();
    for (const id of packets) expect(kinds(id)).toEqual(['payment', 'refund', 'transfer']);
    const listed = await svc.call('GET', '/admin/mocked-orders', { admin: true });
    expect(listed.body.orders).toHaveLength(mocked.length);

    // off: the next packet goes through the cashier again
    const off = await runCli(['mock', 'payment', 'off', '--data-dir', svc.dataDir]);
    expect(off.status).toBe(0);
    expect(await within(1000, async () => !svc.service.ops.switches.isOn('mock', 'payment'))).not.toBeNull();
    const real = await svc.call('POST', '/v1/c2c/packets', {
      uid: 'mock-sender',
      body: { outOrderNo: 'real-1', totalAmount: 500, totalCount: 2 },
    });
    expect([real.status, real.body.status, real.body.cashierUrl]).toEqual([
      201,
      'unpaid',
      expect.stringContaining('/finance/cashier/'),
    ]);
    expect(svc.service.finance.stats.count('POST /finance/pay-orders')).toBe(1);
  }, 30_000);
});
