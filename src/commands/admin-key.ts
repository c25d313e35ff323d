import type { Command } from 'commander';
import { deriveAdminKey } from '../auth/admin-key.js';
import { withExamples } from '../cli/help.js';
import { readEnv } from '../config/env.js';
import { readServiceSecret } from '../runtime/secret.js';

/** `redpkt admin-key`: the key of a service's /admin API (given, or derived from its secret). */
export function registerAdminKey(program: Command): void {
  const command = program
    .command('admin-key')
    .description(
      "print the key of the service's /admin API (REDPKT_ADMIN_KEY, or derived from the service secret)",
    )
    .option('--data-dir <dir>', 'the data dir of the service, where its secret is (default .redpkt)')
    .option('--secret <secret>', 'the service secret (default: the one in the data dir)')
    .action(async (flags: { dataDir?: string; secret?: string }) => {
      const env = readEnv();
      if (env.REDPKT_ADMIN_KEY && !flags.secret) {
        process.stdout.write(`${env.REDPKT_ADMIN_KEY}\n`);
        return;
      }
      const secret = await readServiceSecret(
        flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt',
        flags.secret ?? env.REDPKT_SECRET,
        'the admin key',
      );
      process.stdout.write(`${deriveAdminKey(secret)}\n`);
    });
  withExamples(command, [
    'redpkt admin-key --data-dir /var/lib/redpkt',
    'curl -H "x-admin-key: $(redpkt admin-key)" localhost:8080/admin/switches',
  ]);
}
