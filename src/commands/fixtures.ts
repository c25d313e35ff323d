import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { RedpktError } from '../domain/errors.js';
import { DEFAULT_REALNAME_FAIL_RATE } from '../fixtures/generate-users.js';
import { writeUsers, writeUsersToFile } from '../fixtures/write-users.js';

interface GenFlags {
  users: string;
  seed: string;
  out?: string;
  realnameFailRate: string;
}

export function registerFixtures(program: Command, io?: { stdout: Writable }): void {
  const fixtures = program
    .command('fixtures')
    .description('generate and load users with mocked real-name and payment identities');

  fixtures
    .command('gen')
    .description(
      'write deterministic users as JSON lines (uid, mocked name and ID card, real-name ok/fail, balance in fen)',
    )
    .requiredOption('--users <n>', 'how many users')
    .option('--seed <s>', 'same seed, same bytes', 'redpkt')
    .option('--out <file>', 'output file (default: stdout), e.g. fixtures/users.jsonl')
    .option(
      '--realname-fail-rate <r>',
      'share of users whose real-name check fails, 0..1',
      String(DEFAULT_REALNAME_FAIL_RATE),
    )
    .action(async (flags: GenFlags) => {
      if (!/^\d+$/.test(flags.users) || Number(flags.users) < 1 || Number(flags.users) > 100_000_000) {
        throw new RedpktError('USAGE', '--users must be a whole number from 1 to 100000000');
      }
      const rate = Number(flags.realnameFailRate);
      if (!/^\d*\.?\d+$/.test(flags.realnameFailRate) || !(rate >= 0 && rate <= 1)) {
        throw new RedpktError('USAGE', '--realname-fail-rate must be a number from 0 to 1');
      }
      if (flags.seed.length === 0 || flags.seed.length > 64)
        throw new RedpktError('USAGE', '--seed must be 1-64 characters');
      const opts = { count: Number(flags.users), seed: flags.seed, realnameFailRate: rate };
      if (flags.out && flags.out !== '-') await writeUsersToFile(opts, flags.out);
      else await writeUsers(opts, io?.stdout ?? process.stdout, false);
    });

  fixtures
    .command('load')
    .description(
      'install fixture users into a running service (not built yet: finance opens accounts on first use)',
    )
    .argument('[file]')
    .allowUnknownOption()
    .action(() => {
      throw new RedpktError(
        'NOT_IMPLEMENTED',
        '"redpkt fixtures load" is not built yet: finance opens accounts on first use, and `redpkt load --fixtures FILE` reads the users directly',
      );
    });
}
