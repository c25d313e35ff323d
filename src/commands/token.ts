import type { Command } from 'commander';
import { issueToken } from '../auth/tokens.js';
import { readEnv } from '../config/env.js';
import { loadOrCreateSecret } from '../runtime/secret.js';
import { RedpktError } from '../domain/errors.js';

export function registerToken(program: Command): void {
  program
    .command('token')
    .description('print a bearer token for a user (for people and scripts)')
    .requiredOption('--uid <uid>', 'the user id the token names')
    .option('--ttl <seconds>', 'lifetime in seconds', '86400')
    .option('--data-dir <dir>', 'where the generated secret lives (default .redpkt)')
    .option('--secret <secret>', 'signing secret (default: REDPKT_SECRET, or the one in the data dir)')
    .action(async (flags: { uid: string; ttl: string; dataDir?: string; secret?: string }) => {
      const env = readEnv();
      const ttl = Number(flags.ttl);
      if (!Number.isSafeInteger(ttl) || ttl < 1)
        throw new RedpktError('USAGE', '--ttl must be a whole number of seconds');
      const secret = await loadOrCreateSecret(
        flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt',
        flags.secret ?? env.REDPKT_SECRET,
      );
      process.stdout.write(`${await issueToken(secret, flags.uid, ttl)}\n`);
    });
}
