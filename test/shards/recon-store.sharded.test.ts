/** Issue 6: the recon reads contract on 2 shards, and a window walked across both shards. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrderNo, newPacketId } from '../../src/domain/ids.js';
import type { ReconStore } from '../../src/domain/ports.js';
import { openReconStore } from '../../src/storage/recon/create-recon-store.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';
import { c2cInput } from '../contract/contract-fixtures.js';
import { reconStoreContract } from '../recon/recon-store.contract.js';
import { createTestMysql, mysqlAvailable } from '../support/services.js';
import { openShardedTestStore, uidOn, type ShardedTestStore } from './shard-support.js';

describe.skipIf(!(await mysqlAvailable()))('recon over 2 shards', () => {
  reconStoreContract('mysql, 2 shards', async () => {
    const dbs = [await createTestMysql('recon0'), await createTestMysql('recon1')];
    return {
      config: { kind: 'mysql', urls: dbs.map((d) => d.url) },
      cleanup: async () => {
        await Promise.all(dbs.map((d) => d.drop()));
      },
    };
  });

  describe('a window spread over both shards', () => {
    let s: ShardedTestStore;
    let recon: ReconStore;
    const base = Date.UTC(2026, 1, 12, 4);
    beforeAll(async () => {
      s = await openShardedTestStore(2, 'reconwalk');
      const config = { kind: 'mysql' as const, urls: s.dbs.map((d) => d.url) };
      const switches = await createSwitchStore(config);
      await switches.migrate();
      await switches.close();
      recon = openReconStore(config);
    });
    afterAll(async () => {
      await recon?.close();
      await s?.cleanup();
    });

    it('walks every payment of both shards once, in (createdAt, orderNo) order, and knows mocked ones', async () => {
      const made: string[] = [];
      for (let i = 0; i < 8; i++) {
        const shard = i % 2;
        const now = base + Math.floor(i / 3); // ties on createdAt across shards
        const input = c2cInput({
          senderUid: uidOn(shard, 2, 'payer'),
          id: newPacketId(shard, now),
          payOrderNo: newOrderNo('PAY', now),
          now,
          expiresAt: now + 60_000,
        });
        await s.store.createC2cPacket(input);
        made.push(input.payOrderNo);
      }
      // `mock payment` records its orders in the first shard's switch tables, whatever the shard
      const onShard1 = made[1]!;
      await s.raws[0]!.query(
        `INSERT INTO ops_mocked_orders (order_no, kind, packet_id, uid, amount, txn_id, created_at)
         VALUES (?, 'payment', NULL, 'x', 1000, 'MOCKTXN', 1)`,
        [onShard1],
      );

      const seen: { orderNo: string; createdAt: number; mocked: boolean }[] = [];
      let after: { createdAt: number; orderNo: string } | undefined;
      for (;;) {
        const page = await recon.listOrders({
          scope: 'c2c',
          kind: 'payment',
          fromMs: base,
          toMs: base + 10,
          limit: 3,
          ...(after ? { after } : {}),
        });
        if (page.length === 0) break;
        seen.push(...page);
        const last = page[page.length - 1]!;
        after = { createdAt: last.createdAt, orderNo: last.orderNo };
      }
      const expected = [...seen].sort(
        (a, b) => a.createdAt - b.createdAt || (a.orderNo < b.orderNo ? -1 : 1),
      );
      expect(seen).toStrictEqual(expected);
      expect(seen.map((o) => o.orderNo).sort()).toStrictEqual([...made].sort());
      expect(seen.filter((o) => o.mocked).map((o) => o.orderNo)).toStrictEqual([onShard1]);
      expect(await recon.findOrder(onShard1)).toMatchObject({ kind: 'payment' });
    });
  });
});
