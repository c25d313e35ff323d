/**
 * Issue 21: `serve --cores N|auto [--cells K]` (a supervisor: N core processes behind the gateway
 * on --port) and the gateway's cells (`--role gateway --cell NAME:SHARDS[:BACKUP] --core NAME=URL`).
 * A cell is a set of cores that own some MySQL shards: a packet's requests go to a core of the cell
 * owning the packet's shard (the shard is in the packet id), to its backup cell when all of its
 * cores are down.
 */
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';

export const FleetFlagsShape = {
  cores: z
    .string()
    .regex(/^(auto|[1-9]\d{0,3})$/, 'a number of cores (1-9999) or auto')
    .optional(),
  cells: z.coerce.number().int().min(1).max(100).optional(),
  cell: z.array(z.string()).default([]),
};

type FleetFlags = z.output<z.ZodObject<typeof FleetFlagsShape>>;

export interface CellSpec {
  name: string;
  /** The shard indexes (0-based, the two digits after `P`/`S` in a packet id) this cell owns. */
  shards: number[];
  /** The cell that takes this cell's packets while all of its cores are down. */
  backup: string | undefined;
}

export interface FleetConfig {
  /** `--cores`: run a supervisor with this many core processes (absent: one plain process). */
  coreCount?: number;
  /** `--cells`: split the shards and the cores into this many cells (supervisor). */
  cellCount?: number;
  /** `--cell` (role gateway): the cells; each `--core` then names its cell (`NAME=URL`). */
  cells?: CellSpec[];
}

export function resolveFleetConfig(flags: FleetFlags, role: string, shardCount: number): FleetConfig {
  const out: FleetConfig = {};
  if (flags.cores !== undefined) {
    if (role !== 'all') throw new RedpktError('USAGE', '--cores runs all-in-one cores: it is for --role all');
    out.coreCount = flags.cores === 'auto' ? availableParallelism() : Number(flags.cores);
    if (out.coreCount > 1 && shardCount === 0)
      throw new RedpktError(
        'USAGE',
        `--cores ${out.coreCount} needs --mysql: the embedded SQLite store is one file that only one process may write, so several cores cannot share it`,
      );
  }
  if (flags.cells !== undefined) {
    if (out.coreCount === undefined) throw new RedpktError('USAGE', '--cells is for --cores N');
    if (flags.cells > out.coreCount)
      throw new RedpktError('USAGE', `--cells ${flags.cells} needs at least as many --cores`);
    if (flags.cells > shardCount)
      throw new RedpktError(
        'USAGE',
        `--cells ${flags.cells} needs at least as many --mysql shards (a cell owns its shards; ${shardCount} given)`,
      );
    if (flags.cells > 1) out.cellCount = flags.cells;
  }
  if (flags.cell.length > 0) {
    if (role !== 'gateway') throw new RedpktError('USAGE', '--cell is for --role gateway (or use --cells)');
    out.cells = flags.cell.map(parseCell);
    checkCells(out.cells);
  }
  return out;
}

/** `NAME:SHARDS[:BACKUP]`, SHARDS a list of shard indexes and ranges: `a:0,1:b`, `b:2-3:a`. */
export function parseCell(spec: string): CellSpec {
  const m = /^([A-Za-z0-9_-]{1,32}):([0-9,-]+)(?::([A-Za-z0-9_-]{1,32}))?$/.exec(spec);
  if (!m) throw new RedpktError('USAGE', `--cell ${spec}: expected NAME:SHARDS[:BACKUP], e.g. a:0,1:b`);
  const shards: number[] = [];
  for (const part of m[2]!.split(',')) {
    const range = /^(\d{1,2})(?:-(\d{1,2}))?$/.exec(part);
    if (!range) throw new RedpktError('USAGE', `--cell ${spec}: ${part} is not a shard or a range of shards`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    if (to < from) throw new RedpktError('USAGE', `--cell ${spec}: ${part} is an empty range`);
    for (let s = from; s <= to; s++) shards.push(s);
  }
  return { name: m[1]!, shards, backup: m[3] };
}

/** Names distinct, every shard owned by one cell, a backup names another cell. */
export function checkCells(cells: readonly CellSpec[]): void {
  const names = new Set<string>();
  const owner = new Map<number, string>();
  for (const c of cells) {
    if (names.has(c.name)) throw new RedpktError('USAGE', `--cell ${c.name} is given twice`);
    names.add(c.name);
    for (const s of c.shards) {
      const other = owner.get(s);
      if (other !== undefined)
        throw new RedpktError('USAGE', `shard ${s} is owned by two cells (${other} and ${c.name})`);
      owner.set(s, c.name);
    }
  }
  for (const c of cells) {
    if (c.backup === undefined) continue;
    if (c.backup === c.name)
      throw new RedpktError('USAGE', `--cell ${c.name}: a cell cannot be its own backup`);
    if (!names.has(c.backup))
      throw new RedpktError('USAGE', `--cell ${c.name}: its backup ${c.backup} is not a --cell`);
  }
}

/**
 * The supervisor's cells: `cellCount` cells of contiguous shards (cell i gets shards
 * [i·S/K, (i+1)·S/K)) and cores dealt round robin (core j in cell j mod K); each cell's backup is
 * the next cell, round the ring.
 */
export function planCells(cellCount: number, shardCount: number): CellSpec[] {
  const cells: CellSpec[] = [];
  for (let i = 0; i < cellCount; i++) {
    const from = Math.floor((i * shardCount) / cellCount);
    const to = Math.floor(((i + 1) * shardCount) / cellCount);
    cells.push({
      name: `cell-${i}`,
      shards: Array.from({ length: to - from }, (_, k) => from + k),
      backup: cellCount > 1 ? `cell-${(i + 1) % cellCount}` : undefined,
    });
  }
  return cells;
}

/**
 * The environment a supervisor's cores start with: this process's own (their config reads it as
 * serve's does: REDPKT_MYSQL, REDPKT_REDIS, …) and the secret every core and the gateway share.
 */
export function coreEnvironment(secret: string): NodeJS.ProcessEnv {
  return { ...process.env, REDPKT_SECRET: secret };
}
