/**
 * Issue 25: a packet's next claim transaction starts once the last one is decided (only its
 * COMMIT left), and its lock SELECT waits for that COMMIT in MariaDB. Two transactions of one
 * packet are then in flight at once; the row lock is what keeps them apart. Racing claimers of a
 * hot packet and of spread packets, through the coalescer on the real MySQL store: every share is
 * claimed once, no more, and every answer is the claim stored.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaimCoalescer } from '../../src/core/claim-coalescer.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { activePacket, NOW, sum } from './contract-fixtures.js';
import { createTestMysqlStore, type TestMysqlStore } from '../support/mysql-store.js';
import { mysqlAvailable } from '../support/services.js';

describe.skipIf(!(await mysqlAvailable()))('pipelined claim transactions on MySQL', () => {
  let db: TestMysqlStore;
  let store: PacketStore;
  beforeAll(async () => {
    db = await createTestMysqlStore('pipeline');
    ({ store } = db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** The store, noting the most transactions any one packet was in at once. */
  function watching() {
    const inFlight = new Map<string, number>();
    let most = 0;
    const spy: Pick<PacketStore, 'claimSharesMany'> = {
      claimSharesMany: async (requests, now, random, onDecided) => {
        for (const { packetId } of requests) {
          const n = (inFlight.get(packetId) ?? 0) + 1;
          inFlight.set(packetId, n);
          most = Math.max(most, n);
        }
        try {
          return await store.claimSharesMany(requests, now, random, onDecided);
        } finally {
          for (const { packetId } of requests) inFlight.set(packetId, inFlight.get(packetId)! - 1);
        }
      },
    };
    return { spy, most: () => most };
  }

  /** `waves` bursts of claimers a few ms apart, so that groups keep forming while others commit. */
  async function race(
    q: ReturnType<typeof createClaimCoalescer>,
    asks: Array<[string, string]>,
    waves: number,
  ) {
    const size = Math.ceil(asks.length / waves);
    const answers: Array<Promise<Awaited<ReturnType<typeof q.claim>>>> = [];
    for (let w = 0; w < waves; w++) {
      for (const [packetId, uid] of asks.slice(w * size, (w + 1) * size))
        answers.push(q.claim(packetId, uid));
      await sleep(2);
    }
    return Promise.all(answers);
  }

  it('claims every share of a hot packet once with its transactions overlapping', async () => {
    const packet = await activePacket(store, { totalAmount: 20_000, totalCount: 200 });
    const { spy, most } = watching();
    const q = createClaimCoalescer({ store: spy, now: () => NOW + 1_000, maxBatch: 40 });
    const asks = Array.from({ length: 600 }, (_, i): [string, string] => [packet.id, `hot${i}`]);
    const answers = await race(q, asks, 30);

    // two in this process's view; in the database one of them is committing, the other waits
    // for its lock (a third may have started when the second is decided, before the first's
    // COMMIT answer was read)
    expect(most()).toBeGreaterThanOrEqual(2);
    const ok = answers.flatMap((a) => (a.outcome.ok ? [a.outcome.claim] : []));
    expect(ok).toHaveLength(200);
    expect(answers.filter((a) => !a.outcome.ok && a.outcome.code === 'PACKET_EXHAUSTED')).toHaveLength(400);
    expect(sum(ok.map((c) => c.amount))).toBe(20_000);
    const stored = await store.listClaims(packet.id);
    expect(stored.map((c) => `${c.uid}:${c.amount}`).sort()).toEqual(
      ok.map((c) => `${c.uid}:${c.amount}`).sort(),
    );
    expect(new Set(stored.map((c) => c.seq)).size).toBe(200);
    const after = (await store.getPacket(packet.id))!;
    expect([after.remainingCount, after.remainingAmount, after.status]).toEqual([0, 0, 'exhausted']);
    expect(q.activeQueues()).toBe(0);
  });

  it('claims spread packets exactly when their groups overlap', async () => {
    const packets = await Promise.all(
      Array.from({ length: 40 }, () => activePacket(store, { totalAmount: 300, totalCount: 3 })),
    );
    const { spy, most } = watching();
    const q = createClaimCoalescer({ store: spy, now: () => NOW + 1_000, maxBatch: 25 });
    // five claimers for each packet of three shares, shuffled
    const asks = packets
      .flatMap((p) => Array.from({ length: 5 }, (_, k): [string, string] => [p.id, `${p.id.slice(-6)}s${k}`]))
      .sort(() => Math.random() - 0.5);
    const answers = await race(q, asks, 20);

    expect(most()).toBeGreaterThanOrEqual(2);
    for (const p of packets) {
      const mine = answers.filter((_, i) => asks[i]![0] === p.id);
      const ok = mine.flatMap((a) => (a.outcome.ok ? [a.outcome.claim] : []));
      expect(ok, JSON.stringify(mine.map((a) => a.outcome))).toHaveLength(3);
      expect(sum(ok.map((c) => c.amount))).toBe(300);
      expect((await store.listClaims(p.id)).map((c) => c.claimNo).sort()).toEqual(
        ok.map((c) => c.claimNo).sort(),
      );
    }
  });
});
