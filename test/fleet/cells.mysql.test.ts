/**
 * Issue 21 part 2: cells. `redpkt serve --cores 2 --cells 2` on two MariaDB shards: cell-0 owns
 * shard 0, cell-1 shard 1, each the other's backup. A packet's requests go to the cell owning the
 * shard in its id; when the whole of cell-0 is killed mid-run its packets are served by cell-1
 * (which reaches the same shard database) and the money check holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOfPacket } from '../../src/gateway/core-router.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';
import { claimsInDb, dropWithTwins, fleetClient, FLEET_SECRET, until, type Answer } from './fleet-support.js';

const ready = await mysqlAvailable();

describe.skipIf(!ready)('redpkt serve --cores 2 --cells 2 on two MariaDB shards', () => {
  const shards: TestMysql[] = [];
  let dir: string;
  let fleet: ServeProcess;
  const client = fleetClient(() => fleet.url);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the supervisor's /healthz JSON
  const health = async (): Promise<any> => (await client.call('GET', '/healthz')).body;

  beforeAll(async () => {
    shards.push(await createTestMysql('cell0'), await createTestMysql('cell1'));
    dir = await mkdtemp(join(tmpdir(), 'redpkt-cells-'));
    const args = ['--cores', '2', '--cells', '2', '--port', '0', '--data-dir', dir, '--secret', FLEET_SECRET];
    for (const s of shards) args.push('--mysql', s.url);
    fleet = await startServe(args, { ...process.env, REDPKT_LOG_LEVEL: 'warn' }, 90_000);
    await until(async () => (await client.call('GET', '/readyz')).status === 200, 60_000, 'readiness');
  }, 120_000);

  afterAll(async () => {
    if (fleet && fleet.child.exitCode === null) await fleet.stop();
    for (const s of shards) await dropWithTwins(s.url).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  /** An active packet on `shard`: senders are tried until one's packet lands there. */
  async function packetOnShard(shard: number, amount: number, count: number): Promise<string> {
    for (let k = 0; k < 40; k++) {
      const id = await client.activePacket(`sender-${shard}-${k}`, amount, count);
      if (shardOfPacket(id) === shard) return id;
    }
    throw new Error(`no packet landed on shard ${shard}`);
  }

  it('lists the cells, their shards and backups on /healthz', async () => {
    const h = await health();
    expect(h.cells).toEqual([
      expect.objectContaining({ name: 'cell-0', shards: [0], backup: 'cell-1', up: true }),
      expect.objectContaining({ name: 'cell-1', shards: [1], backup: 'cell-0', up: true }),
    ]);
    expect(h.supervisor.cores.map((c: { cell: string }) => c.cell)).toEqual(['cell-0', 'cell-1']);
  });

  it('sends a packet to the cell owning its shard, and a dead cell’s packets to its backup, money intact', async () => {
    const h = await health();
    const coreOfCell = (cell: string) =>
      h.cells.find((c: { name: string }) => c.name === cell).cores[0] as string;
    const one = await packetOnShard(1, 300, 3);
    expect((await client.claim(one, 'x1')).core).toBe(coreOfCell('cell-1'));

    const amount = 12_000;
    const shares = 40;
    const id = await packetOnShard(0, amount, shares);
    const answers: Answer[] = [];
    const victim = h.supervisor.cores.find((c: { cell: string }) => c.cell === 'cell-0');
    for (let batch = 0; batch < 8; batch++) {
      const uids = Array.from({ length: 8 }, (_, k) => `c${batch * 8 + k}`);
      answers.push(...(await Promise.all(uids.map((uid) => client.claim(id, uid)))));
      if (batch === 1) process.kill(victim.pid, 'SIGKILL'); // the whole of cell-0
    }
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(shares);
    expect(ok.reduce((s, a) => s + (a.body.amount as number), 0)).toBe(amount);
    const cores = new Set(ok.map((a) => a.core));
    expect(cores.has(coreOfCell('cell-0'))).toBe(true); // before the kill
    expect(cores.has(coreOfCell('cell-1'))).toBe(true); // the backup, while cell-0 was down
    expect(await claimsInDb(shards[0]!.url, id)).toEqual({ count: shares, sum: amount, uids: shares });
    expect(await claimsInDb(shards[1]!.url, id)).toEqual({ count: 0, sum: 0, uids: 0 });
    // cell-0 comes back (the supervisor restarts its core) and takes its packets back
    await until(
      async () => (await client.call('GET', `/v1/packets/${id}`, 'x')).core === coreOfCell('cell-0'),
      60_000,
    );
  }, 180_000);
});
