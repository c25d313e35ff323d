import { describe, expect, it } from 'vitest';
import type { SwitchChange, SwitchStore } from '../../src/switches/ports.js';

const change = (over: Partial<SwitchChange> = {}): SwitchChange => ({
  kind: 'degrade',
  name: 'c2c-send',
  value: 1,
  actor: 'alice@laptop',
  via: 'direct',
  reason: 'finance is slow',
  at: 1_000,
  ...over,
});

/** One behaviour, two adapters: the switch store on SQLite and on MariaDB. */
export function switchStoreContract(name: string, make: () => Promise<SwitchStore>) {
  describe(`switch store (${name})`, () => {
    it('starts with no switch set, and migrating again changes nothing', async () => {
      const store = await make();
      await store.migrate();
      expect(await store.listSwitches()).toEqual([]);
      expect(await store.listAudit({ limit: 10 })).toEqual([]);
    });

    it('sets a switch and writes one audit row with who, when, old -> new and why', async () => {
      const store = await make();
      const r = await store.setSwitch(change());
      expect(r).toMatchObject({ oldValue: 0, newValue: 1, changed: true, actor: 'alice@laptop' });
      expect(r.auditId).toBeGreaterThan(0);
      expect(await store.listSwitches()).toEqual([
        {
          kind: 'degrade',
          name: 'c2c-send',
          value: 1,
          reason: 'finance is slow',
          updatedBy: 'alice@laptop',
          updatedAt: 1_000,
        },
      ]);
      const [entry] = await store.listAudit({ limit: 10 });
      expect(entry).toEqual({
        id: r.auditId,
        kind: 'degrade',
        name: 'c2c-send',
        oldValue: 0,
        newValue: 1,
        actor: 'alice@laptop',
        via: 'direct',
        reason: 'finance is slow',
        at: 1_000,
      });
    });

    it('writes nothing when the switch already has the value', async () => {
      const store = await make();
      await store.setSwitch(change());
      const again = await store.setSwitch(change({ actor: 'bob', at: 2_000 }));
      expect(again).toMatchObject({ changed: false, oldValue: 1, newValue: 1, auditId: null });
      expect(await store.listAudit({ limit: 10 })).toHaveLength(1);
      expect((await store.listSwitches())[0]?.updatedBy).toBe('alice@laptop');
      // turning off a switch never set is no change either
      expect((await store.setSwitch(change({ name: 'claim', value: 0 }))).changed).toBe(false);
      expect(await store.listSwitches()).toHaveLength(1);
    });

    it('gives two operators racing on one switch a true old -> new each', async () => {
      const store = await make();
      const results = await Promise.all([
        store.setSwitch(change({ kind: 'limit', name: 'claim', value: 100, actor: 'a' })),
        store.setSwitch(change({ kind: 'limit', name: 'claim', value: 200, actor: 'b' })),
      ]);
      const audit = (await store.listAudit({ limit: 10, kind: 'limit', name: 'claim' })).reverse();
      expect(audit.map((a) => [a.oldValue, a.newValue])).toEqual(
        audit[0]?.newValue === 100
          ? [
              [0, 100],
              [100, 200],
            ]
          : [
              [0, 200],
              [200, 100],
            ],
      );
      expect(results.every((r) => r.changed)).toBe(true);
      expect((await store.listSwitches())[0]?.value).toBe(audit[1]?.newValue);
    });

    it('lists the audit trail newest first, filtered by switch', async () => {
      const store = await make();
      await store.setSwitch(change({ at: 1 }));
      await store.setSwitch(change({ value: 0, at: 2 }));
      await store.setSwitch(change({ kind: 'mock', name: 'payment', at: 3 }));
      expect((await store.listAudit({ limit: 10 })).map((a) => a.at)).toEqual([3, 2, 1]);
      expect((await store.listAudit({ limit: 10, kind: 'degrade' })).map((a) => a.at)).toEqual([2, 1]);
      expect((await store.listAudit({ limit: 1 })).map((a) => a.at)).toEqual([3]);
    });

    it('records a mocked order once, and knows the packets whose payment was mocked', async () => {
      const store = await make();
      const order = {
        orderNo: 'PAY1',
        kind: 'payment' as const,
        packetId: 'P001',
        uid: 'u1',
        amount: 888,
        txnId: 'MOCK-PAY1',
        createdAt: 5,
      };
      expect(await store.recordMocked(order)).toEqual(order);
      expect(await store.recordMocked({ ...order, amount: 1, createdAt: 6 })).toEqual(order);
      expect(await store.getMocked('PAY1')).toEqual(order);
      expect(await store.getMocked('PAY2')).toBeNull();
      expect(await store.isPacketMocked('P001')).toBe(true);
      expect(await store.isPacketMocked('P002')).toBe(false);
      await store.recordMocked({
        ...order,
        orderNo: 'P002-1',
        kind: 'transfer',
        packetId: 'P002',
        createdAt: 7,
      });
      expect(await store.isPacketMocked('P002')).toBe(false); // a transfer alone does not make a packet mocked
      expect((await store.listMocked({ limit: 10 })).map((o) => o.orderNo)).toEqual(['PAY1', 'P002-1']);
      expect((await store.listMocked({ limit: 10, since: 6 })).map((o) => o.orderNo)).toEqual(['P002-1']);
    });

    it('counts rows by state for the metrics, leaving out tables that are not there', async () => {
      const store = await make();
      await store.recordMocked({
        orderNo: 'PAY9',
        kind: 'payment',
        packetId: 'P009',
        uid: 'u',
        amount: 1,
        txnId: 'MOCK-PAY9',
        createdAt: 1,
      });
      const counts = await store.countStates();
      expect(counts.mocked).toEqual([{ kind: 'payment', count: 1 }]);
    });
  });
}
