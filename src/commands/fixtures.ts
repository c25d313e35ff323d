import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { readEnv } from '../config/env.js';
import { RedpktError } from '../domain/errors.js';
import { MAX_INSTALL_BATCH } from '../finance/store/install-types.js';
import { readDataDirSecret } from '../fixtures/data-dir-secret.js';
import { DEFAULT_REALNAME_FAIL_RATE } from '../fixtures/generate-users.js';
import { loadFixtures } from '../fixtures/load-fixtures.js';
import type { LoadFixturesSummary } from '../fixtures/load-fixtures.js';
import { startLoadProgress } from '../fixtures/load-progress.js';
import { writeUsers, writeUsersToFile } from '../fixtures/write-users.js';

interface GenFlags {
  users: string;
  seed: string;
  out?: string;
  realnameFailRate: string;
}

/** Where the commands write; tests pass their own. */
export interface FixturesIo {
  stdout: Writable;
  stderr?: Writable;
  /** Progress on stderr only on a terminal. */
  isTTY?: boolean;
}

export function registerFixtures(program: Command, io?: FixturesIo): void {
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
    .option(
      '--out <file>',
      'output file (default: stdout), e.g. fixtures/users.jsonl (fixtures/ holds the committed sample)',
    )
    .option(
      '--realname-fail-rate <r>',
      'share of users whose real-name check fails, 0..1',
      String(DEFAULT_REALNAME_FAIL_RATE),
    )
    .addHelpText('after', FIXTURES_GEN_HELP)
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
      const what = `${opts.count.toLocaleString('en')} users (seed ${flags.seed}, real-name fail rate ${rate})`;
      if (flags.out && flags.out !== '-') {
        await writeUsersToFile(opts, flags.out);
        (io?.stdout ?? process.stdout).write(`wrote ${what} to ${flags.out}\n`);
      } else {
        await writeUsers(opts, io?.stdout ?? process.stdout, false);
        // stdout carries the users: the summary goes to stderr
        (io?.stderr ?? process.stderr).write(`redpkt: wrote ${what} to stdout\n`);
      }
    });

  fixtures
    .command('load')
    .description(
      "install a fixtures file's users (balance, real-name result) into a running service's finance, shadow-marked",
    )
    .argument('<file>', 'users from `redpkt fixtures gen` (JSONL; every line needs a balance)')
    .requiredOption('--target <url>', 'the running service, e.g. http://127.0.0.1:8080')
    .option('--secret <secret>', 'the service secret (default: REDPKT_SECRET, or the one in the data dir)')
    .option('--data-dir <dir>', 'where to find the secret when not given (default .redpkt)')
    .option('--batch <n>', `users per request, 1-${MAX_INSTALL_BATCH}`, String(MAX_INSTALL_BATCH))
    .option('--concurrency <n>', 'requests in flight', '4')
    .option(
      '--json',
      'print the summary as JSON (users, batches, installed, unchanged, conflicts, durationMs)',
    )
    .addHelpText('after', FIXTURES_LOAD_HELP)
    .action(async (file: string, flags: LoadFlags) => {
      const out = { stdout: io?.stdout ?? process.stdout, stderr: io?.stderr ?? process.stderr };
      const isTTY = io?.isTTY ?? Boolean(process.stderr.isTTY);
      const env = readEnv();
      const secret = await readSecret(
        flags.dataDir ?? env.REDPKT_DATA_DIR ?? '.redpkt',
        flags.secret ?? env.REDPKT_SECRET,
      );
      const progress = startLoadProgress(isTTY, out.stderr);
      let summary: LoadFixturesSummary;
      try {
        summary = await loadFixtures({
          file,
          target: parseTarget(flags.target),
          secret,
          batch: wholeNumber('--batch', flags.batch),
          concurrency: wholeNumber('--concurrency', flags.concurrency),
          onProgress: progress.update,
        });
      } finally {
        progress.stop();
      }
      if (flags.json) out.stdout.write(`${JSON.stringify(summary)}\n`);
      else out.stdout.write(`${describeSummary(summary)}\n`);
      if (!flags.json) {
        for (const c of summary.firstConflicts) out.stderr.write(`redpkt: conflict: ${c.message}\n`);
        if (summary.firstConflicts.some((c) => c.field === 'account'))
          out.stderr.write(
            'redpkt: hint: an account "opened before" was used without an install, e.g. by an earlier run with the same users; generate fresh ones with another `fixtures gen --seed`\n',
          );
      }
      if (summary.conflicts > 0) process.exitCode = EXIT_CONFLICTS;
    });
}

/** The committed sample's command (README, fixtures/): regenerates fixtures/users-1k.jsonl byte for byte. */
export const SAMPLE_COMMAND = 'redpkt fixtures gen --users 1000 --seed sample --out fixtures/users-1k.jsonl';

const FIXTURES_GEN_HELP = `
Examples:
  $ ${SAMPLE_COMMAND}
  $ redpkt fixtures gen --users 100000 --seed s1 --out fixtures/users.jsonl

For fixtures gen: 0 written; 3 a bad flag.`;

const FIXTURES_LOAD_HELP = `
Examples:
  $ redpkt fixtures load fixtures/users-1k.jsonl --target http://127.0.0.1:8080 --data-dir .redpkt

For fixtures load: 0 all installed or unchanged; 1 conflicts; 3 a bad line, a bad flag, no secret or a refused one; 4 the target does not answer.`;

/** Exit code of a load with conflicts: "a check failed" (README, Exit codes). */
const EXIT_CONFLICTS = 1;

interface LoadFlags {
  target: string;
  secret?: string;
  dataDir?: string;
  batch: string;
  concurrency: string;
  json?: boolean;
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new RedpktError('USAGE', `${flag} must be a whole number`);
  return Number(value);
}

function parseTarget(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
  } catch {
    // below
  }
  throw new RedpktError('USAGE', `--target must be an http(s) URL, got ${JSON.stringify(url)}`);
}

async function readSecret(dataDir: string, given: string | undefined): Promise<string> {
  if (given) return given;
  const secret = await readDataDirSecret(dataDir);
  if (secret) return secret;
  throw new RedpktError(
    'USAGE',
    'fixtures load needs the service secret: --secret, REDPKT_SECRET or <data-dir>/secret',
  );
}

function describeSummary(s: LoadFixturesSummary): string {
  const n = (v: number) => v.toLocaleString('en');
  return `installed ${n(s.installed)} · unchanged ${n(s.unchanged)} · conflicts ${n(s.conflicts)} (${n(s.users)} users, ${n(s.batches)} batches, ${(s.durationMs / 1000).toFixed(1)} s)`;
}
