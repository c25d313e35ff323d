/** Issue 7: the `serve` flags of the admin API, the logs and the switches. */
import type { Command } from 'commander';

export interface OpsFlagValues {
  adminKey?: string;
  logLevel?: string;
  switchPollMs?: string;
}

export function registerOpsFlags(command: Command): void {
  command
    .option(
      '--admin-key <key>',
      'key of the /admin API (default: REDPKT_ADMIN_KEY, or derived from the secret: `redpkt admin-key`)',
    )
    .option('--log-level <level>', 'JSON logs on stderr: silent | error | warn | info | debug (default info)')
    .option(
      '--switch-poll-ms <ms>',
      'how often the switch table is re-read (default 500; Redis pushes at once)',
    );
}
