import type { Command } from 'commander';
import { issueToken } from '../auth/tokens.js';
import { withExamples } from '../cli/help.js';
import { readSecretEnv } from '../config/secret-env.js';
import { readServiceSecret } from '../runtime/secret.js';
import { RedpktError } from '../domain/errors.js';

export function registerToken(program: Command): void {
  const command = program
    .command('token')
    .description('print a bearer token for a user (for people and scripts)')
    .requiredOption('--uid <uid>', 'the user id the token names')
    .option('--ttl <seconds>', 'lifetime in seconds', '86400')
    .option('--data-dir <dir>', 'the data dir of the running service, where its secret is (default .redpkt)')
    .option('--secret <secret>', 'signing secret (default: the one in the data dir; never generated here)')
    .action(async (flags: { uid: string; ttl: string; dataDir?: string; secret?: string }) => {
      const env = readSecretEnv();
      const ttl = Number(flags.ttl);
      if (!/^\d+$/.test(flags.ttl) || !Number.isSafeInteger(ttl) || ttl < 1)
        throw new RedpktError(
          'USAGE',
          `--ttl must be a whole number of seconds, got ${JSON.stringify(flags.ttl)}`,
        );
      const secret = await readServiceSecret(
        flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt',
        flags.secret ?? env.REDPKT_SECRET,
        'a token',
      );
      process.stdout.write(`${await issueToken(secret, flags.uid, ttl)}\n`);
    });
  withExamples(command, [
    'redpkt token --uid alice --data-dir .redpkt',
    'curl -H "authorization: Bearer $(redpkt token --uid alice)" localhost:8080/v1/me/balance',
  ]);
}
