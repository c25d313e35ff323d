/**
 * Issue 24: the simulation's kernel. Simulated time (a Clock whose timers fire only when the
 * simulator advances it), a seeded random source, the trace, and the gates: every call that leaves
 * a component (a store call, a finance call, a callback) parks at a gate until the scheduler picks
 * it, so the interleaving of concurrent work is a function of the seed alone. Underneath, SQLite
 * (libsql) answers synchronously, so between two gates nothing real-time happens.
 */
import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../../src/domain/clock.js';
import { createSeededRandom, type Random } from '../../src/domain/random.js';

/** What a gate decided for the call parked at it. */
export type GateVerdict = 'go' | 'crash';

export class CrashError extends Error {
  constructor(what: string) {
    super(`sim: process crashed (${what})`);
  }
}

/** An incarnation of the packet service process: alive until it crashes. */
export interface Life {
  readonly id: number;
  dead: boolean;
}

interface Parked {
  seq: number;
  label: string;
  life: Life | null;
  resolve(verdict: GateVerdict): void;
}

interface SimTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class SimClock implements Clock {
  private t: number;
  private timers: SimTimer[] = [];
  private seq = 0;
  constructor(start: number) {
    this.t = start;
  }
  now = (): number => this.t;
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: SimTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return timer as unknown as TimerHandle;
  }
  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) (handle as unknown as SimTimer).cancelled = true;
  }
  /** Moves time forward, firing due timers in (due time, creation) order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers
        .filter((x) => !x.cancelled && x.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.timers = this.timers.filter((x) => !x.cancelled);
    this.t = end;
  }
}

export class Kernel {
  readonly clock: SimClock;
  readonly random: Random;
  private parked: Parked[] = [];
  private gateSeq = 0;
  private activity = 0;
  private readonly hash = createHash('sha256');
  /** The last events, for a failing run's report. */
  readonly recent: string[] = [];
  events = 0;
  settleRounds = 0;

  constructor(
    readonly seed: number,
    start: number,
    private readonly keepTrace = 400,
  ) {
    this.clock = new SimClock(start);
    this.random = createSeededRandom(seed);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  chance(p: number): boolean {
    return p > 0 && this.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Records an event in the trace (its hash is the replay check). */
  trace(event: string): void {
    const line = `${this.clock.now()} ${event}`;
    this.hash.update(line).update('\n');
    this.events++;
    this.recent.push(line);
    if (this.recent.length > this.keepTrace) this.recent.shift();
  }
  traceHash(): string {
    return this.hash.copy().digest('hex');
  }

  /** Parks the caller until the scheduler lets it go (or its process dies meanwhile). */
  async gate(label: string, life: Life | null): Promise<void> {
    if (life?.dead) throw new CrashError(label);
    this.activity++;
    const verdict = await new Promise<GateVerdict>((resolve) => {
      this.parked.push({ seq: this.gateSeq++, label, life, resolve });
    });
    if (verdict === 'crash' || life?.dead) throw new CrashError(label);
  }

  get gatesOpened(): number {
    return this.gateSeq;
  }

  pendingGates(): number {
    return this.parked.length;
  }
  pendingLabels(): string[] {
    return this.parked.map((p) => p.label);
  }

  /** Lets one parked call go, chosen by the seed; null when none is parked. */
  release(): string | null {
    if (this.parked.length === 0) return null;
    const [p] = this.parked.splice(this.int(this.parked.length), 1);
    p!.resolve('go');
    return p!.label;
  }

  /** Every parked call of a dead process fails. */
  failParked(life: Life): void {
    const mine = this.parked.filter((p) => p.life === life);
    this.parked = this.parked.filter((p) => p.life !== life);
    for (const p of mine) p.resolve('crash');
  }

  /** Marks activity (an actor ended, a callback queued): settle() waits for quiet. */
  touch(): void {
    this.activity++;
  }

  /**
   * Runs the event loop until nothing moves: every continuation is parked at a gate or done.
   * Counted in rounds of setImmediate, so it ends at the same point in every replay.
   */
  async settle(): Promise<void> {
    let quiet = 0;
    for (let round = 0; round < 10_000 && quiet < 3; round++) {
      const before = this.activity;
      await new Promise<void>((r) => setImmediate(r));
      this.settleRounds++;
      quiet = this.activity === before ? quiet + 1 : 0;
    }
  }
}
