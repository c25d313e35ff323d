/**
 * Issue 24: the operator's switches in the simulation. The real switch store (beside the packet
 * store, in the same SQLite file) and the real switch board, on simulated time: an operator flips
 * degrade and mock switches at seeded moments the way `redpkt degrade claim on` does (straight in
 * the database, `via: 'direct'`, then a change notice), and the process's board learns of it by
 * the notice (in runs that have a bus, as with `--redis`) or by its poll every 500 ms of
 * simulated time. Whatever an operator left on is turned off when the run heads for quiescence
 * (the rehearsal ends), so mocked issuer returns and degraded routes can finish.
 */
import { DEGRADE_OF_ENDPOINT, endpointOf } from '../../src/switches/endpoints.js';
import type { DegradeName, ToggleKind } from '../../src/switches/catalog.js';
import type { SwitchStore } from '../../src/switches/ports.js';
import { createSwitchBoard, type SwitchBoard, type SwitchBus } from '../../src/switches/switch-board.js';
import type { Kernel, Life } from './kernel.js';

/** The switches the operator flips, each as often as its weight says. */
const FLIPPED: ReadonlyArray<{ kind: ToggleKind; name: string; weight: number }> = [
  { kind: 'mock', name: 'payment', weight: 4 },
  { kind: 'degrade', name: 'c2c-send', weight: 1 },
  { kind: 'degrade', name: 'b2c-send', weight: 1 },
  { kind: 'degrade', name: 'claim', weight: 2 },
  { kind: 'degrade', name: 'query-details', weight: 1 },
  { kind: 'mock', name: 'issuer', weight: 1 },
];
const TOTAL_WEIGHT = FLIPPED.reduce((s, f) => s + f.weight, 0);
/** The production default of `switchPollMs` (src/switches/switch-board.ts). */
export const SWITCH_POLL_MS = 500;

type Spawn = (name: string, work: () => Promise<unknown>) => void;

/**
 * Change notices between the operator and the process (the Redis pub/sub of production): each
 * notice reaches the live process's board through a gate, so it lands at a seeded moment.
 */
export class SimSwitchBus {
  private listener: { life: Life; onNotice: () => void } | undefined;

  constructor(
    private readonly k: Kernel,
    private readonly spawn: Spawn,
  ) {}

  /** The bus as one process sees it: its subscription dies with it. */
  side(life: Life): SwitchBus {
    return {
      publish: async () => this.publish(),
      subscribe: async (onNotice) => {
        this.listener = { life, onNotice };
      },
      close: async () => {
        if (this.listener?.life === life) this.listener = undefined;
      },
    };
  }

  /** The operator's end: it publishes, nobody listens. */
  publisher(): SwitchBus {
    return { publish: async () => this.publish(), subscribe: async () => {}, close: async () => {} };
  }

  private publish(): void {
    const to = this.listener;
    if (!to || to.life.dead) return;
    this.spawn('switch notice', async () => {
      await this.k.gate('bus.switch-notice', to.life);
      this.k.trace(`switch notice reaches process ${to.life.id}`);
      to.onNotice();
    });
  }
}

/** The operator at its terminal: flips a switch now and then; counts what it changed. */
export class Operator {
  /** Changes made (a flip to the value a switch already had is not one), by `kind name`. */
  readonly flips = new Map<string, number>();
  /** The operator types one command after another: each change waits for the one before. */
  private last: Promise<void> = Promise.resolve();
  /** What the operator last asked of each switch (`kind name`), landed or not. */
  private readonly asked = new Map<string, number>();
  private constructor(
    private readonly k: Kernel,
    private readonly board: SwitchBoard,
    private readonly store: Pick<SwitchStore, 'listSwitches'>,
    private readonly spawn: Spawn,
    /** Chance of a flip per step (0 in runs without switches). */
    readonly rate: number,
  ) {}

  static async start(input: {
    k: Kernel;
    /** The operator's own connection (gated: its write lands at a seeded moment). */
    store: Pick<SwitchStore, 'listSwitches' | 'setSwitch'>;
    bus: SwitchBus | undefined;
    spawn: Spawn;
    rate: number;
  }): Promise<Operator> {
    const board = await createSwitchBoard({
      store: input.store,
      bus: input.bus,
      pollMs: 0,
      now: input.k.clock.now,
    });
    return new Operator(input.k, board, input.store, input.spawn, input.rate);
  }

  get flipCount(): number {
    return [...this.flips.values()].reduce((s, n) => s + n, 0);
  }

  /**
   * Maybe flips one switch: one that is off (as the operator last asked) goes on for a while (a
   * rehearsal, an incident: 5 s to 10 min of simulated time), then off again; one that is on
   * goes off at once.
   */
  maybeFlip(): void {
    if (!this.k.chance(this.rate)) return;
    let roll = this.k.int(TOTAL_WEIGHT);
    this.flip(FLIPPED.find((f) => (roll -= f.weight) < 0)!);
  }

  /** At the run's start: in some runs a payment rehearsal is under way as the traffic begins. */
  opening(): void {
    if (this.rate > 0 && this.k.chance(0.4)) this.flip({ kind: 'mock', name: 'payment' });
  }

  private flip(pick: { kind: ToggleKind; name: string }): void {
    if ((this.asked.get(`${pick.kind} ${pick.name}`) ?? 0) > 0) return this.set(pick.kind, pick.name, 0);
    const forMs = 5_000 + this.k.int(10 * 60_000);
    this.set(pick.kind, pick.name, 1, () =>
      this.k.clock.setTimeout(() => this.set(pick.kind, pick.name, 0), forMs),
    );
  }

  /** The rehearsal ends: every switch still on (as the store says) is turned off. */
  allOff(): void {
    const landed = this.last.then(async () => {
      for (const s of await this.store.listSwitches())
        if (s.value > 0) this.set(s.kind as ToggleKind, s.name, 0);
    });
    this.last = landed.catch(() => {});
    this.spawn('operator', () => landed);
  }

  /** Queues one change (`then`: once it landed); a change the store refused is traced and dropped. */
  private set(kind: ToggleKind, name: string, value: number, then?: () => void): void {
    this.k.trace(`operator: ${kind} ${name} ${value ? 'on' : 'off'}`);
    this.asked.set(`${kind} ${name}`, value);
    // its write passes the operator store's gates (run-seed.ts): it lands at a seeded moment
    const landed = this.last.then(async () => {
      const r = await this.board.set({
        kind,
        name,
        value,
        actor: 'sim-operator',
        via: 'direct',
        reason: 'sim',
      });
      this.k.trace(`switch ${kind} ${name} ${r.oldValue} -> ${r.newValue}${r.changed ? '' : ' (unchanged)'}`);
      const key = `${kind} ${name}`;
      if (r.changed) this.flips.set(key, (this.flips.get(key) ?? 0) + 1);
      then?.();
    });
    this.last = landed.catch(() => {});
    this.spawn('operator', () => landed);
  }
}

/**
 * The process's board as a request meets it, for the degrade check: the switch that gates the
 * request (none for ungated routes), and a count of the changes the board has applied, so a check
 * can tell whether the switch moved while the request ran.
 */
export interface GateView {
  gate: DegradeName | undefined;
  on: boolean;
  changes: number;
}

export function gateView(board: SwitchBoard, changes: number, method: string, path: string): GateView {
  const endpoint = endpointOf(method, path);
  const gate = endpoint ? DEGRADE_OF_ENDPOINT[endpoint] : undefined;
  return { gate, on: gate !== undefined && board.isOn('degrade', gate), changes };
}

/**
 * A degraded route answers `503 DEGRADED` naming its switch while that switch is on, and never
 * while it is off (when the board did not change during the request). Returns the violation, if any.
 */
export function checkDegraded(
  before: GateView,
  after: GateView,
  what: string,
  status: number,
  body: Record<string, unknown>,
): string | null {
  const error = body.error as { code?: string; details?: { switch?: string } } | undefined;
  const degraded = error?.code === 'DEGRADED';
  if (degraded && (status !== 503 || error?.details?.switch !== before.gate))
    return `${what}: DEGRADED with status ${status} naming ${error?.details?.switch}, the gate is ${before.gate}`;
  if (!before.gate || before.changes !== after.changes) return null;
  if (before.on && !degraded) return `${what}: answered ${status} while degrade ${before.gate} was on`;
  if (!before.on && degraded) return `${what}: answered DEGRADED while degrade ${before.gate} was off`;
  return null;
}
