/**
 * Issue 23 on a sharded store: `/metrics`' outbox backlog, oldest due task, unsettled alerts and
 * rows by state add up every shard's database (each shard keeps its own tasks and alerts), and
 * leave a gauge out rather than show a part of it when a shard cannot answer.
 */
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics/create-metrics.js';
import { createStore } from '../../src/storage/create-store.js';
import { shardOfPacketNo } from '../../src/storage/sharded/shard-routing.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';
import type { PacketStore } from '../../src/domain/ports.js';
import type { SwitchStore } from '../../src/switches/ports.js';
import { startTestService, type TestService } from '../support/service.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';
import { uidOn } from './shard-support.js';

/** The value of one sample, e.g. sample(text, 'redpkt_outbox_tasks{kind="transfer",status="pending"}'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function exec(url: string, sql: string, args: unknown[] = []): Promise<void> {
  const conn = await mysql.createConnection({ uri: url });
  try {
    await conn.query(sql, args);
  } finally {
    await conn.end();
  }
}

const NOW = Date.UTC(2026, 11, 6, 20, 0, 0);

async function task(url: string, kind: string, ref: string, status: string, dueAgoMs: number) {
  await exec(
    url,
    'INSERT INTO tasks (kind, ref, status, due_at, attempts, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
    [kind, ref, status, NOW - dueAgoMs, NOW - dueAgoMs, NOW - dueAgoMs],
  );
}

async function alert(url: string, kind: string, ref: string) {
  await exec(url, 'INSERT INTO alerts (kind, ref, message, attempts, created_at) VALUES (?, ?, ?, 3, ?)', [
    kind,
    ref,
    'stuck',
    NOW,
  ]);
}

describe.skipIf(!(await mysqlAvailable()))('/metrics row counts on 2 MySQL shards', () => {
  describe('the outbox and alert gauges', () => {
    let dbs: TestMysql[] = [];
    let packets: PacketStore;
    let switches: SwitchStore;
    const scrape = () =>
      createMetrics({
        states: () => switches.countStates(),
        statesMaxAgeMs: 0,
        processMetrics: false,
      }).render();

    beforeAll(async () => {
      dbs = [await createTestMysql('wc0'), await createTestMysql('wc1')];
      const urls = dbs.map((d) => d.url);
      packets = await createStore({ kind: 'mysql', urls });
      await packets.migrate();
      switches = await createSwitchStore({ kind: 'mysql', urls });
      await switches.migrate();
      const [a, b] = urls as [string, string];
      await task(a, 'transfer', 'T-a1', 'pending', 60_000);
      await task(a, 'transfer', 'T-a2', 'pending', 10_000);
      await task(a, 'refund', 'R-a1', 'dead', 90_000);
      await task(a, 'transfer', 'T-a3', 'done', 900_000);
      await task(b, 'transfer', 'T-b1', 'pending', 300_000);
      await task(b, 'transfer', 'T-b2', 'pending', 5_000);
      await task(b, 'transfer', 'T-b3', 'pending', 1_000);
      await task(b, 'refund', 'R-b1', 'dead', 1_000);
      await alert(a, 'transfer', 'T-a9');
      await alert(b, 'refund', 'R-b1');
      await alert(b, 'refund', 'R-b2');
    });
    afterAll(async () => {
      await switches?.close();
      await packets?.close();
      await Promise.all(dbs.map((d) => d.drop()));
    });

    it('adds up every shard: the backlog by kind and status, the alerts by kind', async () => {
      const text = await scrape();
      expect(sample(text, 'redpkt_outbox_tasks{kind="transfer",status="pending"}')).toBe(5);
      expect(sample(text, 'redpkt_outbox_tasks{kind="refund",status="dead"}')).toBe(2);
      expect(sample(text, 'redpkt_unsettled_alerts{kind="transfer"}')).toBe(1);
      expect(sample(text, 'redpkt_unsettled_alerts{kind="refund"}')).toBe(2);
      expect(sample(text, 'redpkt_unsettled_alerts{kind="payment"}')).toBe(0);
    });

    it('takes the oldest due task from whichever shard holds it', async () => {
      const counts = await switches.countStates();
      expect(counts.oldestPendingDueAt).toBe(NOW - 300_000); // shard 1's, not shard 0's NOW - 60 s
    });

    it('leaves a gauge out, never a part of it, when a shard cannot answer for its table', async () => {
      // (a long-running serve keeps the last counts it read: createCachedStates)
      await exec(dbs[1]!.url, 'RENAME TABLE tasks TO tasks_away');
      try {
        const text = await scrape();
        expect(text).not.toMatch(/^redpkt_outbox_tasks\{/m);
        expect((await switches.countStates()).oldestPendingDueAt).toBeUndefined();
        // the other tables still count on both shards
        expect(sample(text, 'redpkt_unsettled_alerts{kind="refund"}')).toBe(2);
      } finally {
        await exec(dbs[1]!.url, 'RENAME TABLE tasks_away TO tasks');
      }
      expect(sample(await scrape(), 'redpkt_outbox_tasks{kind="transfer",status="pending"}')).toBe(5);
    });
  });

  describe('a serve on both shards', () => {
    let dbs: TestMysql[] = [];
    let t: TestService;
    beforeAll(async () => {
      dbs = [await createTestMysql('wcs0'), await createTestMysql('wcs1')];
      t = await startTestService('sqlite', { config: { mysql: dbs.map((d) => d.url) } });
    });
    afterAll(async () => {
      await t?.stop();
      const conn = await mysql.createConnection({ uri: dbs[0]!.url });
      for (const db of dbs)
        for (const suffix of ['_finance', '_shadow', '_finance_shadow'])
          await conn.query(`DROP DATABASE IF EXISTS \`${db.database}${suffix}\``);
      await conn.end();
      await Promise.all(dbs.map((d) => d.drop()));
    });

    it('counts a packet and its payment that live on the second shard', async () => {
      const id = await t.activePacket(uidOn(1, 2, 'wcsender'), {
        outOrderNo: `wc-${Date.now()}`,
        totalAmount: 500,
        totalCount: 5,
      });
      expect(shardOfPacketNo(id, 2)).toBe(1);
      // the row counts are read at most once a second
      const deadline = Date.now() + 20_000;
      let text = '';
      while (Date.now() < deadline) {
        text = await (await fetch(`${t.url}/metrics`)).text();
        if ((sample(text, 'redpkt_payments{status="paid"}') ?? 0) >= 1) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(sample(text, 'redpkt_payments{status="paid"}')).toBe(1);
      expect(sample(text, 'redpkt_packets{type="c2c",status="active"}')).toBe(1);
    }, 40_000);
  });
});
