import { describe, expect, it } from 'vitest';
import { matchStreams, type MatchLookups } from './matcher.js';
import type { OurOrder, ProviderMove, ProviderOrderView } from './types.js';

const FROM = Date.UTC(2026, 1, 11, 12); // 20:00 in Asia/Shanghai
const TO = FROM + 3_600_000;
const CUTOFF = 15 * 60_000;
const window = { fromMs: FROM, toMs: TO, cutoffMs: CUTOFF };

function ours(orderNo: string, at: number, amount: number, over: Partial<OurOrder> = {}): OurOrder {
  return {
    orderNo,
    kind: 'transfer',
    packetId: 'p1',
    amount,
    status: 'transferred',
    state: 'succeeded',
    mocked: false,
    createdAt: at,
    ...over,
  };
}
function move(orderNo: string, at: number, amount: number, txnId = `T-${orderNo}`): ProviderMove {
  return { orderNo, kind: 'transfer', txnId, amount, createdAt: at };
}
async function* stream<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
function lookups(
  provider: Record<string, ProviderOrderView> = {},
  mine: Record<string, number> = {},
): MatchLookups {
  return {
    providerOrder: async (no) => provider[no] ?? null,
    ourOrder: async (no) => (mine[no] === undefined ? null : { createdAt: mine[no] }),
  };
}
const run = (o: OurOrder[], t: ProviderMove[], l = lookups()) =>
  matchStreams(stream(o), stream(t), { window, lookups: l });

describe('the streaming matcher', () => {
  it('matches orders with their movements by order number, whatever the interleaving', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100), ours('b', FROM + 2, 200), ours('c', FROM + 10, 300)],
      [move('b', FROM + 1, 200), move('a', FROM + 5, 100), move('c', FROM + 9_000, 300)],
    );
    expect(r.totals.matched).toEqual({ count: 3, fen: 600 });
    expect(r.discrepancyCount).toBe(0);
  });

  it('reports an order the provider never heard of as missing at the provider, with its fen', async () => {
    const r = await run([ours('a', FROM + 1, 100), ours('b', FROM + 2, 250)], [move('a', FROM + 3, 100)]);
    expect(r.totals.missing_at_provider).toEqual({ count: 1, fen: 250 });
    expect(r.discrepancies).toEqual([
      expect.objectContaining({ category: 'missing_at_provider', orderNo: 'b' }),
    ]);
  });

  it('reports a movement we have no order for as missing on our side, only inside the window', async () => {
    const r = await run([], [move('x', FROM + 5, 70), move('later', TO + 5, 80)]);
    expect(r.totals.missing_ours).toEqual({ count: 1, fen: 70 });
    expect(r.discrepancies.map((d) => d.orderNo)).toEqual(['x']);
    expect(r.outOfScope).toBe(1);
  });

  it('ignores movements of our orders from another window', async () => {
    const r = await run([], [move('old', FROM + 5, 70)], lookups({}, { old: FROM - 1000 }));
    expect(r.discrepancyCount).toBe(0);
    expect(r.outOfScope).toBe(1);
  });

  it('reports different amounts as an amount mismatch, with our fen', async () => {
    const r = await run([ours('a', FROM + 1, 100)], [move('a', FROM + 2, 101)]);
    expect(r.totals.amount_mismatch).toEqual({ count: 1, fen: 100 });
    expect(r.discrepancies[0]).toMatchObject({ ours: 100, theirs: 101 });
  });

  it('reports money moved for an order we closed as a status mismatch', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100, { status: 'failed', state: 'failed' })],
      [move('a', FROM + 2, 100)],
    );
    expect(r.totals.status_mismatch).toEqual({ count: 1, fen: 100 });
  });

  it('reports an order we call paid that the provider holds pending as a status mismatch', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100)],
      [],
      lookups({ a: { orderNo: 'a', amount: 100, status: 'pending' } }),
    );
    expect(r.totals.status_mismatch).toEqual({ count: 1, fen: 100 });
  });

  it('counts an order that is not final yet as in transit, not as an error', async () => {
    const r = await run([ours('a', TO - 1, 100, { status: 'transferring', state: 'open' })], []);
    expect(r.totals.in_transit).toEqual({ count: 1, fen: 100 });
    expect(r.discrepancyCount).toBe(0);
  });

  it('matches an order settled later than the cut-off by asking the provider', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100)],
      [],
      lookups({ a: { orderNo: 'a', amount: 100, status: 'succeeded' } }),
    );
    expect(r.totals.matched).toEqual({ count: 1, fen: 100 });
  });

  it('reports mocked orders apart and closed ones as closed, neither as errors', async () => {
    const r = await run(
      [
        ours('m', FROM + 1, 100, { mocked: true }),
        ours('c', FROM + 2, 300, { kind: 'payment', status: 'closed', state: 'failed' }),
      ],
      [],
    );
    expect(r.totals.mocked).toEqual({ count: 1, fen: 100 });
    expect(r.totals.closed.count).toBe(1);
    expect(r.discrepancyCount).toBe(0);
  });

  it('reports an order the provider moved twice as a duplicate', async () => {
    const r = await run(
      [ours('a', FROM + 1, 100)],
      [move('a', FROM + 2, 100, 'T1'), move('a', FROM + 3, 100, 'T2')],
    );
    expect(r.totals.matched.count).toBe(1);
    expect(r.totals.duplicate).toEqual({ count: 1, fen: 100 });
  });

  it('reconciles 1,000,000 synthetic orders in bounded memory', async () => {
    const n = 1_000_000;
    const step = Math.floor(86_400_000 / n); // a day of orders
    const day = { fromMs: FROM, toMs: FROM + 86_400_000, cutoffMs: CUTOFF };
    let peakHeap = 0;
    const base = process.memoryUsage().heapUsed;
    async function* oursGen(): AsyncGenerator<OurOrder> {
      for (let i = 0; i < n; i++) {
        if (i % 50_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - base);
        yield ours(`o${i}`, FROM + i * step, 100 + (i % 7));
      }
    }
    async function* theirsGen(): AsyncGenerator<ProviderMove> {
      // every movement lags its order by up to 2 minutes
      for (let i = 0; i < n; i++) yield move(`o${i}`, FROM + i * step + (i % 120) * 1000, 100 + (i % 7));
    }
    const r = await matchStreams(oursGen(), theirsGen(), { window: day, lookups: lookups() });
    expect(r.totals.matched.count).toBe(n);
    expect(r.discrepancyCount).toBe(0);
    // what is held is a cut-off's worth of orders, not the day
    expect(r.peakPending).toBeLessThan(50_000);
    expect(peakHeap).toBeLessThan(100 * 1024 * 1024);
    // no wall-clock bound (a busy CI host took 22 s, a quiet one 11 s): the test's timeout is the
    // guard against a matcher gone quadratic, and speed is what benchmarks are for
  }, 90_000);
});
