/**
 * Structured JSON logs (pino), one line per event, to stderr so that stdout stays the command's
 * own output (`redpkt listening on …`, reports). A factory, not a module singleton.
 */
import { pino } from 'pino';
import type { Logger } from 'pino';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type { Logger };

export function createLogger(level: LogLevel = 'info', destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'redpkt' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** The `(msg, err)` logging callback the rest of the code takes, writing through the logger. */
export function errorLogOf(logger: Logger): (msg: string, err: unknown) => void {
  return (msg, err) => logger.error({ err }, msg);
}
