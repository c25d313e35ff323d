/**
 * Issue 4, grouped in issue 19: where an alert goes once the store has recorded it (one per
 * order). Every order's alert is one structured JSON log line (`order_unsettled`) at once. The
 * webhook is paged per cause (src/worker/alert-cause.ts), not per order: the alerts of one cause
 * gathered during a sweep go out as ONE call (`orders_unsettled`, with every order's detail) when
 * the sweep ends, and at most one call per cause per `groupMs`; alerts of a cause paged less than
 * `groupMs` ago wait for the next call. The grouped payload is logged too (the line that paged).
 */
import { request } from 'undici';
import type { Alert, OrderKind } from '../domain/ports.js';
import { CAUSE_TEXT, causeOf, type AlertCause } from './alert-cause.js';
import { DEFAULT_WORKER_TIMINGS } from './timings.js';

export interface AlertEvent extends Alert {
  /** The task's state when the alert was raised. */
  taskStatus: string;
  lastError: string | null;
}

export interface AlertSink {
  /** Never throws: logs the order's line now; the webhook call waits for flush(). */
  send(alert: AlertEvent): Promise<void>;
  /** The end of a sweep: one webhook call per cause whose interval allows it. Never throws. */
  flush?(): Promise<void>;
}

export interface AlertSinkOptions {
  webhookUrl?: string | undefined;
  /** Writes one line of structured log; default stderr. */
  writeLine?: (line: string) => void;
  timeoutMs?: number;
  /** At most one webhook call per cause this often (default 5 min). */
  groupMs?: number;
  now?: () => number;
  log: (msg: string, err?: unknown) => void;
}

export function alertLine(alert: AlertEvent): Record<string, unknown> {
  return {
    level: 'alert',
    type: 'order_unsettled',
    cause: causeOf(alert),
    orderKind: alert.kind,
    ref: alert.ref,
    message: alert.message,
    attempts: alert.attempts,
    taskStatus: alert.taskStatus,
    lastError: alert.lastError,
    at: new Date(alert.createdAt).toISOString(),
  };
}

/** The webhook body for one cause: a headline, counts, the oldest order, and every order's line. */
export function groupedAlert(cause: AlertCause, alerts: readonly AlertEvent[], at: number) {
  const byKind: Partial<Record<OrderKind, number>> = {};
  for (const a of alerts) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  const oldest = Math.min(...alerts.map((a) => a.createdAt));
  const counted = Object.entries(byKind)
    .map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`)
    .join(', ');
  return {
    level: 'alert',
    type: 'orders_unsettled',
    cause,
    message: `${CAUSE_TEXT[cause]}: ${counted} waiting, oldest alert since ${new Date(oldest).toISOString()}`,
    count: alerts.length,
    byKind,
    oldestAt: new Date(oldest).toISOString(),
    orders: alerts.map(alertLine),
    at: new Date(at).toISOString(),
  };
}

export function createAlertSink(opts: AlertSinkOptions): AlertSink {
  const writeLine = opts.writeLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const groupMs = opts.groupMs ?? DEFAULT_WORKER_TIMINGS.alertGroupMs;
  const now = opts.now ?? Date.now;
  const waiting = new Map<AlertCause, AlertEvent[]>();
  const lastCall = new Map<AlertCause, number>();

  async function post(body: string): Promise<void> {
    if (!opts.webhookUrl) return;
    try {
      const res = await request(opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body.dump();
      if (res.statusCode >= 300) opts.log(`alert webhook answered ${res.statusCode}`);
    } catch (e) {
      opts.log(`alert webhook ${opts.webhookUrl} failed`, e);
    }
  }

  return {
    async send(alert) {
      writeLine(JSON.stringify(alertLine(alert)));
      const cause = causeOf(alert);
      waiting.set(cause, [...(waiting.get(cause) ?? []), alert]);
    },
    async flush() {
      const at = now();
      for (const [cause, alerts] of waiting) {
        const last = lastCall.get(cause);
        if (last !== undefined && at - last < groupMs) continue;
        waiting.delete(cause);
        lastCall.set(cause, at);
        const body = JSON.stringify(groupedAlert(cause, alerts, at));
        writeLine(body);
        await post(body);
      }
    },
  };
}
