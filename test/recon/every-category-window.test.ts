/**
 * Issue 22: the window the Spark comparison (npm run test:spark) reconciles really has every
 * category and invariant of the recon SQL in it, checked here on DuckDB alone (this runs in the
 * normal suite, where Spark need not be installed), and every result column is an integer, a
 * string or a boolean (no DECIMAL or HUGEINT for money).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRANT_CATEGORIES } from '../../src/recon/grant-types.js';
import type { Manifest } from '../../src/recon/export/manifest.js';
import { CATEGORIES } from '../../src/recon/types.js';
import { buildEveryCategoryExport, type EveryCategoryWindow } from './every-category-window.js';
import { duckOutputs, type Outputs } from './recon-sql-outputs.js';

const column = (out: Outputs, table: string, name: string) => {
  const t = out[table]!;
  const i = t.columns.indexOf(name);
  return t.rows.map((r) => r[i]);
};

describe('the every-category recon window (DuckDB)', () => {
  let work: string;
  let w: EveryCategoryWindow;
  let out: Outputs;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'redpkt-every-category-'));
    w = await buildEveryCategoryExport(work);
    out = await duckOutputs(w.dir, w.now);
  }, 300_000);
  afterAll(async () => {
    await w?.h.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('has every order category, of every kind, and a movement out of scope', () => {
    expect(new Set(column(out, 'recon_order_totals', 'category'))).toEqual(new Set(CATEGORIES));
    expect(new Set(column(out, 'recon_order_totals', 'kind'))).toEqual(
      new Set(['payment', 'transfer', 'refund', 'return']),
    );
    expect(column(out, 'recon_out_of_scope', 'n')).toEqual([1]);
    const [paid, transferred, refunded] = out.recon_held!.rows[0] as number[];
    expect(paid).toBeGreaterThan(transferred! + refunded!);
  });

  it('has every grant category and a campaign out of balance', () => {
    expect(new Set(column(out, 'recon_grant_totals', 'category'))).toEqual(new Set(GRANT_CATEGORIES));
    expect(column(out, 'recon_campaigns', 'ok')).toEqual([false]);
  });

  it('has discrepancies in every section: orders, grants, campaigns, B2C and C2C packets', () => {
    expect(new Set(column(out, 'recon_discrepancies', 'section'))).toEqual(new Set([1, 2, 3, 4, 5]));
    const categories = (section: number) =>
      new Set(out.recon_discrepancies!.rows.filter((r) => r[0] === section).map((r) => r[1] as string));
    expect(categories(1)).toEqual(
      new Set(['missing_at_provider', 'missing_ours', 'amount_mismatch', 'status_mismatch', 'duplicate']),
    );
    expect(categories(2)).toEqual(new Set(['amount_mismatch', 'record_mismatch', 'missing_at_provider']));
    // record_mismatch both by uid and by issue time (the latter through the look-ups)
    const details = out.recon_discrepancies!.rows.map((r) => String(r[6]));
    expect(details.some((d) => d.startsWith('booked vs issued: uid '))).toBe(true);
    expect(details.some((d) => d.startsWith('booked vs issued: issued at '))).toBe(true);
    expect(details.some((d) => d.includes('the provider says'))).toBe(true);
    expect(column(out, 'recon_packet_totals', 'type')).toEqual(['b2c', 'c2c']);
  });

  it('fills every look-up table of the export', async () => {
    const m = JSON.parse(await readFile(join(w.dir, 'manifest.json'), 'utf8')) as Manifest;
    for (const t of ['provider_orders', 'order_refs', 'grant_refs', 'subsidy_refs'] as const)
      expect(m.tables[t].rows, t).toBeGreaterThan(0);
  });

  it('reads every result column as an integer, a string or a boolean', () => {
    for (const [table, t] of Object.entries(out))
      for (const type of t.types) expect(['integer', 'string', 'boolean'], table).toContain(type);
  });
});
