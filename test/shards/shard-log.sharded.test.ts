/**
 * A shard's failure reaches the service's own log: `createStore` (what `serve` opens its lanes
 * with) hands the throttled shard-failure logger the log it is given, instead of stderr.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacketStore } from '../../src/domain/ports.js';
import { createStore } from '../../src/storage/create-store.js';
import { createTestMysql, mysqlAvailable, type TestMysql } from '../support/services.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

describe.skipIf(!(await mysqlAvailable()))('a sharded store opened by createStore with a log', () => {
  let dbs: TestMysql[] = [];
  let proxy: TcpProxy;
  let store: PacketStore;
  const logged: string[] = [];

  beforeAll(async () => {
    dbs = await Promise.all([createTestMysql('log0'), createTestMysql('log1')]);
    const target = new URL(dbs[1]!.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 3306));
    store = await createStore(
      { kind: 'mysql', urls: [dbs[0]!.url, proxy.via(dbs[1]!.url)] },
      { log: (msg) => logged.push(msg) },
    );
    await store.migrate();
    await proxy.stop();
  });

  afterAll(async () => {
    await store?.close();
    await proxy?.stop();
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('logs the down shard there, and leases what the healthy shard has', async () => {
    const leased = await store.leaseTasks({ owner: 'w1', now: Date.now(), leaseMs: 60_000, limit: 10 });
    expect(leased).toStrictEqual([]);
    expect(logged).toStrictEqual(['shard 2 of 2 failed leaseTasks']);
  });
});
