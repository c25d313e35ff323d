/** Issue 4: which use case runs each kind of task. */
import { isRedpktError } from '../domain/errors.js';
import type { Task, TaskKind } from '../domain/ports.js';
import { runExpireTask } from '../services/settlement/expire-packet.js';
import { runPaymentRecheck } from '../services/settlement/recheck-payment.js';
import { runRefundTask } from '../services/settlement/refund-packet.js';
import type { SettlementDeps } from '../services/settlement/settlement-deps.js';
import { DONE, dead, retry, type TaskOutcome } from '../services/settlement/task-outcome.js';
import { runWithdrawal } from '../services/subsidy/withdrawals.js';
import { runTransferTask } from '../services/settlement/transfer-claim.js';
import { createTransferBatch } from '../services/settlement/transfer-batch.js';

export type TaskHandler = (task: Task) => Promise<TaskOutcome>;
/** Kinds without a handler are never leased by this worker (another role may run them). */
export type TaskHandlers = Partial<Record<TaskKind, TaskHandler>>;
/** A kind run a batch at a time: one outcome per task, in the tasks' order. */
export type TaskBatchHandler = (tasks: readonly Task[]) => Promise<TaskOutcome[]>;
export type TaskBatchHandlers = Partial<Record<TaskKind, TaskBatchHandler>>;

export function createTaskHandlers(deps: SettlementDeps): TaskHandlers {
  return {
    transfer: (task) => runTransferTask(deps, task.ref),
    payment_recheck: (task) => runPaymentRecheck(deps, task.ref, task.attempts),
    expire: (task) => runExpireTask(deps, task.ref),
    refund: (task) => runRefundTask(deps, task.ref),
    withdrawal: (task) => runWithdrawalTask(deps, task.ref),
  };
}

/** Transfers run a poll's worth at a time (`runTransferTask` stays the one-claim path). */
export function createTaskBatchHandlers(deps: SettlementDeps): TaskBatchHandlers {
  const transfers = createTransferBatch(deps);
  return { transfer: (tasks) => transfers(tasks.map((t) => t.ref)) };
}

/**
 * A withdrawal still pending at finance is looked at again later (the sweeper alerts once it has
 * been tried `alertAfterAttempts` times). One that does not exist is a dangling task: no retry
 * can make it appear, so the task dies (like an `expire` task without its packet) instead of
 * being retried for ever. The row is looked up again before the task is given up, so an
 * ORDER_NOT_FOUND from anywhere else (e.g. finance) is retried as before.
 */
async function runWithdrawalTask(deps: SettlementDeps, withdrawalNo: string): Promise<TaskOutcome> {
  try {
    const w = await runWithdrawal(deps, withdrawalNo);
    return w.status === 'pending' ? retry(`withdrawal ${withdrawalNo} still pending at finance`) : DONE;
  } catch (e) {
    if (isRedpktError(e) && e.code === 'ORDER_NOT_FOUND' && !(await deps.store.getWithdrawal(withdrawalNo))) {
      return dead(`no withdrawal ${withdrawalNo}`);
    }
    throw e;
  }
}
