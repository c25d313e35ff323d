/**
 * Issue 22: every keyset page the recon reads from the embedded packet store walks an index in
 * its ORDER BY. A page that makes SQLite sort (a temp B-tree) reads and sorts the whole rest of the
 * window for every page: a 1,000,000-order day's `c2c:transfer` pages took minutes that way, when
 * SQLite drove the claims' JOIN from the packets' type index. Asserted on the plans SQLite picks
 * for the exact statements the store sends (with a cursor, as every page but the first has).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconOrderRow, ReconScope } from '../../src/domain/ports.js';
import { createStore } from '../../src/storage/create-store.js';
import { sqliteRunner } from '../../src/storage/recon/create-recon-store.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';
import { createReconStore, type SqlRunner, type SqlValue } from '../../src/storage/recon/recon-store.js';

const KINDS: [ReconScope, ReconOrderRow['kind']][] = [
  ['c2c', 'payment'],
  ['c2c', 'transfer'],
  ['c2c', 'refund'],
  ['b2c', 'transfer'],
  ['b2c', 'return'],
];

describe('the recon pages on SQLite', () => {
  let dir: string;
  let runner: SqlRunner;
  const sent: { sql: string; args: readonly SqlValue[] }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-recon-plans-'));
    const file = join(dir, 'redpkt.db');
    const store = await createStore({ kind: 'sqlite', file });
    await store.migrate();
    await store.close();
    const switches = await createSwitchStore({ kind: 'sqlite', file });
    await switches.migrate();
    await switches.close();
    runner = sqliteRunner(file);
  });
  afterAll(async () => {
    await runner?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function plansOf(read: (store: ReturnType<typeof createReconStore>) => Promise<unknown>) {
    sent.length = 0;
    const recording: SqlRunner = {
      all: (sql, args) => (sent.push({ sql, args }), runner.all(sql, args)),
      run: (sql, args) => runner.run(sql, args),
      close: async () => {},
    };
    await read(createReconStore(recording));
    expect(sent.length).toBeGreaterThan(0);
    return Promise.all(
      sent.map(async (s) =>
        (await runner.all(`EXPLAIN QUERY PLAN ${s.sql}`, s.args)).map((r) => String(r.detail)).join('\n'),
      ),
    );
  }

  it.each(KINDS)('reads %s %s orders along an index, no sort per page', async (scope, kind) => {
    const [plan] = await plansOf((s) =>
      s.listOrders({
        scope,
        kind,
        fromMs: 0,
        toMs: 2e12,
        after: { createdAt: 1e12, orderNo: 'X' },
        limit: 1000,
      }),
    );
    expect(plan).not.toMatch(/TEMP B-TREE/);
    // the outer loop is the order table's created_at index, not a scan of another table
    expect(plan!.split('\n')[0]).toMatch(
      /^SEARCH o USING (COVERING )?INDEX \w+created\w* \(created_at>\? AND created_at<\?\)/,
    );
  });

  it('reads packet totals and subsidies along an index, no sort per page', async () => {
    const plans = await plansOf(async (s) => {
      for (const type of ['c2c', 'b2c'] as const)
        await s.listPacketTotals({
          type,
          fromMs: 0,
          toMs: 2e12,
          after: { createdAt: 1e12, packetId: 'P' },
          limit: 1000,
        });
      await s.listSubsidies({
        fromMs: 0,
        toMs: 2e12,
        after: { issuedAt: 1e12, outGrantNo: 'G' },
        limit: 1000,
      });
    });
    expect(plans).toHaveLength(3);
    for (const plan of plans) expect(plan).not.toMatch(/TEMP B-TREE/);
  });
});
