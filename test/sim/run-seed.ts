/**
 * Issue 24: one simulated run. A seed gives the faults (swarm), the workload and every
 * interleaving; the run drives the real packet service (HTTP app in process, coalescer, limiter,
 * workers, sweeper, SQLite store, switch board and mocks) and the real simulated finance (service,
 * store, ledger), flips switches as an operator would (./switches.ts), checks the invariants after
 * every step, then stops the faults, turns the switches off, lets everything settle, and checks
 * the final state.
 */
import { subsidyTokenKey } from '../../src/auth/subsidy-token.js';
import { DEFAULT_MAX_TOKEN_LIFETIME_SEC, issueToken } from '../../src/auth/tokens.js';
import { createRainService } from '../../src/finance/rain/rain-service.js';
import { createKnobs } from '../../src/finance/knobs.js';
import { createFinanceService } from '../../src/finance/service.js';
import { createFinanceStore } from '../../src/finance/store/create-finance-store.js';
import type { PacketStore } from '../../src/domain/ports.js';
import { createSqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { createWriteQueue } from '../../src/storage/shared/write-queue.js';
import { createSwitchStore } from '../../src/storage/switches/create-switch-store.js';
import type { SwitchStore } from '../../src/switches/ports.js';
import { createSwitchBoard } from '../../src/switches/switch-board.js';
import { workerTimings } from '../../src/worker/timings.js';
import { runFiles } from './books.js';
import { Faults, type FaultCounts, type FaultKind } from './faults.js';
import {
  callbackHeaders,
  simIssuer,
  simNotifier,
  simProvider,
  type InFlightCallback,
  type Mutations,
} from './finance-sim.js';
import { checkRecon } from './recon-check.js';
import { checkClientSeen, checkQuiescent, checkStep, type ClientSuccess } from './invariants.js';
import { Kernel, type Life } from './kernel.js';
import { startProcess, type SimProcess } from './process.js';
import { SimGrantQueue } from './grant-queue.js';
import { mockFollowsSwitch, unguardedExpiry } from './mutants.js';
import { gatedStore } from './store-proxy.js';
import { checkDegraded, gateView, Operator, SimSwitchBus, SWITCH_POLL_MS } from './switches.js';

/** 2026-01-01T00:00:00Z: simulated time starts here in every run. */
export const SIM_EPOCH = Date.UTC(2026, 0, 1);
/** Rounds of the settling phase that still draw faults. */
const FAULTY_ROUNDS = 150;
/** Rounds before a run that has not settled is reported as stuck (its checks then name what is left). */
const MAX_ROUNDS = 800;
/** Tries of one task after the faults stopped at which the run is taken as stuck. */
const STUCK_ATTEMPTS = 20;
const JWT_SECRET = 'sim-jwt-secret-0123456789abcdef';
const SIGN_SECRET = 'sim-sign-secret-0123456789abcdef';
const TOKEN_KEY = subsidyTokenKey(JWT_SECRET);
const CAMPAIGN = 'sim-rain';

export interface SimOptions {
  seed: number;
  /** Workload steps before the run heads for quiescence. */
  steps: number;
  faults?: readonly FaultKind[] | 'all' | 'none';
  /** Deliberate bugs, for the mutant tests. */
  mutations?: Mutations;
  /** Every trace event as it happens. */
  echo?: (line: string) => void;
  /** The real recon over the window at quiescence (default on). */
  recon?: boolean;
  /** The operator flips switches (default on; off: every switch stays off, as before issue 24's flips). */
  switches?: boolean;
}

export interface SimResult {
  seed: number;
  ok: boolean;
  violations: string[];
  /** sha256 over every event of the run: equal for two runs of one seed. */
  traceHash: string;
  events: number;
  /** The last events (a failing run's trace). */
  trace: string[];
  steps: number;
  simulatedMs: number;
  faults: FaultCounts;
  faultRates: string;
  invariantChecks: number;
  /** Recon runs at quiescence (one a seed that got there clean). */
  reconRuns: number;
  stats: {
    packets: number;
    b2cPackets: number;
    claims: number;
    withdrawals: number;
    crashes: number;
    callbacks: number;
    /** Switch changes the operator made. */
    switchFlips: number;
    /** C2C packets whose payment `mock payment` answered. */
    mockedPayments: number;
  };
  /** Switch changes by `kind name`. */
  switchFlips: Record<string, number>;
}

interface KnownPacket {
  id: string;
  sender: string;
  count: number;
  type: 'c2c' | 'b2c';
}

export async function runSeed(opts: SimOptions): Promise<SimResult> {
  const k = new Kernel(opts.seed, SIM_EPOCH, 400, opts.echo);
  const faults = new Faults(k, { enabled: opts.faults ?? 'all' });
  const timings = workerTimings(faults.active('lease_expiry') ? { leaseMs: 500 + k.int(3000) } : {});
  // switches, swarm style too: a quarter of the runs flips none; a run with a bus (`--redis`)
  // tells the process at once, one without relies on its poll
  const flipRate = k.chance(0.75) && opts.switches !== false ? 0.01 + k.random() * 0.05 : 0;
  const withBus = k.chance(0.5);
  k.trace(
    `seed ${opts.seed} faults ${faults.describe()} leaseMs ${timings.leaseMs} flips ${flipRate.toFixed(3)}${withBus ? ' bus' : ''}`,
  );
  const files = await runFiles();
  const view = files.open();
  // every call into the packets file, by either store, one at a time (store-proxy.ts)
  const serial = createWriteQueue();
  const finStore = createFinanceStore({ kind: 'sqlite', file: files.finance });
  const network: InFlightCallback[] = [];
  const service = createFinanceService({
    store: finStore,
    knobs: createKnobs(),
    notifier: simNotifier(k, faults, network),
    now: k.clock.now,
    initialBalance: 1_000_000,
    merchantInitialBalance: 100_000_000_000,
    random: k.random,
  });
  const queue = new SimGrantQueue(k, faults);
  const rain = createRainService({
    store: finStore,
    tokenKey: TOKEN_KEY,
    queue: queue.side(null),
    random: k.random,
    idRandom: k.random,
    now: k.clock.now,
    merchantInitialBalance: 100_000_000_000,
    log: () => {},
    sweepIntervalMs: 0,
  });
  await rain.setCampaign(CAMPAIGN, {
    budget: 50_000_000,
    probability: 0.8,
    minAmount: 50,
    maxAmount: 3_000,
    tokenTtlSec: 86_400,
  });
  const violations: string[] = [];
  const seen: ClientSuccess[] = [];
  const known: KnownPacket[] = [];
  const tokens = new Map<string, string>();
  const actors = new Set<Promise<void>>();
  const mutantSeen = new Map<string, number>();
  const stats = {
    packets: 0,
    b2cPackets: 0,
    claims: 0,
    withdrawals: 0,
    crashes: 0,
    callbacks: 0,
    switchFlips: 0,
    mockedPayments: 0,
  };
  /** B2C claimers with money credited (or about to be): who may withdraw. */
  const b2cClaimers: string[] = [];
  let checks = 0;
  let reconRuns = 0;
  let lives = 0;
  let raw: PacketStore | undefined;
  let rawSwitches: SwitchStore | undefined;
  let proc: SimProcess | undefined;
  /** Switch changes the process's boards applied (every incarnation's): the degrade check's clock. */
  let boardChanges = 0;
  let nextPoll = 0;

  function spawn(name: string, work: () => Promise<unknown>): void {
    const p: Promise<void> = work()
      .then(
        () => undefined,
        (e: unknown) => k.trace(`${name} ended: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        actors.delete(p);
        k.touch();
      });
    actors.add(p);
  }

  const bus = withBus ? new SimSwitchBus(k, spawn) : undefined;
  const operatorStore = await createSwitchStore({ kind: 'sqlite', file: files.packets });
  const operator = await Operator.start({
    k,
    store: gatedStore(operatorStore, k, faults, null, {
      name: 'operator',
      ungated: ['listSwitches'],
      serial,
    }),
    bus: bus?.publisher(),
    spawn,
    rate: flipRate,
  });

  async function start(): Promise<void> {
    const life: Life = { id: ++lives, dead: false };
    raw = await createSqliteStore({ file: files.packets });
    rawSwitches = await createSwitchStore({ kind: 'sqlite', file: files.packets });
    const gated = gatedStore(raw, k, faults, life, { serial });
    const store = opts.mutations?.refundUnguarded ? unguardedExpiry(gated, view.packets) : gated;
    // the board's reads of the small switch table are not gated (its first one runs at start)
    const switchStore = gatedStore(rawSwitches, k, faults, life, {
      name: 'switches',
      ungated: ['listSwitches'],
      serial,
    });
    const switches = await createSwitchBoard({
      store: switchStore,
      bus: bus?.side(life),
      pollMs: 0, // polled on simulated time (pollSwitches)
      now: k.clock.now,
      onChange: (c) => {
        boardChanges++;
        k.trace(`process ${life.id} sees ${c.kind} ${c.name} ${c.from} -> ${c.to}`);
      },
    });
    const side = { k, faults, life, spawn };
    const provider = simProvider({
      ...side,
      service,
      store: finStore,
      spawn,
      seen: mutantSeen,
      ...(opts.mutations ? { mutations: opts.mutations } : {}),
    });
    proc = startProcess({
      k,
      life,
      store,
      provider,
      issuer: simIssuer(side, rain),
      queue: queue.side(life),
      tokenKey: TOKEN_KEY,
      timings,
      jwtSecret: JWT_SECRET,
      signSecret: SIGN_SECRET,
      workers: 2,
      switches,
      switchStore,
      ...(opts.mutations?.mockFollowsSwitch
        ? { mockedOrders: mockFollowsSwitch(switchStore, switches) }
        : {}),
    });
    k.trace(`process ${life.id} up`);
  }

  async function crash(): Promise<void> {
    const { life } = proc!;
    life.dead = true;
    stats.crashes++;
    k.trace(`crash process ${life.id} (parked: ${k.pendingLabels().length})`);
    k.failParked(life);
    await k.settle();
    await raw!.close();
    await rawSwitches!.close();
    await start();
  }

  /** The board re-reads the switch table every SWITCH_POLL_MS of simulated time. */
  function pollSwitches(): void {
    if (k.clock.now() < nextPoll) return;
    nextPoll = k.clock.now() + SWITCH_POLL_MS;
    void proc!.switches.refresh();
  }

  async function token(uid: string): Promise<string> {
    let t = tokens.get(uid);
    // minted and checked on simulated time (the app's token cache reads the sim clock), for the
    // longest lifetime serve accepts (30 days): longer than any run
    if (!t)
      tokens.set(uid, (t = await issueToken(JWT_SECRET, uid, DEFAULT_MAX_TOKEN_LIFETIME_SEC, k.clock.now())));
    return t;
  }

  type Answer = { lost: true } | { lost: false; status: number; body: Record<string, unknown> };
  async function http(method: 'GET' | 'POST', path: string, uid: string, body?: unknown): Promise<Answer> {
    const { life, app, switches } = proc!;
    const headers: Record<string, string> = { authorization: `Bearer ${await token(uid)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const before = gateView(switches, boardChanges, method, path);
    let res: Response;
    try {
      res = await app.request(path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      return { lost: true };
    }
    const json = (await res.json()) as Record<string, unknown>;
    if (life.dead) return { lost: true }; // the connection died with the process
    if (res.status === 500) violations.push(`500 answer to ${method} ${path}: ${JSON.stringify(json)}`);
    const degraded = checkDegraded(
      before,
      gateView(switches, boardChanges, method, path),
      `${method} ${path}`,
      res.status,
      json,
    );
    if (degraded) violations.push(degraded);
    return { lost: false, status: res.status, body: json };
  }
  const answerText = (a: Answer) =>
    a.lost
      ? 'lost'
      : `${a.status}${a.status >= 400 ? ` ${(a.body.error as { code?: string } | undefined)?.code}` : ''}`;

  /** A client's pause before it retries: until the scheduler lets it go. */
  const pause = (what: string) => k.gate(`client.${what}.wait`, null);

  async function c2c(n: number): Promise<void> {
    const sender = `s${n}`;
    const count = 1 + k.int(6);
    const body = {
      outOrderNo: `o${n}`,
      totalAmount: count * (1 + k.int(300)) + k.int(count),
      totalCount: count,
      splitMode: k.pick(['random', 'fixed'] as const),
      expiresInSec: k.pick([60, 300, 1800, 86_400]),
    };
    let created: Record<string, unknown> | undefined;
    for (let attempt = 0; attempt < 4 && !created; attempt++) {
      if (attempt > 0) await pause('create');
      const a = await http('POST', '/v1/c2c/packets', sender, body);
      k.trace(`create o${n} -> ${answerText(a)}`);
      if (!a.lost && a.status < 300) created = a.body;
      else if (!a.lost && a.status < 500 && a.status !== 429) return;
    }
    if (!created) return;
    const p: KnownPacket = { id: String(created.packetId), sender, count, type: 'c2c' };
    if (!known.some((x) => x.id === p.id)) known.push(p);
    stats.packets = known.length;
    // `mock payment`: active at once, no cashier to pay at
    if (created.status === 'active') return;
    if (!k.chance(0.85)) return; // left unpaid: the payment re-check closes it
    const payOrderNo = String(created.payOrderNo);
    await k.gate('cashier.pay', null);
    try {
      await service.pay(payOrderNo, sender);
      k.trace(`pay ${payOrderNo} ok`);
    } catch (e) {
      k.trace(`pay ${payOrderNo} refused: ${(e as { code?: string }).code ?? String(e)}`);
    }
  }

  /** B2C: a draw at the reward issuer, then the packet sent with the won subsidy's token. */
  async function b2c(n: number): Promise<void> {
    const sender = `r${n}`;
    await k.gate('issuer.draw', null);
    const drawn = await rain.draw(CAMPAIGN, sender);
    k.trace(`draw ${sender} -> ${drawn.won ? drawn.grant.amount : drawn.reason}`);
    if (!drawn.won) return;
    // the grant is booked by the booking worker off the queue, or by the send, whichever is first
    await pause('send');
    const amount = drawn.grant.amount;
    const count = 1 + k.int(Math.min(6, amount));
    const body = {
      outOrderNo: `b${n}`,
      subsidyToken: drawn.grant.token,
      totalCount: count,
      splitMode: k.pick(['random', 'fixed'] as const),
      expiresInSec: k.pick([60, 300, 1800, 86_400]),
    };
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await pause('send');
      const a = await http('POST', '/v1/b2c/packets', sender, body);
      k.trace(`send b${n} -> ${answerText(a)}`);
      if (!a.lost && a.status < 300) {
        const p: KnownPacket = { id: String(a.body.packetId), sender, count, type: 'b2c' };
        if (!known.some((x) => x.id === p.id)) known.push(p);
        stats.packets = known.length;
        stats.b2cPackets++;
        return;
      }
      if (!a.lost && a.status < 500 && a.status !== 429) return;
    }
  }

  /** A B2C claimer moves (part of) its subsidy balance to its wallet; retried with the same key. */
  async function withdrawal(n: number, uid: string): Promise<void> {
    const bal = await http('GET', '/v1/me/balance', uid);
    if (bal.lost || bal.status !== 200) return;
    const available = Number(bal.body.available);
    if (!(available > 0)) return;
    const body = { outOrderNo: `w${n}`, amount: 1 + k.int(available) };
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await pause('withdraw');
      const a = await http('POST', '/v1/me/withdrawals', uid, body);
      k.trace(`withdraw w${n} ${uid} ${body.amount} -> ${answerText(a)}${a.lost ? '' : ` ${a.body.status}`}`);
      if (!a.lost && a.status < 300) {
        stats.withdrawals++;
        return;
      }
      if (!a.lost && a.status < 500 && a.status !== 429) return;
    }
  }

  async function claim(p: KnownPacket, uid: string): Promise<void> {
    if (k.chance(0.15)) {
      const a = await http('GET', `/v1/packets/${p.id}`, uid);
      k.trace(`details ${p.id.slice(-6)} ${uid} -> ${answerText(a)}`);
    }
    let told: ClientSuccess | undefined;
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await pause('claim');
      const a = await http('POST', `/v1/packets/${p.id}/claims`, uid);
      k.trace(
        `claim ${p.id.slice(-6)} ${uid} -> ${answerText(a)}${!a.lost && a.status === 200 ? ` ${a.body.amount}` : ''}`,
      );
      if (a.lost || a.status >= 500 || a.status === 429) continue;
      if (a.status !== 200) return;
      const now: ClientSuccess = {
        packetId: p.id,
        uid,
        claimNo: String(a.body.claimNo),
        amount: Number(a.body.amount),
      };
      if (told && (told.claimNo !== now.claimNo || told.amount !== now.amount))
        violations.push(
          `client ${uid} of ${p.id} was told ${told.claimNo} ${told.amount} fen, then ${now.claimNo} ${now.amount} fen`,
        );
      if (!told) {
        told = now;
        seen.push(now);
        stats.claims++;
        if (p.type === 'b2c') b2cClaimers.push(uid);
      }
      if (!k.chance(0.3)) return; // else: the same claim again (a retry after a lost answer)
    }
  }

  function deliverCallback(): boolean {
    const due = network.filter((c) => c.notBefore <= k.clock.now());
    if (due.length === 0) return false;
    const cb = k.pick(due);
    network.splice(network.indexOf(cb), 1);
    stats.callbacks++;
    spawn('callback', async () => {
      await k.gate('net.callback', null);
      const { life, app } = proc!;
      let ok = false;
      try {
        const res = await app.request('/v1/callbacks/finance', {
          method: 'POST',
          headers: callbackHeaders(SIGN_SECRET, cb.body, k.clock.now()),
          body: cb.body,
        });
        await res.text();
        ok = !life.dead && res.status >= 200 && res.status < 300;
        if (!life.dead && res.status === 500) violations.push(`500 answer to a callback of ${cb.orderNo}`);
      } catch {
        ok = false;
      }
      k.trace(`callback ${cb.orderNo} attempt ${cb.attempt} -> ${ok ? 'ok' : 'failed'}`);
      if (!ok && cb.attempt < 4) {
        network.push({
          ...cb,
          attempt: cb.attempt + 1,
          notBefore: k.clock.now() + 200 * 2 ** (cb.attempt - 1),
        });
      } else if (!ok) k.trace(`callback ${cb.orderNo} given up`);
    });
    return true;
  }

  function pollWorkers(): void {
    book();
    const p = proc!;
    for (const w of p.workers) {
      if (p.busy.has(w.owner)) continue;
      p.busy.add(w.owner);
      spawn(`worker ${w.owner}`, async () => {
        try {
          const ran = await w.runOnce();
          if (ran > 0) k.trace(`worker ${w.owner} ran ${ran}`);
        } finally {
          p.busy.delete(w.owner);
        }
      });
    }
  }

  function book(): void {
    const p = proc!;
    if (p.busy.has('booking')) return;
    p.busy.add('booking');
    spawn('booking', async () => {
      try {
        const n = await p.booker.bookOnce(50, 0);
        if (n > 0) k.trace(`booking took ${n}`);
      } finally {
        p.busy.delete('booking');
      }
    });
  }

  function sweep(): void {
    const p = proc!;
    if (p.busy.has('sweeper')) return;
    p.busy.add('sweeper');
    spawn('sweeper', async () => {
      try {
        await rain.republish();
        const r = await p.sweeper.runOnce();
        if (r.tasksEnsured + r.alertsRaised > 0)
          k.trace(`sweep ensured ${r.tasksEnsured} alerts ${r.alertsRaised}`);
      } finally {
        p.busy.delete('sweeper');
      }
    });
  }

  /** SQLite's data_version moves when another connection commits: unchanged books need no new check. */
  let versions = '';
  async function check(): Promise<void> {
    const v = await Promise.all([view.packets, view.finance].map((db) => db.execute('PRAGMA data_version')));
    const now = v.map((r) => String(r.rows[0]?.[0])).join(' ') + ` ${seen.length}`;
    if (now === versions) return;
    versions = now;
    checks++;
    violations.push(...(await checkStep(view.packets, view.finance)));
    violations.push(...(await checkClientSeen(view.packets, seen)));
  }

  /** Lets every parked call go (in seeded order) and delivers due callbacks, until none are left. */
  async function drain(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      let moved = false;
      for (let n = k.pendingGates(); n > 0; n--) {
        k.release();
        moved = true;
      }
      while (deliverCallback()) moved = true;
      if (!moved) return;
      await k.settle();
    }
  }

  function startWithdrawal(): void {
    const uid = k.pick(b2cClaimers);
    const n = withdrawals++;
    k.trace(`start withdrawal w${n} ${uid}`);
    spawn('withdrawal', () => withdrawal(n, uid));
  }

  let uidPool = 0;
  let created = 0;
  let withdrawals = 0;
  let step = 0;
  try {
    await start();
    operator.opening();
    for (; step < opts.steps && violations.length === 0; step++) {
      const roll = k.random() * 20;
      if (k.pendingGates() > 0 && roll < 10) {
        const label = k.release();
        k.trace(`go ${label}`);
      } else if (roll < 11.2 && created < 40) {
        const n = created++;
        if (k.chance(0.35)) {
          k.trace(`start b2c b${n}`);
          spawn('b2c', () => b2c(n));
        } else {
          k.trace(`start c2c o${n}`);
          spawn('c2c', () => c2c(n));
        }
      } else if (roll < 13 && known.length > 0) {
        const p = k.pick(known);
        const claimers = p.count + k.int(4);
        k.trace(`start ${claimers} claimers of ${p.id.slice(-6)}`);
        for (let i = 0; i < claimers; i++) {
          const uid = `u${k.chance(0.5) && uidPool > 0 ? k.int(uidPool) : uidPool++}`;
          spawn('claim', () => claim(p, uid));
        }
      } else if (roll < 15) {
        if (deliverCallback()) k.trace('deliver');
      } else if (roll < 16.2 || b2cClaimers.length === 0) {
        pollWorkers();
      } else if (roll < 17) {
        startWithdrawal();
      } else if (roll < 17.6) {
        sweep();
      } else {
        const dt = 1 + k.int(5_000);
        k.clock.advance(dt);
      }
      if (faults.fire('clock_jump')) {
        const dt = k.pick([60_000, 10 * 60_000, 3_600_000, 6 * 3_600_000]);
        k.trace(`fault clock_jump ${dt}`);
        k.clock.advance(dt);
      }
      if (faults.fire('crash')) await crash();
      operator.maybeFlip();
      pollSwitches();
      // the lease fault: time runs past the lease while a worker still holds its tasks
      if (
        faults.active('lease_expiry') &&
        [...proc!.busy].some((b) => b.startsWith('sim-')) &&
        k.chance(0.2)
      ) {
        faults.counts.lease_expiry++;
        k.trace(`fault lease_expiry +${timings.leaseMs + 1} ms`);
        k.clock.advance(timings.leaseMs + 1);
      }
      await k.settle();
      await check();
    }

    // quiescence: no more faults; every parked call and callback runs, and time jumps from one due
    // task to the next until no task is pending, then past the sweeper's cut-off (a last sweep)
    // The first rounds still draw faults (recovery is tested under faults too: most transfers and
    // refunds run here), then they stop.
    k.trace('settle under faults');
    // until every packet of the workload has expired (the longest live a day), at most FAULTY_ROUNDS
    const faultyUntil = k.clock.now() + 25 * 3_600_000;
    let swept = false;
    let attemptsAtQuiesce = Infinity;
    for (let round = 0; round < MAX_ROUNDS && violations.length === 0; round++) {
      if (faults.on && (round >= FAULTY_ROUNDS || k.clock.now() >= faultyUntil)) {
        faults.on = false;
        k.trace('quiesce');
        operator.allOff();
      }
      if (faults.fire('crash')) await crash();
      if (faults.on) operator.maybeFlip();
      pollSwitches();
      // claimers withdraw while the run settles too (most credits land here)
      if (faults.on && b2cClaimers.length > 0 && k.chance(0.1)) startWithdrawal();
      await drain();
      if (faults.on) await check();
      if (k.pendingGates() > 0 || actors.size > 0) continue;
      const next = await view.packets.execute(
        `SELECT MIN(MAX(due_at, COALESCE(lease_until, 0))) AS due, MAX(attempts) AS attempts
           FROM tasks WHERE status = 'pending'`,
      );
      const due = next.rows[0]?.due;
      // without faults a task's next try finishes it: one that keeps failing is stuck, and the
      // quiescence checks below name it (no need to spin until MAX_ROUNDS)
      const attempts = Number(next.rows[0]?.attempts ?? 0);
      if (faults.on) attemptsAtQuiesce = attempts;
      else if (attempts > attemptsAtQuiesce + STUCK_ATTEMPTS) {
        k.trace(`stuck: a task tried ${attempts} times`);
        break;
      }
      const callbackAt = Math.min(...network.map((c) => c.notBefore), queue.nextVisibleAt());
      if (due === null && network.length === 0 && queue.depth === 0) {
        if (swept && !faults.on) break;
        // orders whose task is gone or done: only the sweeper finds them, after its cut-off
        k.clock.advance(timings.sweepAfterMs + timings.paymentTimeoutMs + 1);
        swept = true;
        sweep();
      } else {
        swept = false;
        const at = Math.min(due === null ? Infinity : Number(due), callbackAt);
        k.clock.advance(Math.max(1, at - k.clock.now()));
        pollWorkers();
      }
      await k.settle();
    }
    const mocked = await view.packets.execute(
      `SELECT COUNT(*) AS n FROM ops_mocked_orders WHERE kind = 'payment'`,
    );
    stats.mockedPayments = Number(mocked.rows[0]?.n ?? 0);
    stats.switchFlips = operator.flipCount;
    checks++;
    violations.push(...(await checkQuiescent(view.packets, view.finance)));
    violations.push(...(await checkClientSeen(view.packets, seen)));
    if (violations.length === 0 && opts.recon !== false) {
      reconRuns++;
      violations.push(
        ...(await checkRecon(
          files.packets,
          finStore,
          { fromMs: SIM_EPOCH, toMs: k.clock.now() + 1 },
          k.clock.now() + 3_600_000,
        )),
      );
    }
  } catch (e) {
    violations.push(
      `the simulator itself failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
  } finally {
    if (proc) {
      proc.life.dead = true;
      k.failParked(proc.life);
    }
    await k.settle();
    await raw?.close().catch(() => {});
    await rawSwitches?.close().catch(() => {});
    await operatorStore.close().catch(() => {});
    await finStore.close().catch(() => {});
    view.packets.close();
    view.finance.close();
    files.remove();
  }
  for (const v of violations.slice(0, 20)) k.trace(`VIOLATION ${v}`);
  return {
    seed: opts.seed,
    ok: violations.length === 0,
    violations,
    traceHash: k.traceHash(),
    events: k.events,
    trace: [...k.recent],
    steps: step,
    simulatedMs: k.clock.now() - SIM_EPOCH,
    faults: faults.counts,
    faultRates: faults.describe(),
    invariantChecks: checks,
    reconRuns,
    stats,
    switchFlips: Object.fromEntries(operator.flips),
  };
}
