/** Issue 4: the `serve` flags of the worker role, its timings and alerts (`--role` is in serve.ts). */
import type { Command } from 'commander';

export interface WorkerFlagValues {
  role?: string;
  alertWebhook?: string;
  financeUrl?: string;
  pollMs?: string;
  leaseMs?: string;
  retryBaseMs?: string;
  retryMaxMs?: string;
  recheckAfterMs?: string;
  paymentTimeoutMs?: string;
  sweepEveryMs?: string;
  sweepAfterMs?: string;
  alertAfter?: string;
}

export function registerWorkerFlags(command: Command): void {
  command
    .option('--alert-webhook <url>', 'POST each alert (an order stuck after N attempts) here as JSON')
    .option('--finance-url <url>', 'with --role worker: the running serve whose finance to call')
    .option('--poll-ms <ms>', 'how often an idle worker looks for due tasks (default 500)')
    .option('--lease-ms <ms>', 'how long a task is one worker’s before another may take it (default 30000)')
    .option('--retry-base-ms <ms>', 'first retry of a failed task; doubles each time (default 1000)')
    .option('--retry-max-ms <ms>', 'longest wait between retries and re-checks (default 300000)')
    .option('--recheck-after-ms <ms>', 'first re-check of a payment at finance (default 30000)')
    .option('--payment-timeout-ms <ms>', 'unpaid packets are closed after this (default 900000 = 15 min)')
    .option('--sweep-every-ms <ms>', 'how often the sweeper scans unsettled orders (default 60000)')
    .option('--sweep-after-ms <ms>', 'orders unsettled this long are swept (default 300000)')
    .option('--alert-after <n>', 'attempts after which a swept order raises its one alert (default 5)');
}
