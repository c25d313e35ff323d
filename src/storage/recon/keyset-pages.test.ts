import { describe, expect, it } from 'vitest';
import { listPacketTotals } from './packet-totals.js';
import { listSubsidies } from './recon-b2c-queries.js';
import { createReconStore } from './recon-store.js';
import type { SqlRunner, SqlValue } from './sql-runner.js';

/** Records the statements and their arguments; answers no rows (the page's SQL is what is checked). */
function recorder(): SqlRunner & { calls: { sql: string; args: readonly SqlValue[] }[] } {
  const calls: { sql: string; args: readonly SqlValue[] }[] = [];
  return {
    calls,
    all: async (sql, args) => (calls.push({ sql, args }), []),
    run: async () => {},
    close: async () => {},
  };
}

const FROM = 1_770_000_000_000;
const TO = FROM + 86_400_000;
const AT = FROM + 50_000_000;

// Every keyset page after the first must seek its index range from its cursor, not from the
// window's start: the `(t > ? OR (t = ? AND key > ?))` cursor alone does not bound the range, and
// a 10,000,000-order day then read ~8,000,000 index entries for a page near its end.
describe('recon keyset pages seek from their cursor', () => {
  it('orders: the range starts at the last page’s time, ties kept by the key', async () => {
    const db = recorder();
    const store = createReconStore(db);
    await store.listOrders({ scope: 'c2c', kind: 'transfer', fromMs: FROM, toMs: TO, limit: 10 });
    await store.listOrders({
      scope: 'c2c',
      kind: 'transfer',
      fromMs: FROM,
      toMs: TO,
      after: { createdAt: AT, orderNo: 'C9' },
      limit: 10,
    });
    expect(db.calls[0]!.args.slice(0, 2)).toEqual([FROM, TO]);
    expect(db.calls[1]!.args).toEqual([AT, TO, AT, AT, 'C9']);
    expect(db.calls[1]!.sql).toMatch(/o\.created_at >= \? AND o\.created_at < \?/);
  });

  it('packet totals and subsidies too', async () => {
    const db = recorder();
    await listPacketTotals(db, {
      fromMs: FROM,
      toMs: TO,
      after: { createdAt: AT, packetId: 'P1' },
      limit: 10,
    });
    await listSubsidies(db, { fromMs: FROM, toMs: TO, after: { issuedAt: AT, outGrantNo: 'G1' }, limit: 10 });
    expect(db.calls[0]!.args.slice(0, 3)).toEqual(['c2c', AT, TO]);
    expect(db.calls[1]!.args.slice(0, 2)).toEqual([AT, TO]);
  });

  it('a cursor before the window (never given, but harmless) keeps the window’s start', async () => {
    const db = recorder();
    await listSubsidies(db, {
      fromMs: FROM,
      toMs: TO,
      after: { issuedAt: FROM - 5, outGrantNo: 'G0' },
      limit: 10,
    });
    expect(db.calls[0]!.args.slice(0, 2)).toEqual([FROM, TO]);
  });
});
