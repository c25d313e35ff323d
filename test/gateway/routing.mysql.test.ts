/**
 * Issue 6: a gateway in front of three real cores sharing one MariaDB database. Every request of
 * a packet lands on one core; 200 claimers through the gateway get exactly the shares; and when
 * the owning core stops mid-run, the rest of the claims go to the next core in the ranking and
 * the money still adds up (the database lock is the final guard).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRendezvous } from '../../src/gateway/rendezvous.js';
import { mysqlAvailable } from '../support/services.js';
import { startCluster, type Answer, type Cluster } from './cluster.js';

const ready = await mysqlAvailable();

describe.skipIf(!ready)('a gateway routing by packet id to three cores on one MariaDB', () => {
  let cluster: Cluster;
  let origins: string[];
  const ownerOf = (packetId: string) => origins[createRendezvous(origins).rank(packetId)[0]!]!;
  const runnerUpOf = (packetId: string) => origins[createRendezvous(origins).rank(packetId)[1]!]!;

  beforeAll(async () => {
    cluster = await startCluster(3);
    origins = cluster.cores.map((c) => c.url);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('sends every request of one packet to the same core, and packets to several cores', async () => {
    const owners = new Set<string>();
    const ids = await Promise.all(Array.from({ length: 9 }, (_, k) => cluster.activePacket(`s${k}`, 300, 3)));
    for (const [k, id] of ids.entries()) {
      const answers: Answer[] = [
        await cluster.call('GET', `/v1/packets/${id}`, `s${k}`),
        await cluster.claim(id, `a${k}`),
        await cluster.claim(id, `b${k}`),
        await cluster.claim(id, `a${k}`), // the same claimer again: the same claim
        await cluster.call('GET', `/v1/packets/${id}/claims`, `s${k}`),
      ];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers[3]!.body).toMatchObject({ claimNo: answers[1]!.body.claimNo, created: false });
      expect(new Set(answers.map((a) => a.core))).toEqual(new Set([ownerOf(id)]));
      owners.add(ownerOf(id));
    }
    // 9 packets all on one of 3 cores: probability 3 / 3^9
    expect(owners.size).toBeGreaterThan(1);
  });

  it('gives 200 concurrent claimers exactly the shares of a packet, summing to its amount', async () => {
    const amount = 10_000;
    const shares = 50;
    const id = await cluster.activePacket('rich', amount, shares);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => cluster.claim(id, `c${i}`)));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(shares);
    expect(ok.every((a) => a.body.created === true && a.body.amount >= 1)).toBe(true);
    expect(ok.reduce((s, a) => s + (a.body.amount as number), 0)).toBe(amount);
    expect(new Set(ok.map((a) => a.body.claimNo)).size).toBe(shares);
    const rest = answers.filter((a) => a.status !== 200);
    expect(new Set(rest.map((a) => `${a.status} ${a.body.error?.code}`))).toEqual(
      new Set(['409 PACKET_EXHAUSTED']),
    );
    // every answer a core gave came from the packet's core (the gateway answers "exhausted" itself)
    expect(new Set(answers.map((a) => a.core).filter((c) => c !== null))).toEqual(new Set([ownerOf(id)]));
    expect(await cluster.claimsInDb(id)).toEqual({ count: shares, sum: amount, uids: shares });
  });

  it('moves a packet to the next core when its core stops mid-run, and the money still adds up', async () => {
    const amount = 30_000;
    const shares = 100;
    const id = await cluster.activePacket('failover', amount, shares);
    const owner = ownerOf(id);
    const next = runnerUpOf(id);
    const ownerService = cluster.cores.find((c) => c.url === owner)!;

    // 300 claimers, 20 at a time; the owning core stops once 30 shares are out
    const answers: Answer[] = [];
    let nextUid = 0;
    let okSoFar = 0;
    let stopping: Promise<void> | undefined;
    const claimer = async () => {
      while (nextUid < 300) {
        const uid = `f${nextUid++}`;
        const a = await cluster.claim(id, uid);
        answers.push(a);
        if (a.status === 200 && ++okSoFar === 30) stopping = ownerService.close();
      }
    };
    await Promise.all(Array.from({ length: 20 }, claimer));
    await stopping;

    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(shares);
    expect(ok.reduce((s, a) => s + (a.body.amount as number), 0)).toBe(amount);
    expect(await cluster.claimsInDb(id)).toEqual({ count: shares, sum: amount, uids: shares });
    // the owner served the start, the runner-up the rest; nobody else, and no 5xx
    const byCore = new Map<string | null, number>();
    for (const a of ok) byCore.set(a.core, (byCore.get(a.core) ?? 0) + 1);
    expect(byCore.get(owner)).toBeGreaterThanOrEqual(30);
    expect(byCore.get(next)).toBeGreaterThan(0);
    expect([...byCore.keys()].sort()).toEqual([owner, next].sort());
    const statuses = new Set(answers.map((a) => `${a.status} ${a.status === 200 ? '' : a.body.error?.code}`));
    expect([...statuses].filter((s) => !['200 ', '409 PACKET_EXHAUSTED'].includes(s))).toEqual([]);

    // the gateway knows the core is down; the packet's reads now come from the runner-up
    const health = await cluster.call('GET', '/healthz');
    expect(health.body.cores.find((c: { url: string }) => c.url === owner)).toMatchObject({ up: false });
    const detail = await cluster.call('GET', `/v1/packets/${id}`, 'failover');
    expect([detail.status, detail.core, detail.body.remainingCount]).toEqual([200, next, 0]);
  });
});
