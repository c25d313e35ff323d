/** Issue 4: which use case runs each kind of task. */
import type { Task, TaskKind } from '../domain/ports.js';
import { runExpireTask } from '../services/settlement/expire-packet.js';
import { runPaymentRecheck } from '../services/settlement/recheck-payment.js';
import { runRefundTask } from '../services/settlement/refund-packet.js';
import type { SettlementDeps } from '../services/settlement/settlement-deps.js';
import { DONE, retry, type TaskOutcome } from '../services/settlement/task-outcome.js';
import { runWithdrawal } from '../services/subsidy/withdrawals.js';
import { runTransferTask } from '../services/settlement/transfer-claim.js';

export type TaskHandler = (task: Task) => Promise<TaskOutcome>;
/** Kinds without a handler are never leased by this worker (another role may run them). */
export type TaskHandlers = Partial<Record<TaskKind, TaskHandler>>;

export function createTaskHandlers(deps: SettlementDeps): TaskHandlers {
  return {
    transfer: (task) => runTransferTask(deps, task.ref),
    payment_recheck: (task) => runPaymentRecheck(deps, task.ref, task.attempts),
    expire: (task) => runExpireTask(deps, task.ref),
    refund: (task) => runRefundTask(deps, task.ref),
    withdrawal: async (task) => {
      const w = await runWithdrawal(deps, task.ref);
      return w.status === 'pending' ? retry(`withdrawal ${task.ref} still pending at finance`) : DONE;
    },
  };
}
