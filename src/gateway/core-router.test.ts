import { describe, expect, it } from 'vitest';
import { parseCell, planCells, checkCells } from '../config/fleet-config.js';
import { createCoreRouter, shardOfPacket } from './core-router.js';

const origins = ['http://a0:1', 'http://a1:1', 'http://b0:1', 'http://b1:1'];
const coreCells = ['a', 'a', 'b', 'b'];
const cells = [parseCell('a:0:b'), parseCell('b:1:a')];
const id = (shard: number, k: number) =>
  `P${String(shard).padStart(2, '0')}${String(k).padStart(21, '0').replace(/[89]/g, 'A')}`;

describe('routing by cell', () => {
  it('sends a packet to the cores of the cell owning its shard, then to the backup cell', () => {
    const down = new Set<number>();
    const r = createCoreRouter({ origins, isUp: (i) => !down.has(i), cells, coreCells });
    for (let k = 0; k < 50; k++) {
      const own = r.candidates(id(0, k));
      expect(new Set(own.slice(0, 2))).toEqual(new Set([0, 1]));
      expect(new Set(own.slice(2))).toEqual(new Set([2, 3]));
      expect(new Set(r.candidates(id(1, k)).slice(0, 2))).toEqual(new Set([2, 3]));
    }
    down.add(0).add(1); // cell a is down: its packets go to cell b
    expect(new Set(r.candidates(id(0, 7)))).toEqual(new Set([2, 3]));
    expect(r.cells().map((c) => c.up)).toEqual([false, true]);
    // new packets (no packet in the path) to any core that is up
    expect(new Set([0, 1, 2, 3].map(() => r.candidates(undefined)[0]))).toEqual(new Set([2, 3]));
  });
  it('reads the shard from the packet id', () => {
    expect(shardOfPacket(id(7, 1))).toBe(7);
    expect(shardOfPacket(`S12${'0'.repeat(21)}`)).toBe(12);
  });
  it('refuses a plan that does not add up', () => {
    expect(() => checkCells([parseCell('a:0-1'), parseCell('b:1')])).toThrow(/shard 1 is owned by two cells/);
    expect(() => checkCells([parseCell('a:0:c')])).toThrow(/backup c is not a --cell/);
    expect(() => parseCell('a')).toThrow(/NAME:SHARDS/);
    expect(() =>
      createCoreRouter({ origins, isUp: () => true, cells, coreCells: ['a', 'a', 'a', 'a'] }),
    ).toThrow(/--cell b has no --core/);
  });
  it('splits shards into contiguous cells, each backed by the next', () => {
    expect(planCells(2, 4)).toEqual([
      { name: 'cell-0', shards: [0, 1], backup: 'cell-1' },
      { name: 'cell-1', shards: [2, 3], backup: 'cell-0' },
    ]);
    expect(parseCell('x:0,2-3:y')).toEqual({ name: 'x', shards: [0, 2, 3], backup: 'y' });
  });
});
