/**
 * The sweeper over subsidy withdrawals, B2C remainder returns and overdue packet expiries
 * (DESIGN §6), on a real store: the worker (only the task kind under test) and the sweeper run one
 * step at a time on a test clock, against a stand-in finance and reward issuer that answer as each
 * test says.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedpktError } from '../../src/domain/errors.js';
import { newOrderNo } from '../../src/domain/ids.js';
import { refundNoFor } from '../../src/domain/order.js';
import type {
  PacketStore,
  PaymentProvider,
  ProviderOrder,
  SubsidyIssuer,
  TaskKind,
} from '../../src/domain/ports.js';
import { b2cReturnNoFor } from '../../src/domain/subsidy.js';
import type { AlertEvent } from '../../src/worker/alert-sink.js';
import { createSweeper, type Sweeper } from '../../src/worker/create-sweeper.js';
import { createWorker, type Worker } from '../../src/worker/create-worker.js';
import { createTaskBatchHandlers, createTaskHandlers } from '../../src/worker/task-handlers.js';
import { activePacket, NOW, sum, unique } from '../contract/contract-fixtures.js';
import { b2cPacket } from '../contract/subsidy-fixtures.js';

export interface SweepStore {
  store: PacketStore;
  /** Raw SQL on the store's database (a test backdoor: a lost task is a deleted row). */
  sql(statement: string, args: string[]): Promise<void>;
  cleanup(): Promise<void>;
}

type FinanceAnswer = 'pending' | 'succeeded' | 'invalid';

const ALERT_AFTER = 3;
const STEP_MS = 1_000;

export function sweepOrdersSuite(backend: string, open: () => Promise<SweepStore>): void {
  describe(`the sweeper over withdrawals, B2C returns and overdue expiries (${backend})`, () => {
    let db: SweepStore;
    let clock: number;
    let finance: FinanceAnswer;
    let issuerUp: boolean;
    let alerts: AlertEvent[];
    /** Every refund finance was asked for (it refunds the payment's payer: the sender). */
    let refunds: { refundNo: string; payOrderNo: string; amount: number }[];
    const logs: string[] = [];

    beforeEach(async () => {
      db = await open();
      clock = NOW + 60_000;
      finance = 'pending';
      issuerUp = false;
      alerts = [];
      refunds = [];
    });
    afterEach(async () => {
      await db.cleanup();
    });

    const provider: PaymentProvider = {
      async transfer(input): Promise<ProviderOrder> {
        if (finance === 'invalid') throw new RedpktError('VALIDATION_FAILED', 'finance refused the transfer');
        return {
          orderNo: input.transferNo,
          kind: 'transfer',
          uid: input.uid,
          amount: input.amount,
          status: finance,
          txnId: finance === 'succeeded' ? `txn-${input.transferNo}` : null,
          payOrderNo: null,
          createdAt: clock,
          updatedAt: clock,
        };
      },
      async transferMany({ transfers, notifyUrl }) {
        if (finance === 'invalid')
          throw new RedpktError('VALIDATION_FAILED', 'finance refused the transfers');
        return Promise.all(
          transfers.map(async (t) => ({ order: await provider.transfer({ ...t, notifyUrl }) })),
        );
      },
      createPayOrder: () => Promise.reject(new Error('not used')),
      async refund(input): Promise<ProviderOrder> {
        refunds.push({ refundNo: input.refundNo, payOrderNo: input.payOrderNo, amount: input.amount });
        return {
          orderNo: input.refundNo,
          kind: 'refund',
          uid: 'payer',
          amount: input.amount,
          status: 'succeeded',
          txnId: `txn-${input.refundNo}`,
          payOrderNo: input.payOrderNo,
          createdAt: clock,
          updatedAt: clock,
        };
      },
      queryOrder: () => Promise.reject(new Error('not used')),
      closePayOrder: () => Promise.reject(new Error('not used')),
    };
    const issuer: SubsidyIssuer = {
      listTokens: () => Promise.resolve([]),
      async returnRemainder() {
        if (!issuerUp) throw new RedpktError('DEPENDENCY_FAILED', 'the reward issuer is down');
      },
    };

    /** A worker for one kind, as production runs it (transfers in batches). */
    function workerFor(kind: TaskKind): Worker {
      const deps = {
        store: db.store,
        provider,
        issuer,
        notifyUrl: 'http://127.0.0.1:1/v1/callbacks/finance',
        now: () => clock,
        paymentTimeoutMs: 60_000,
        paymentRecheckDelayMs: 1_000,
        retryMaxMs: 100,
      };
      const batch = createTaskBatchHandlers(deps)[kind];
      return createWorker({
        store: db.store,
        handlers: batch ? {} : { [kind]: createTaskHandlers(deps)[kind] },
        batchHandlers: batch ? { [kind]: batch } : {},
        timings: {
          pollMs: 10,
          leaseMs: 60_000,
          batchSize: 10,
          bulkBatchSize: 10,
          bulkBatchesAtOnce: 2,
          retryBaseMs: 10,
          retryMaxMs: 100,
        },
        now: () => clock,
        random: () => 0.5,
        log: (msg) => logs.push(msg),
      });
    }

    function sweeper(): Sweeper {
      return createSweeper({
        store: db.store,
        alerts: { send: async (a) => void alerts.push(a) },
        timings: {
          sweepEveryMs: 60_000,
          sweepAfterMs: 500,
          paymentTimeoutMs: 0,
          alertAfterAttempts: ALERT_AFTER,
        },
        now: () => clock,
        log: (msg) => logs.push(msg),
      });
    }

    /** A user with `amount` fen of withdrawable subsidy, from one claim of a fresh B2C packet. */
    async function credited(amount: number): Promise<string> {
      const { packet } = await b2cPacket(db.store, amount, 1);
      const uid = unique('claimer');
      const [outcome] = (await db.store.claimShares(packet.id, [uid], NOW)).outcomes;
      if (!outcome?.ok) throw new Error('claim failed');
      await db.store.creditSubsidyBalance(outcome.claim.claimNo, NOW);
      return uid;
    }

    async function withdrawal(uid: string, amount: number): Promise<string> {
      const withdrawalNo = newOrderNo('WDR', clock);
      await db.store.createWithdrawal({
        withdrawalNo,
        uid,
        outOrderNo: unique('w'),
        amount,
        now: clock,
        dueAt: clock,
      });
      return withdrawalNo;
    }

    /** One step of time, one poll of the worker, one sweep. */
    async function step(worker: Worker, sweep: Sweeper) {
      clock += STEP_MS;
      await worker.runOnce();
      return sweep.runOnce();
    }

    it('raises exactly one alert for a withdrawal that stays pending at finance, and lets it settle', async () => {
      const uid = await credited(500);
      const no = await withdrawal(uid, 300);
      const worker = workerFor('withdrawal');
      const sweep = sweeper();

      const raised: number[] = [];
      for (let k = 0; k < 8; k++) raised.push((await step(worker, sweep)).alertsRaised);
      expect((await db.store.getTask('withdrawal', no))?.attempts).toBe(8);
      expect(raised).toStrictEqual([0, 0, 1, 0, 0, 0, 0, 0]);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        kind: 'withdrawal',
        ref: no,
        attempts: ALERT_AFTER,
        taskStatus: 'pending',
        message: `withdrawal ${no} is still pending after ${ALERT_AFTER} attempts`,
      });
      expect((await db.store.listAlerts()).filter((a) => a.ref === no)).toHaveLength(1);
      // the money waits in `held`, neither lost nor paid twice
      expect(await db.store.getSubsidyBalance(uid)).toMatchObject({ available: 200, held: 300 });

      finance = 'succeeded';
      const report = await step(worker, sweep);
      expect((await db.store.getWithdrawal(no))?.status).toBe('succeeded');
      expect(await db.store.getSubsidyBalance(uid)).toMatchObject({ available: 200, held: 0 });
      expect(report.failedKinds).toStrictEqual([]);
      expect(
        await db.store.listUnsettled({ kind: 'withdrawal', createdBefore: clock, limit: 10 }),
      ).toStrictEqual([]);
      expect(alerts).toHaveLength(1);
    });

    it('re-creates a lost withdrawal task once, and the worker then settles the withdrawal', async () => {
      const uid = await credited(400);
      const no = await withdrawal(uid, 400);
      await db.sql('DELETE FROM tasks WHERE kind = ? AND ref = ?', ['withdrawal', no]);
      const sweep = sweeper();

      clock += STEP_MS;
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 1, alertsRaised: 0 });
      expect(await db.store.getTask('withdrawal', no)).toMatchObject({
        status: 'pending',
        attempts: 0,
        dueAt: clock,
      });
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 0, alertsRaised: 0 });

      finance = 'succeeded';
      await workerFor('withdrawal').runOnce();
      expect((await db.store.getWithdrawal(no))?.status).toBe('succeeded');
      expect(await db.store.getSubsidyBalance(uid)).toMatchObject({ available: 0, held: 0 });
      expect(alerts).toStrictEqual([]);
    });

    it('alerts at once on a withdrawal whose task died, and only once', async () => {
      const uid = await credited(300);
      const no = await withdrawal(uid, 100);
      finance = 'invalid';
      const worker = workerFor('withdrawal');
      const sweep = sweeper();
      await step(worker, sweep);
      await step(worker, sweep);
      expect(await db.store.getTask('withdrawal', no)).toMatchObject({ status: 'dead', attempts: 1 });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        ref: no,
        taskStatus: 'dead',
        message: `withdrawal ${no} is pending and its task was given up`,
        lastError: expect.stringMatching(/VALIDATION_FAILED/),
      });
    });

    it('gives up a withdrawal task whose withdrawal does not exist instead of retrying it for ever', async () => {
      const ref = newOrderNo('WDR', clock);
      await db.store.ensureTask({ kind: 'withdrawal', ref, dueAt: clock, now: clock });
      clock += STEP_MS;
      expect(await workerFor('withdrawal').runOnce()).toBe(1);
      expect(await db.store.getTask('withdrawal', ref)).toMatchObject({
        status: 'dead',
        lastError: `no withdrawal ${ref}`,
      });
    });

    it('alerts once on a B2C remainder return the issuer keeps refusing, and re-creates its lost task', async () => {
      const { packet } = await b2cPacket(db.store, 800, 4);
      await db.store.claimShares(packet.id, [unique('c')], NOW);
      expect((await db.store.getTask('expire', packet.id))?.status).toBe('pending');
      clock = packet.expiresAt;
      const worker = workerFor('expire');
      const sweep = sweeper();
      const returnNo = b2cReturnNoFor(packet.id);

      for (let k = 0; k < 6; k++) await step(worker, sweep);
      expect((await db.store.getPacket(packet.id))?.status).toBe('refunding');
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({
        kind: 'b2c_return',
        ref: returnNo,
        taskStatus: 'pending',
        message: `B2C remainder return ${returnNo} is still pending after ${ALERT_AFTER} attempts`,
        lastError: expect.stringMatching(/DEPENDENCY_FAILED/),
      });

      // the task is lost: the sweeper writes it again, keyed by the packet id, due now
      await db.sql('DELETE FROM tasks WHERE kind = ? AND ref = ?', ['expire', packet.id]);
      clock += STEP_MS;
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 1, alertsRaised: 0 });
      expect(await db.store.getTask('expire', packet.id)).toMatchObject({ status: 'pending', attempts: 0 });

      issuerUp = true;
      await step(worker, sweep);
      expect((await db.store.getPacket(packet.id))?.status).toBe('refunded');
      expect(
        await db.store.listUnsettled({ kind: 'b2c_return', createdBefore: clock, limit: 10 }),
      ).toStrictEqual([]);
      expect(alerts).toHaveLength(1);
    });

    it('re-creates the lost expire task of an overdue C2C packet, which is then expired and refunded once', async () => {
      const packet = await activePacket(db.store, {
        now: clock,
        expiresAt: clock + 10 * STEP_MS,
        totalAmount: 1000,
        totalCount: 4,
      });
      const { outcomes } = await db.store.claimShares(packet.id, [unique('c'), unique('c')], clock);
      const claimed = sum(outcomes.map((o) => (o.ok ? o.claim.amount : 0)));
      await db.sql('DELETE FROM tasks WHERE kind = ? AND ref = ?', ['expire', packet.id]);
      const sweep = sweeper();

      // expired, but not yet for sweepAfterMs (500): its task may still be on its way
      clock = packet.expiresAt + 400;
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 0, alertsRaised: 0 });
      expect(await db.store.getTask('expire', packet.id)).toBeNull();

      clock = packet.expiresAt + STEP_MS;
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 1, alertsRaised: 0, failedKinds: [] });
      expect(await db.store.getTask('expire', packet.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        dueAt: clock,
      });
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 0, alertsRaised: 0 });

      const expireWorker = workerFor('expire');
      const refundWorker = workerFor('refund');
      expect(await expireWorker.runOnce()).toBe(1);
      expect((await db.store.getPacket(packet.id))?.status).toBe('refunding');
      expect(await refundWorker.runOnce()).toBe(1);

      // more time, workers and sweeps change nothing: no second expiry, refund or task
      for (let k = 0; k < 5; k++) {
        await step(expireWorker, sweep);
        expect((await step(refundWorker, sweep)).tasksEnsured).toBe(0);
      }
      const refundNo = refundNoFor(packet.id);
      const after = await db.store.getPacket(packet.id);
      const refund = await db.store.getRefund(refundNo);
      expect(after).toMatchObject({ status: 'refunded', remainingAmount: 1000 - claimed, remainingCount: 2 });
      expect(refund).toMatchObject({ status: 'succeeded', amount: 1000 - claimed, uid: packet.senderUid });
      // the sender got the remainder once at finance, and the books balance
      expect(refunds).toStrictEqual([{ refundNo, payOrderNo: packet.payOrderNo, amount: 1000 - claimed }]);
      expect(claimed + (refund?.amount ?? 0)).toBe(packet.totalAmount);
      expect(await db.store.getTask('expire', packet.id)).toMatchObject({ status: 'done', attempts: 1 });
      expect(await db.store.listTasks({ kind: 'refund' })).toMatchObject([{ ref: refundNo, status: 'done' }]);
      expect(await db.store.listUnsettled({ kind: 'expiry', createdBefore: clock, limit: 10 })).toStrictEqual(
        [],
      );
      expect(alerts).toStrictEqual([]);
    });

    it('re-creates the lost expire task of an overdue B2C packet, which then returns its remainder once', async () => {
      const { packet } = await b2cPacket(db.store, 800, 4);
      const [outcome] = (await db.store.claimShares(packet.id, [unique('c')], clock)).outcomes;
      const claimed = outcome?.ok ? outcome.claim.amount : 0;
      await db.sql('DELETE FROM tasks WHERE kind = ? AND ref = ?', ['expire', packet.id]);
      const sweep = sweeper();

      clock = packet.expiresAt + STEP_MS;
      expect(await sweep.runOnce()).toMatchObject({ tasksEnsured: 1, alertsRaised: 0 });
      issuerUp = true;
      const worker = workerFor('expire');
      for (let k = 0; k < 4; k++) await step(worker, sweep);

      expect((await db.store.getPacket(packet.id))?.status).toBe('refunded');
      expect(await db.store.getB2cReturn(packet.id)).toMatchObject({
        returnNo: b2cReturnNoFor(packet.id),
        status: 'succeeded',
        amount: 800 - claimed,
      });
      expect(await db.store.getTask('expire', packet.id)).toMatchObject({ status: 'done', attempts: 1 });
      expect(alerts).toStrictEqual([]);
    });

    it('raises exactly one alert for an overdue packet whose expire task died, however often it sweeps', async () => {
      const packet = await activePacket(db.store, { now: clock, expiresAt: clock + STEP_MS });
      clock = packet.expiresAt;
      const [task, ...others] = await db.store.leaseTasks({
        owner: 'w-test',
        now: clock,
        leaseMs: 60_000,
        limit: 10,
        kinds: ['expire'],
      });
      expect([task?.ref, others]).toStrictEqual([packet.id, []]);
      expect(await db.store.killTask(task!.id, 'w-test', 'VALIDATION_FAILED: a permanent error', clock)).toBe(
        true,
      );
      const sweep = sweeper();

      const reports = [];
      for (let k = 0; k < 8; k++) {
        clock += STEP_MS;
        reports.push(await sweep.runOnce());
      }
      expect(reports.map((r) => [r.alertsRaised, r.tasksEnsured])).toStrictEqual([
        [1, 0],
        ...Array.from({ length: 7 }, () => [0, 0]),
      ]);
      expect(alerts).toHaveLength(1);
      // keyed by the packet id, not the refund number the expiry will create: see ALERT_KINDS
      expect(alerts[0]).toMatchObject({
        kind: 'expiry',
        ref: packet.id,
        attempts: 1,
        taskStatus: 'dead',
        message: `expiry of packet ${packet.id} is active and its task was given up`,
        lastError: 'VALIDATION_FAILED: a permanent error',
      });
      expect((await db.store.listAlerts()).filter((a) => a.ref === packet.id)).toHaveLength(1);
      // a dead task stays dead (ensureTask): a person decides, the sweeper does not retry it
      expect(await db.store.getTask('expire', packet.id)).toMatchObject({ status: 'dead' });
      expect((await db.store.getPacket(packet.id))?.status).toBe('active');
    });
  });
}
