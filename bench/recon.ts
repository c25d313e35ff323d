/**
 * Issue 22: `npm run bench:recon`: a generated day of N C2C orders (N/5 packets, each paid once
 * and claimed 4 times, every order moved once at the provider) in the embedded SQLite stores, then
 * in one run, each in its own child process (seconds and peak RSS of that process):
 *   legacy       the retired Node streaming matcher (bench/recon-legacy/) over the stores: the baseline
 *   duck-store   `redpkt recon`'s path: the stores streamed into DuckDB, the recon SQL
 *   export       `redpkt recon export`: the same reads, written as Parquet with a manifest
 *   duck-export  `redpkt recon --from`: the export verified and reconciled by DuckDB
 * Sizes: REDPKT_BENCH_RECON_SIZES (default 1000000,10000000); REDPKT_BENCH_RECON_LEGACY_MAX skips
 * the baseline above that size (default: never). REDPKT_BENCH_RECON_VARIANTS: a comma list of the
 * variants to run (default all). REDPKT_BENCH_RECON_KEEP=DIR keeps each size's stores and export
 * in DIR/<orders>/ and reuses a day already generated there (so a later run can time only
 * `duck-export` on it). Writes bench/results/recon.json.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { createFinanceStore } from '../src/finance/store/create-finance-store.js';
import { exportWindow } from '../src/recon/export/write-export.js';
import { reconFromExport } from '../src/recon/export/read-export.js';
import { openOurs, openProvider } from '../src/recon/open-sides.js';
import { runRecon } from '../src/recon/run-recon.js';
import { reconWindow } from '../src/recon/window.js';
import { createStore } from '../src/storage/create-store.js';
import { runRecon as runLegacy } from './recon-legacy/run-recon.js';

const DATE = '2026-02-11';
const window = reconWindow(DATE, null);
const CUTOFF = 15 * 60_000;
const NOW = window.toMs + 86_400_000;
const VARIANTS = ['legacy', 'duck-store', 'export', 'duck-export'] as const;
type Variant = (typeof VARIANTS)[number];

async function generate(dir: string, orders: number): Promise<void> {
  const store = await createStore({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
  await store.migrate();
  await store.close();
  const finance = createFinanceStore({ kind: 'sqlite', file: join(dir, 'finance.db') });
  await finance.migrate();
  await finance.close();
  const packets = Math.floor(orders / 5);
  const step = Math.floor((window.toMs - window.fromMs - 10_000) / packets);
  const F = window.fromMs;
  const k = `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${packets - 1})`;
  const j = `(SELECT 1 AS j UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)`;
  const ours = createClient({ url: pathToFileURL(join(dir, 'redpkt.db')).href });
  await ours.executeMultiple(`PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;`);
  await ours.execute(`${k} INSERT INTO packets (id, type, sender_uid, out_order_no, total_amount, total_count,
      remaining_amount, remaining_count, split_mode, status, greeting, pay_order_no, expires_at, created_at, updated_at)
    SELECT printf('P%010d', i), 'c2c', 'u' || i, 'o' || i, 400, 4, 0, 0, 'fixed', 'exhausted', '',
      printf('PAY%010d', i), ${F} + i * ${step} + 86400000, ${F} + i * ${step}, ${F} + i * ${step} FROM k`);
  await ours.execute(`${k} INSERT INTO payment_orders (pay_order_no, packet_id, payer_uid, amount, status,
      provider_txn_id, created_at, updated_at)
    SELECT printf('PAY%010d', i), printf('P%010d', i), 'u' || i, 400, 'paid', printf('TXN%010d', i),
      ${F} + i * ${step}, ${F} + i * ${step} FROM k`);
  await ours.execute(`${k} INSERT INTO claims (claim_no, packet_id, uid, seq, amount, status, created_at, updated_at)
    SELECT printf('C%010d-%d', i, j), printf('P%010d', i), 'c' || j, j, 100, 'transferred',
      ${F} + i * ${step} + j, ${F} + i * ${step} + j FROM k, ${j} ORDER BY i, j`);
  ours.close();
  const theirs = createClient({ url: pathToFileURL(join(dir, 'finance.db')).href });
  await theirs.executeMultiple(`PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;`);
  // the credit side only (recon reads no other), in time order as the provider writes it
  await theirs.execute(`${k} INSERT INTO ledger_entries (txn_id, order_no, kind, account, direction, amount, created_at)
    SELECT CASE WHEN j = 0 THEN printf('TXN%010d', i) ELSE printf('TXN%010d-%d', i, j) END,
      CASE WHEN j = 0 THEN printf('PAY%010d', i) ELSE printf('C%010d-%d', i, j) END,
      CASE WHEN j = 0 THEN 'payment' ELSE 'transfer' END, 'bench', 'credit', CASE WHEN j = 0 THEN 400 ELSE 100 END,
      ${F} + i * ${step} + 500 + j
    FROM k, (SELECT 0 AS j UNION ALL SELECT * FROM ${j}) ORDER BY i, j`);
  theirs.close();
}

/** One variant, in this (child) process. */
async function runVariant(variant: Variant, dir: string): Promise<Record<string, unknown>> {
  const started = process.hrtime.bigint();
  const req = { window, type: 'c2c' as const, cutoffMs: CUTOFF, now: NOW, lane: 'real' as const };
  const engine = { memoryLimit: '1GB', tempDir: join(dir, 'spill') };
  let summary: Record<string, unknown>;
  if (variant === 'duck-export') {
    const { report } = await reconFromExport(join(dir, 'export'), { now: NOW }, engine);
    summary = { clean: report.clean, matched: report.totals.matched.count };
  } else {
    const store = await openOurs({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
    const provider = await openProvider({
      finance: undefined,
      financeDb: join(dir, 'finance.db'),
      secret: undefined,
      dataDir: dir,
      mysql: [],
      lane: 'real',
    });
    try {
      if (variant === 'export') {
        const m = await exportWindow({ store, ...provider }, req, join(dir, 'export'), engine);
        summary = { rows: m.tables.orders.rows + m.tables.ledger.rows };
      } else {
        const report =
          variant === 'legacy'
            ? await runLegacy({ store, ...provider }, req)
            : await runRecon({ store, ...provider }, { ...req, engine });
        summary = { clean: report.clean, matched: report.totals.matched.count };
      }
    } finally {
      await provider.close();
      await store.close();
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { variant, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...summary };
}

const run = promisify(execFile);
const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

async function main(): Promise<void> {
  if (process.argv[2] === '--generate') {
    await generate(process.argv[3] as string, Number(process.argv[4]));
    return;
  }
  if (process.argv[2] === '--variant') {
    const result = await runVariant(process.argv[3] as Variant, process.argv[4] as string);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const sizes = (process.env.REDPKT_BENCH_RECON_SIZES ?? '1000000,10000000').split(',').map(Number);
  const legacyMax = Number(process.env.REDPKT_BENCH_RECON_LEGACY_MAX ?? Infinity);
  const keep = process.env.REDPKT_BENCH_RECON_KEEP;
  const only = process.env.REDPKT_BENCH_RECON_VARIANTS?.split(',');
  const unknown = only?.filter((v) => !(VARIANTS as readonly string[]).includes(v)) ?? [];
  if (unknown.length > 0) throw new Error(`REDPKT_BENCH_RECON_VARIANTS: no variant ${unknown.join(', ')}`);
  const results: Record<string, unknown>[] = [];
  for (const orders of sizes) {
    const dir = keep ? join(keep, String(orders)) : await mkdtemp(join(tmpdir(), 'redpkt-bench-recon-'));
    try {
      const kept = keep !== undefined && (await exists(join(dir, 'redpkt.db')));
      if (kept) console.log(`${orders.toLocaleString('en')} orders: the day kept in ${dir}`);
      else {
        await mkdir(dir, { recursive: true });
        const t0 = Date.now();
        await generate(dir, orders);
        console.log(
          `${orders.toLocaleString('en')} orders generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
        );
      }
      for (const variant of VARIANTS) {
        if (variant === 'legacy' && orders > legacyMax) continue;
        if (only && !only.includes(variant)) continue;
        if (variant === 'export') await rm(join(dir, 'export'), { recursive: true, force: true });
        const { stdout } = await run(process.execPath, [process.argv[1]!, '--variant', variant, dir], {
          maxBuffer: 1 << 20,
        });
        const r: Record<string, unknown> = { orders, ...(JSON.parse(stdout) as Record<string, unknown>) };
        r.ordersPerSecond = Math.round(orders / (r.seconds as number));
        console.log(JSON.stringify(r));
        results.push(r);
      }
    } finally {
      if (!keep) await rm(dir, { recursive: true, force: true });
    }
  }
  await writeFile(
    join(import.meta.dirname, '../../../../bench/results/recon.json'),
    `${JSON.stringify({ ranAt: new Date().toISOString(), results }, null, 2)}\n`,
  );
}

await main();
