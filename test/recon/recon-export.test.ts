/**
 * Issue 22: `recon export` → `recon --from` gives the same report as the live path (a window with
 * a matched flow, a refund and a planted discrepancy); a truncated Parquet file is refused (exit
 * 4); `recon sql --engine duckdb` run by DuckDB over the export gives the same result tables, and
 * the Spark dialect keeps the statements but makes cached views.
 */
import { cp, mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { reconCommand } from '../../src/commands/recon.js';
import { reconExportCommand } from '../../src/commands/recon-export.js';
import { reconSqlStatements } from '../../src/commands/recon-sql.js';
import { openEngine } from '../../src/recon/duck/engine.js';
import type { Manifest } from '../../src/recon/export/manifest.js';
import type { ReconReport } from '../../src/recon/run-recon.js';
import { booksOf, isSettled } from '../worker/support/settled.js';
import { startHarness, waitFor, type Harness } from '../worker/support/settlement-harness.js';
import { shanghaiDate } from './rain-flows.js';

const NOW = Date.UTC(2030, 0, 1);

describe('redpkt recon export and recon --from (sqlite)', () => {
  let h: Harness;
  let date: string;
  let work: string;
  let dir: string;
  let claims: number;

  const io = (sink: { out: string }) => ({ write: (t: string) => void (sink.out += t), now: () => NOW });
  async function recon(flags: Record<string, unknown>): Promise<{ code: number; report: ReconReport }> {
    const sink = { out: '' };
    const code = await reconCommand({ date, json: true, ...flags }, io(sink));
    return { code, report: JSON.parse(sink.out) as ReconReport };
  }

  beforeAll(async () => {
    h = await startHarness('sqlite');
    work = await mkdtemp(join(tmpdir(), 'redpkt-recon-export-'));
    const p = await h.createPacket('s1', { totalAmount: 300, totalCount: 3, expiresInSec: 3 });
    await waitFor('active', async () => (await h.service.store.getPacket(p.id))?.status === 'active');
    for (const uid of ['a', 'b']) await h.call('POST', `/v1/packets/${p.id}/claims`, uid);
    await waitFor(
      'the remainder refunded',
      async () => (await h.service.store.getPacket(p.id))?.status === 'refunded',
      30_000,
    );
    await waitFor('settled', async () => {
      const books = await booksOf(h.service.store, p.id);
      return isSettled(books) ? books : undefined;
    });
    claims = (await h.service.store.listClaims(p.id)).length;
    const at = (await h.service.store.getPacket(p.id))!.createdAt;
    date = shanghaiDate(at);
    await h.sql(
      `INSERT INTO payment_orders (pay_order_no, packet_id, payer_uid, amount, status, provider_txn_id, created_at, updated_at)
       VALUES ('PAY-GHOST', 'P-GHOST', 'ghost', 1234, 'paid', 'TXN-GHOST', ?, ?)`,
      [at, at],
    );
    dir = join(work, 'export');
    const sink = { out: '' };
    const code = await reconExportCommand(
      { date, type: 'all', dataDir: h.config.dataDir, mysql: [], out: dir, json: true },
      io(sink),
    );
    expect(code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('writes Hive partitions and a manifest with rows, fen and checksums', async () => {
    const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(m.type).toBe('all');
    expect(m.tables.orders.files[0]?.path).toMatch(
      /^orders\/dt=\d{4}-\d{2}-\d{2}\/hour=\d{1,2}\/part-0\.parquet$/,
    );
    // a payment of 300 + the ghost's 1,234, the claims, one refund of the remainder
    expect(m.tables.orders.rows).toBe(3 + claims);
    expect(m.tables.orders.fen).toBe(300 + 1234 + 300);
    expect(m.tables.orders.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.bytes > 0)).toBe(true);
    expect(m.tables.provider_orders.rows).toBe(0);
  });

  it('gives the same report from the export as from the live stores', async () => {
    const live = await recon({ type: 'all', dataDir: h.config.dataDir, mysql: [] });
    expect(live.code).toBe(1);
    expect(live.report.totals.missing_at_provider).toEqual({ count: 1, fen: 1234 });
    const fromExport = await recon({ from: dir });
    expect(fromExport.code).toBe(1);
    expect(fromExport.report).toEqual(live.report);
  });

  it('refuses a truncated file of the export (exit 4) and an export of another window (exit 3)', async () => {
    const bad = join(work, 'truncated');
    await cp(dir, bad, { recursive: true });
    const m = JSON.parse(await readFile(join(bad, 'manifest.json'), 'utf8')) as Manifest;
    await truncate(join(bad, m.tables.ledger.files[0]!.path), 10);
    await expect(recon({ from: bad })).rejects.toMatchObject({ code: 'DEPENDENCY_FAILED' });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['node', 'redpkt', 'recon', '--from', bad])).toBe(4);
      expect(await main(['node', 'redpkt', 'recon', '--from', dir, '--date', '2020-01-01'])).toBe(3);
    } finally {
      process.exitCode = undefined;
      err.mockRestore();
      out.mockRestore();
    }
  });

  it('prints statements that DuckDB runs over the export to the same results, and a Spark dialect of them', async () => {
    const duck = await reconSqlStatements({ engine: 'duckdb', from: dir }, NOW);
    const engine = await openEngine({ memoryLimit: '256MB', threads: 1 });
    let totals: Record<string, unknown>[];
    try {
      for (const s of duck.filter((x) => !x.startsWith('SELECT'))) await engine.run(s);
      totals = await engine.rows(
        'SELECT category, CAST(SUM(n) AS BIGINT) AS n FROM recon_order_totals GROUP BY category',
      );
    } finally {
      await engine.close();
    }
    const live = await recon({ from: dir });
    for (const t of totals) expect(Number(t.n)).toBe(live.report.totals[t.category as 'matched'].count);
    const spark = await reconSqlStatements({ engine: 'spark', from: dir }, NOW);
    expect(spark.filter((s) => s.startsWith('CREATE TABLE'))).toEqual([]);
    expect(spark.filter((s) => s.startsWith('CACHE TABLE')).length).toBe(
      duck.filter((s) => s.startsWith('CREATE TABLE')).length,
    );
    expect(spark[0]).toMatch(
      /^CREATE OR REPLACE TEMPORARY VIEW orders AS SELECT order_no, kind, .*, lane FROM parquet\.`.*\/orders`$/,
    );
  });
});
