/**
 * Issue 4: the sweeper, the third way every order reaches a final state (DESIGN §6). It scans the
 * payments, claims (their transfers), refunds, subsidy withdrawals and B2C remainder returns still
 * unsettled a while after creation and
 *  - gives each one a live task: a missing task is created, a `done` one revived (both idempotent
 *    by (kind, ref), so several sweepers at once are harmless);
 *  - raises ONE alert per order whose task died or has run `alertAfterAttempts` times: the alerts
 *    table is unique by (kind, ref), so only the sweeper that inserts it logs and posts it; the
 *    sink pages once per cause at the end of the sweep (./alert-sink.ts).
 * A withdrawal's task is `withdrawal` (ref: withdrawalNo); a B2C return's is its packet's `expire`
 * task (ref: packet id), which starts the return and finishes it at the reward issuer.
 * An overdue expiry (an active packet, C2C or B2C, still active `sweepAfterMs` after its expiresAt)
 * is swept the same way through its `expire` task (ref: packet id): without it a lost or dead
 * expire task would leave the packet active for ever and its remainder never refunded or returned.
 * Its alert is recorded as an `expiry` keyed by the packet id (see ALERT_KINDS).
 */
import { systemClock, type Clock, type TimerHandle } from '../domain/clock.js';
import type { OrderKind, PacketStore, UnsettledOrder } from '../domain/ports.js';
import { TASK_OF_ORDER } from '../domain/ports.js';
import { keysetPages } from '../domain/keyset-pages.js';
import type { AlertSink } from './alert-sink.js';
import type { WorkerTimings } from './timings.js';

export interface SweeperOptions {
  store: Pick<PacketStore, 'listUnsettled' | 'ensureTask' | 'raiseAlert'>;
  alerts: AlertSink;
  timings: Pick<WorkerTimings, 'sweepEveryMs' | 'sweepAfterMs' | 'paymentTimeoutMs' | 'alertAfterAttempts'>;
  now: () => number;
  /** Issue 24: whose timers pace the sweeps (the simulation's clock); default the system's. */
  clock?: Clock;
  log: (msg: string, err?: unknown) => void;
  /** Orders read per query. */
  pageSize?: number;
}

export interface SweepReport {
  scanned: number;
  tasksEnsured: number;
  alertsRaised: number;
  /** Kinds whose scan failed this time (logged); the other kinds were swept all the same. */
  failedKinds: OrderKind[];
}

export interface Sweeper {
  runOnce(): Promise<SweepReport>;
  /** Sweeps every sweepEveryMs until stop(); the first sweep comes after one interval. */
  start(): void;
  stop(): Promise<void>;
}

/** How an order is named in logs and alert messages. */
const ORDER_NAMES: Readonly<Record<OrderKind, string>> = {
  payment: 'payment',
  transfer: 'transfer',
  refund: 'refund',
  withdrawal: 'withdrawal',
  b2c_return: 'B2C remainder return',
  expiry: 'expiry of packet',
};

/** Every kind, in that order: a Record's keys, so a new OrderKind cannot be left unswept. */
const ORDER_KINDS = Object.keys(ORDER_NAMES) as OrderKind[];

export function createSweeper(opts: SweeperOptions): Sweeper {
  const { store, timings, now, log } = opts;
  const pageSize = opts.pageSize ?? 200;
  const clock = opts.clock ?? systemClock;
  let timer: TimerHandle | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  /**
   * Payments are legitimately pending until the payment timeout; the rest settle in moments. An
   * expiry's "created" instant is its packet's expiresAt: it is overdue sweepAfterMs after that.
   */
  const cutOff = (kind: OrderKind, at: number) =>
    at - timings.sweepAfterMs - (kind === 'payment' ? timings.paymentTimeoutMs : 0);

  async function visit(order: UnsettledOrder, at: number, report: SweepReport): Promise<void> {
    const task = order.task;
    const name = ORDER_NAMES[order.kind];
    if (!task || task.status === 'done') {
      const { changed } = await store.ensureTask({
        kind: TASK_OF_ORDER[order.kind],
        ref: order.taskRef,
        dueAt: at,
        now: at,
      });
      if (changed) {
        report.tasksEnsured++;
        log(`sweeper: ${name} ${order.ref} (${order.status}) had no live task; one is due now`);
      }
      return;
    }
    if (task.status !== 'dead' && task.attempts < timings.alertAfterAttempts) return;
    const message =
      task.status === 'dead'
        ? `${name} ${order.ref} is ${order.status} and its task was given up`
        : `${name} ${order.ref} is still ${order.status} after ${task.attempts} attempts`;
    const alert = {
      kind: order.kind,
      ref: order.ref,
      message,
      attempts: task.attempts,
      createdAt: at,
    };
    if (await store.raiseAlert(alert)) {
      report.alertsRaised++;
      await opts.alerts.send({ ...alert, id: 0, taskStatus: task.status, lastError: task.lastError });
    }
  }

  async function runOnce(): Promise<SweepReport> {
    const at = now();
    const report: SweepReport = { scanned: 0, tasksEnsured: 0, alertsRaised: 0, failedKinds: [] };
    for (const kind of ORDER_KINDS) {
      try {
        await sweepKind(kind, at, report);
      } catch (e) {
        // one kind's failure (its table, a shard) must not keep the others from being swept
        report.failedKinds.push(kind);
        log(`sweep of ${ORDER_NAMES[kind]}s failed`, e);
      }
    }
    await opts.alerts.flush?.(); // issue 19: one webhook call per cause for this sweep's alerts
    return report;
  }

  async function sweepKind(kind: OrderKind, at: number, report: SweepReport): Promise<void> {
    const orders = keysetPages(
      (after: { createdAt: number; ref: string } | undefined) =>
        store.listUnsettled({
          kind,
          createdBefore: cutOff(kind, at),
          limit: pageSize,
          ...(after ? { after } : {}),
        }),
      (last) => ({ createdAt: last.createdAt, ref: last.ref }),
      pageSize,
    );
    for await (const order of orders) {
      await visit(order, at, report);
      report.scanned++;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = clock.setTimeout(() => {
      running = runOnce()
        .catch((e: unknown) => log('sweep failed', e))
        .finally(schedule);
    }, timings.sweepEveryMs);
  }

  return {
    runOnce,
    start() {
      if (timer !== undefined) return;
      stopped = false; // a stopped sweeper may be started again (tests hold it while a fault is in place)
      schedule();
    },
    async stop() {
      stopped = true;
      clock.clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
