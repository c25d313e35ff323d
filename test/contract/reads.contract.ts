import { expect, it } from 'vitest';
import { activePacket, c2cInput, tasksWithRef, type StoreHarness } from './contract-fixtures.js';

export function readsContract(h: () => StoreHarness): void {
  it('migrates again, even twice at once, without harm and keeps what was stored', async () => {
    const { store } = h();
    const { packet } = await store.createC2cPacket(c2cInput());
    await store.migrate();
    await Promise.all([store.migrate(), store.migrate()]);
    expect(await store.getPacket(packet.id)).toStrictEqual(packet);
  });

  it('answers null for an unknown packet, payment, claim and refund', async () => {
    const { store } = h();
    expect(await store.getPacket('P00NOSUCHPACKET')).toBeNull();
    expect(await store.getPayment('PAYNOSUCHORDER')).toBeNull();
    expect(await store.getClaim('P00NOSUCHPACKET', 'nobody')).toBeNull();
    expect(await store.listClaims('P00NOSUCHPACKET')).toStrictEqual([]);
    expect(await store.getRefund('P00NOSUCHPACKET-R')).toBeNull();
  });

  it('lists tasks in insertion order, filtered by kind and by status', async () => {
    const { store } = h();
    const packet = await activePacket(store);
    const all = await store.listTasks();
    const ids = all.map((t) => t.id);
    expect(ids).toStrictEqual([...ids].sort((a, b) => a - b));
    const recheck = all.find((t) => t.kind === 'payment_recheck' && t.ref === packet.payOrderNo);
    const expire = all.find((t) => t.kind === 'expire' && t.ref === packet.id);
    expect(recheck?.id).toBeLessThan(expire?.id ?? 0);

    const expires = await store.listTasks({ kind: 'expire' });
    expect(expires.length).toBeGreaterThan(0);
    expect(expires.every((t) => t.kind === 'expire')).toBe(true);
    expect(expires.map((t) => t.ref)).toContain(packet.id);

    const pendingRechecks = await store.listTasks({ kind: 'payment_recheck', status: 'pending' });
    expect(pendingRechecks.every((t) => t.kind === 'payment_recheck' && t.status === 'pending')).toBe(true);
    expect(pendingRechecks.map((t) => t.ref)).toContain(packet.payOrderNo);

    expect(await store.listTasks({ status: 'done' })).toStrictEqual([]);
    expect(await tasksWithRef(store, 'expire', packet.id)).toHaveLength(1);
  });
}
