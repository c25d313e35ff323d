/** Issue 7: the `serve` flags of the admin API, the logs and the switches. */
import type { Command } from 'commander';

export interface OpsFlagValues {
  adminKey?: string;
  logLevel?: string;
  switchPollMs?: string;
}

/** `--log-level` joins the group being added to; the others go under the API's (issue 17). */
export function registerOpsFlags(command: Command, apiGroup: string): void {
  command
    .option('--log-level <level>', 'JSON logs on stderr: silent | error | warn | info | debug (default info)')
    .optionsGroup(apiGroup)
    .option(
      '--admin-key <key>',
      'key of the /admin API (default: derived from the secret, `redpkt admin-key` prints it)',
    )
    .option(
      '--switch-poll-ms <ms>',
      'how often the switch table is re-read (default 500; Redis pushes at once)',
    );
}
