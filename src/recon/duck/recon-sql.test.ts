/**
 * Issue 22: the order categories of the recon SQL on tiny hand-made tables (the cases the retired
 * streaming matcher's tests covered): matching whatever the interleaving, missing on either side,
 * another window's movement, amounts and statuses that differ, late settlement by look-up, mocked,
 * closed and duplicate orders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcileLoaded, type ReconReport } from '../run-recon.js';
import { reconWindow } from '../window.js';
import { openEngine, type Engine } from './engine.js';
import type { Row } from './layout.js';

const window = reconWindow('2026-02-11', 20); // 12:00..13:00 UTC
const FROM = window.fromMs;
const TO = window.toMs;

const ours = (
  no: string,
  at: number,
  amount: number,
  status = 'transferred',
  kind = 'transfer',
  mocked = false,
): Row => [no, kind, 'c2c', 'p1', 'u1', amount, status, mocked, at, 'real'];
let seq = 0;
const move = (no: string, at: number, amount: number, txn = `T-${no}`): Row => [
  no,
  'transfer',
  txn,
  amount,
  at,
  ++seq,
  'real',
];

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function run(o: Row[], m: Row[], extra: { provider?: Row[]; refs?: Row[] } = {}): Promise<ReconReport> {
  engine = await openEngine({ memoryLimit: '256MB', threads: 1 });
  await engine.createTables();
  await engine.append('orders', o);
  await engine.append('ledger', m);
  await engine.append('provider_orders', extra.provider ?? []);
  await engine.append('order_refs', extra.refs ?? []);
  return reconcileLoaded(engine, { window, type: 'c2c', cutoffMs: 15 * 60_000, now: TO + 3_600_000 });
}

describe('the recon SQL, order by order', () => {
  it('matches orders with their movements by order number, whatever the interleaving', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100), ours('b', FROM + 2, 200), ours('c', FROM + 10, 300)],
      [move('b', FROM + 1, 200), move('a', FROM + 5, 100), move('c', FROM + 9_000, 300)],
    );
    expect(r.totals.matched).toEqual({ count: 3, fen: 600 });
    expect(r.discrepancyCount).toBe(0);
    expect(r.provisional).toBe(false);
  });

  it('reports an order the provider never heard of, and a movement we have no order for inside the window', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100), ours('b', FROM + 2, 250)],
      [move('a', FROM + 3, 100), move('x', FROM + 5, 70), move('later', TO + 5, 80)],
    );
    expect(r.totals.missing_at_provider).toEqual({ count: 1, fen: 250 });
    expect(r.totals.missing_ours).toEqual({ count: 1, fen: 70 });
    expect(r.outOfScope).toBe(1);
    expect(r.discrepancies.map((d) => [d.category, d.orderNo])).toEqual([
      ['missing_at_provider', 'b'],
      ['missing_ours', 'x'],
    ]);
  });

  it("ignores movements of another window's orders", async () => {
    const r = await run([], [move('old', FROM + 5, 70)], { refs: [['old', 'transfer', FROM - 1000]] });
    expect(r.discrepancyCount).toBe(0);
    expect(r.outOfScope).toBe(1);
  });

  it('reports different amounts and money moved for a failed order, with our fen', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100), ours('f', FROM + 2, 100, 'failed')],
      [move('a', FROM + 2, 101), move('f', FROM + 3, 100)],
    );
    expect(r.totals.amount_mismatch).toEqual({ count: 1, fen: 100 });
    expect(r.discrepancies[0]).toMatchObject({
      ours: 100,
      theirs: 101,
      detail: 'ours 100 fen, theirs 101 fen',
    });
    expect(r.totals.status_mismatch).toEqual({ count: 1, fen: 100 });
  });

  it("settles an order with no movement by the provider's own answer: matched late, or held pending", async () => {
    const r = await run([ours('a', FROM + 1, 100), ours('p', FROM + 2, 100)], [], {
      provider: [
        ['a', 100, 'succeeded'],
        ['p', 100, 'pending'],
      ],
    });
    expect(r.totals.matched).toEqual({ count: 1, fen: 100 });
    expect(r.totals.status_mismatch).toEqual({ count: 1, fen: 100 });
  });

  it('counts open, mocked and closed orders without errors, and a second movement as a duplicate', async () => {
    const r = await run(
      [
        ours('o', TO - 1, 100, 'transferring'),
        ours('m', FROM + 1, 100, 'transferred', 'transfer', true),
        ours('c', FROM + 2, 300, 'closed', 'payment'),
        ours('d', FROM + 3, 100),
      ],
      [move('d', FROM + 4, 100, 'T1'), move('d', FROM + 5, 100, 'T2')],
    );
    expect(r.totals.in_transit).toEqual({ count: 1, fen: 100 });
    expect(r.totals.mocked).toEqual({ count: 1, fen: 100 });
    expect(r.totals.closed).toEqual({ count: 1, fen: 0 });
    expect(r.totals.matched.count).toBe(1);
    expect(r.totals.duplicate).toEqual({ count: 1, fen: 100 });
    expect(r.discrepancies[0]?.detail).toBe('the provider moved this order twice (txns T1 and T2)');
  });
});
