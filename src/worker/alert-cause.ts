/**
 * Issue 19: what an unsettled order's alert is about, read from its task, so that one outage
 * pages once ("finance unreachable: 40 transfers waiting, oldest since …"), not once per order.
 */
import type { AlertEvent } from './alert-sink.js';

export type AlertCause = 'finance_unreachable' | 'finance_not_settling' | 'task_given_up' | 'task_failing';

/** How a cause reads at the head of a grouped alert. */
export const CAUSE_TEXT: Readonly<Record<AlertCause, string>> = {
  finance_unreachable: 'finance unreachable',
  finance_not_settling: 'finance answers but does not settle',
  task_given_up: 'tasks given up',
  task_failing: 'tasks failing',
};

/** The provider (or the network to it) failed: refused, reset, timed out, 5xx, DEPENDENCY_FAILED. */
const UNREACHABLE =
  /DEPENDENCY_FAILED|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|UND_ERR|socket|fetch failed|timed? ?out|\b5\d\d\b/i;
/** Finance answered, and the order is still open there. */
const NOT_SETTLING =
  /finance has not settled|finance says .* (pending|processing)|still pending at finance|finance answered order/i;

export function causeOf(alert: Pick<AlertEvent, 'taskStatus' | 'lastError'>): AlertCause {
  if (alert.taskStatus === 'dead') return 'task_given_up';
  const error = alert.lastError ?? '';
  if (UNREACHABLE.test(error)) return 'finance_unreachable';
  if (error === '' || NOT_SETTLING.test(error)) return 'finance_not_settling';
  return 'task_failing';
}
