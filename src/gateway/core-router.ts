/**
 * Where the gateway sends a request, as an ordered list of cores to try (src/gateway/
 * gateway-handler.ts tries them in turn):
 * - without cells: a packet's requests to its rendezvous ranking over every core that is up (so
 *   one core serves a packet, and its runner-up when it is down); anything else round robin over
 *   the cores that are up;
 * - with cells (issue 21): a packet's requests to the rendezvous ranking of the cores of the cell
 *   that owns the packet's shard (the two digits after `P`/`S` in its id), then, once none of
 *   them is up, of its backup cell's cores. A packet whose shard no cell owns, and every request
 *   that names no packet (creating one, the cashier, subsidies, /admin), round robin over every
 *   core that is up, in any cell: a cell is where a packet's claims meet, not a wall.
 */
import { RedpktError } from '../domain/errors.js';
import type { CellSpec } from '../config/fleet-config.js';
import { createRendezvous } from './rendezvous.js';

export interface CoreRouter {
  /** Indexes of the cores to try, best first; empty when none is up. */
  candidates(packetId: string | undefined): number[];
  /** The cell of core `i` (undefined without cells). */
  cellOf(i: number): string | undefined;
  /** Each cell, its shards, backup and cores (empty without cells), for /healthz. */
  cells(): { name: string; shards: number[]; backup: string | undefined; cores: string[]; up: boolean }[];
}

export interface CoreRouterOptions {
  origins: readonly string[];
  isUp(i: number): boolean;
  cells?: readonly CellSpec[] | undefined;
  /** The cell of each core, as `origins` (needed with `cells`). */
  coreCells?: readonly string[] | undefined;
}

/** The shard a packet id names: `P07…` → 7. */
export function shardOfPacket(packetId: string): number {
  return Number(packetId.slice(1, 3));
}

export function createCoreRouter(opts: CoreRouterOptions): CoreRouter {
  const { origins, isUp } = opts;
  const n = origins.length;
  const all = createRendezvous(origins);
  let next = 0;
  const roundRobin = (): number[] => {
    const start = next++ % n;
    const order: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = (start + k) % n;
      if (isUp(i)) order.push(i);
    }
    return order;
  };
  const cells = opts.cells ?? [];
  if (cells.length === 0) {
    return {
      candidates: (packetId) =>
        packetId === undefined ? roundRobin() : all.rank(packetId).filter((i) => isUp(i)),
      cellOf: () => undefined,
      cells: () => [],
    };
  }

  const coreCells = opts.coreCells ?? [];
  if (coreCells.length !== n) throw new RedpktError('USAGE', 'with cells, every --core names its cell');
  const members = new Map<string, number[]>(cells.map((c) => [c.name, []]));
  coreCells.forEach((cell, i) => {
    const list = members.get(cell);
    if (!list) throw new RedpktError('USAGE', `--core ${cell}=${origins[i]}: ${cell} is not a --cell`);
    list.push(i);
  });
  for (const [name, list] of members)
    if (list.length === 0) throw new RedpktError('USAGE', `--cell ${name} has no --core`);
  // one ranking per cell, over its own cores: stable as long as the cell's membership is
  const ranking = new Map(
    cells.map((c) => {
      const idx = members.get(c.name)!;
      const r = createRendezvous(idx.map((i) => origins[i]!));
      return [c.name, (key: string) => r.rank(key).map((k) => idx[k]!)] as const;
    }),
  );
  const ownerOfShard = new Map<number, CellSpec>();
  for (const c of cells) for (const s of c.shards) ownerOfShard.set(s, c);

  return {
    candidates(packetId) {
      if (packetId === undefined) return roundRobin();
      const owner = ownerOfShard.get(shardOfPacket(packetId));
      if (!owner) return all.rank(packetId).filter((i) => isUp(i));
      const own = ranking.get(owner.name)!(packetId).filter((i) => isUp(i));
      const backup =
        owner.backup === undefined ? [] : ranking.get(owner.backup)!(packetId).filter((i) => isUp(i));
      return [...own, ...backup];
    },
    cellOf: (i) => coreCells[i],
    cells: () =>
      cells.map((c) => {
        const idx = members.get(c.name)!;
        return {
          name: c.name,
          shards: c.shards,
          backup: c.backup,
          cores: idx.map((i) => origins[i]!),
          up: idx.some((i) => isUp(i)),
        };
      }),
  };
}
