/**
 * Issue 17 items 7–9: recon's tables carry no colour unless asked for, never red on a clean
 * report; a window not over yet says so and when it closes; money per order kind and what is
 * still held; thousands separators and plurals.
 */
import { describe, expect, it } from 'vitest';
import { plural, formatCount } from './count-words.js';
import { openEngine } from './duck/engine.js';
import type { Row } from './duck/layout.js';
import { renderReport } from './render.js';
import { reconcileLoaded, type ReconReport } from './run-recon.js';
import { reconWindow } from './window.js';

const window = reconWindow('2026-02-11', null);
const order = (no: string, kind: string, amount: number, status: string): Row => [
  no,
  kind,
  'c2c',
  'p1',
  'u1',
  amount,
  status,
  false,
  window.fromMs + 1_000,
  'real',
];
const move = (no: string, kind: string, amount: number, seq: number): Row => [
  no,
  kind,
  `T-${no}`,
  amount,
  window.fromMs + 2_000,
  seq,
  'real',
];

async function report(orders: Row[], moves: Row[], now: number): Promise<ReconReport> {
  const engine = await openEngine({ memoryLimit: '256MB', threads: 1 });
  try {
    await engine.createTables();
    await engine.append('orders', orders);
    await engine.append('ledger', moves);
    return await reconcileLoaded(engine, { window, type: 'c2c', cutoffMs: 15 * 60_000, now });
  } finally {
    await engine.close();
  }
}

const CLEAN = [
  order('PAY1', 'payment', 1_234_500, 'paid'),
  order('CLM1', 'transfer', 1_000_000, 'transferred'),
];
const MOVES = [move('PAY1', 'payment', 1_234_500, 1), move('CLM1', 'transfer', 1_000_000, 2)];
const LATER = window.toMs + 86_400_000;

describe('the recon report for people', () => {
  it('has no ANSI escapes without colour, and no red on a clean report with it', async () => {
    const r = await report(CLEAN, MOVES, LATER);
    expect(r.clean).toBe(true);
    expect(renderReport(r)).not.toContain('\x1b[');
    const colored = renderReport(r, { color: true });
    expect(colored).toContain('\x1b[');
    expect(colored).not.toContain('\x1b[31m');
    const dirty = await report([...CLEAN, order('PAY2', 'payment', 7, 'paid')], MOVES, LATER);
    expect(renderReport(dirty, { color: true })).toContain('\x1b[31m');
    expect(renderReport(dirty)).toMatch(/first 1 of 1 discrepancy:/);
  });

  it('shows money per order kind and what is still held, with thousands separators', async () => {
    const r = await report(CLEAN, MOVES, LATER);
    expect(r.byKind.matched).toEqual({
      payment: { count: 1, fen: 1_234_500 },
      transfer: { count: 1, fen: 1_000_000 },
    });
    expect(r.held).toEqual({ paid: 1_234_500, transferred: 1_000_000, refunded: 0, fen: 234_500 });
    const text = renderReport(r);
    expect(text).toMatch(/payment fen.*transfer fen.*refund fen/);
    expect(text).toContain('1,234,500');
    expect(text).toContain('= 234,500 fen (¥2,345.00)');
    expect(text).toContain('other lane: packets of the other lane');
  });

  it('marks a window that is not over yet as provisional and says when it closes', async () => {
    const r = await report(CLEAN, MOVES, window.toMs - 1);
    expect(r.provisional).toBe(true);
    expect(r.closesAt).toBe(new Date(window.toMs + 15 * 60_000).toISOString());
    const text = renderReport(r);
    expect(text).toContain(`PROVISIONAL: the window is not over until ${r.closesAt}`);
    expect(text).toContain('CLEAN so far');
    expect((await report(CLEAN, MOVES, LATER)).provisional).toBe(false);
  });

  it('counts in words that agree with their numbers', () => {
    expect(formatCount(10_000_000)).toBe('10,000,000');
    expect(plural(1, 'discrepancy', 'discrepancies')).toBe('1 discrepancy');
    expect(plural(2_000, 'order')).toBe('2,000 orders');
  });
});
