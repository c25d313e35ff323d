/**
 * Issue 4: where an alert goes once the store has recorded it (one per order): a structured JSON
 * log line, and a POST of the same JSON to the alert webhook when one is configured.
 */
import { request } from 'undici';
import type { Alert } from '../domain/ports.js';

export interface AlertEvent extends Alert {
  /** The task's state when the alert was raised. */
  taskStatus: string;
  lastError: string | null;
}

export interface AlertSink {
  /** Never throws: a webhook that fails is logged (the log line is written first, always). */
  send(alert: AlertEvent): Promise<void>;
}

export interface AlertSinkOptions {
  webhookUrl?: string | undefined;
  /** Writes one line of structured log; default stderr. */
  writeLine?: (line: string) => void;
  timeoutMs?: number;
  log: (msg: string, err?: unknown) => void;
}

export function alertLine(alert: AlertEvent): Record<string, unknown> {
  return {
    level: 'alert',
    type: 'order_unsettled',
    orderKind: alert.kind,
    ref: alert.ref,
    message: alert.message,
    attempts: alert.attempts,
    taskStatus: alert.taskStatus,
    lastError: alert.lastError,
    at: new Date(alert.createdAt).toISOString(),
  };
}

export function createAlertSink(opts: AlertSinkOptions): AlertSink {
  const writeLine = opts.writeLine ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeoutMs = opts.timeoutMs ?? 5_000;
  return {
    async send(alert) {
      const body = JSON.stringify(alertLine(alert));
      writeLine(body);
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
    },
  };
}
