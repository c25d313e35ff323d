import type { Command } from 'commander';
import { deriveAdminKey, readDataDirSecret } from '../auth/admin-key.js';
import { readEnv } from '../config/env.js';
import { RedpktError } from '../domain/errors.js';

/** `redpkt admin-key`: the key of a service's /admin API (given, or derived from its secret). */
export function registerAdminKey(program: Command): void {
  program
    .command('admin-key')
    .description(
      "print the key of the service's /admin API (REDPKT_ADMIN_KEY, or derived from the service secret)",
    )
    .option('--data-dir <dir>', 'where the generated secret lives (default .redpkt)')
    .option('--secret <secret>', 'the service secret (default: REDPKT_SECRET, or the one in the data dir)')
    .action(async (flags: { dataDir?: string; secret?: string }) => {
      const env = readEnv();
      if (env.REDPKT_ADMIN_KEY && !flags.secret) {
        process.stdout.write(`${env.REDPKT_ADMIN_KEY}\n`);
        return;
      }
      const secret =
        flags.secret ??
        env.REDPKT_SECRET ??
        (await readDataDirSecret(flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt'));
      if (!secret)
        throw new RedpktError(
          'USAGE',
          'no service secret: pass --secret, set REDPKT_SECRET, or point --data-dir at the service',
        );
      process.stdout.write(`${deriveAdminKey(secret)}\n`);
    });
}
