/**
 * Issue 21 part 1: `redpkt serve --cores 2 --mysql …` as real processes on a real MariaDB: the
 * gateway on --port lists its cores (with their pids) on /healthz, claims go through; a core
 * killed mid-run is started again while its packets fail over, and the money adds up; SIGTERM
 * drains every core and the supervisor exits 0 with no process left. On SQLite it refuses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';
import {
  claimsInDb,
  dropWithTwins,
  fleetClient,
  FLEET_SECRET,
  sleep,
  until,
  type Answer,
} from './fleet-support.js';
import { spawnSync } from 'node:child_process';
import { BIN } from '../support/serve-process.js';

const ready = await mysqlAvailable();

const withoutMysql = () => {
  const env = { ...process.env };
  delete env.REDPKT_MYSQL;
  return env;
};

interface CoreInfo {
  name: string;
  url: string;
  pid: number | undefined;
  state: string;
  restarts: number;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('redpkt serve --cores', () => {
  it('refuses --cores 2 on the embedded SQLite store, saying why (exit 3)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-fleet-sqlite-'));
    try {
      const run = spawnSync(
        process.execPath,
        [BIN, 'serve', '--cores', '2', '--data-dir', dir, '--port', '0'],
        {
          encoding: 'utf8',
          env: withoutMysql(),
          timeout: 30_000,
        },
      );
      expect(run.status).toBe(3);
      expect(run.stderr).toMatch(/--cores 2 needs --mysql: the embedded SQLite store/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!ready)('redpkt serve --cores 2 on MariaDB (real processes)', () => {
  let db: TestMysql;
  let dir: string;
  let fleet: ServeProcess;
  const client = fleetClient(() => fleet.url);
  const cores = async (): Promise<CoreInfo[]> =>
    (await client.call('GET', '/healthz')).body.supervisor.cores as CoreInfo[];

  beforeAll(async () => {
    db = await createTestMysql('fleet');
    dir = await mkdtemp(join(tmpdir(), 'redpkt-fleet-'));
    fleet = await startServe(
      ['--cores', '2', '--mysql', db.url, '--port', '0', '--data-dir', dir, '--secret', FLEET_SECRET],
      { ...process.env, REDPKT_LOG_LEVEL: 'warn' },
      90_000,
    );
  }, 120_000);

  afterAll(async () => {
    if (fleet && fleet.child.exitCode === null) await fleet.kill();
    await dropWithTwins(db.url).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  it('lists both cores on /healthz and answers ready on /readyz', async () => {
    await until(async () => (await client.call('GET', '/readyz')).status === 200, 60_000, 'readiness');
    const health = await client.call('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body.cores).toHaveLength(2);
    const list = await cores();
    expect(list.map((c) => c.name)).toEqual(['core-0', 'core-1']);
    for (const c of list) {
      expect(c.state).toBe('running');
      expect(alive(c.pid!)).toBe(true);
      expect(c.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(new Set(health.body.cores.map((c: { url: string }) => c.url))).toEqual(
      new Set(list.map((c) => c.url)),
    );
  });

  it('starts a killed core again while its packet fails over, and the money adds up', async () => {
    const amount = 20_000;
    const shares = 60;
    const id = await client.activePacket('sender', amount, shares);
    const first = await client.claim(id, 'u0');
    expect(first.status).toBe(200);
    const owner = (await cores()).find((c) => c.url === first.core)!;

    const answers: Answer[] = [first];
    let killed = false;
    for (let batch = 0; batch < 12; batch++) {
      const uids = Array.from({ length: 10 }, (_, k) => `u${batch * 10 + k + 1}`);
      answers.push(...(await Promise.all(uids.map((uid) => client.claim(id, uid)))));
      if (!killed && batch === 2) {
        process.kill(owner.pid!, 'SIGKILL');
        killed = true;
      }
    }
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(shares);
    expect(
      new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body?.error?.code}`)),
    ).toEqual(new Set(['409 PACKET_EXHAUSTED']));
    expect(ok.reduce((s, a) => s + (a.body.amount as number), 0)).toBe(amount);
    expect(await claimsInDb(db.url, id)).toEqual({ count: shares, sum: amount, uids: shares });
    // the other core answered while the owner was down
    expect(new Set(ok.map((a) => a.core)).size).toBe(2);

    await until(
      async () => {
        const c = (await cores()).find((x) => x.name === owner.name)!;
        return c.restarts === 1 && c.state === 'running' && c.pid !== owner.pid;
      },
      60_000,
      'the killed core to run again',
    );
    // and it takes its packet back once ready
    await until(
      async () => (await client.call('GET', `/v1/packets/${id}`, 'sender')).core === owner.url,
      60_000,
    );
    expect(fleet.stderr()).toMatch(
      new RegExp(`supervisor: ${owner.name} .* killed by SIGKILL; starting it again`),
    );
  });

  it('drains every core on SIGTERM and exits 0, leaving no process behind', async () => {
    const pids = (await cores()).map((c) => c.pid!);
    expect(await fleet.stop()).toBe(0);
    await until(() => pids.every((p) => !alive(p)), 30_000, 'the cores to exit');
    expect(fleet.stderr()).toMatch(/\[core-0\] redpkt: SIGTERM, shutting down/);
    expect(fleet.stderr()).toMatch(/\[core-1\] redpkt: SIGTERM, shutting down/);
    await sleep(0);
  });
});
