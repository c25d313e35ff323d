/**
 * Issue 17: the one mapping from what went wrong to the process exit code. README's "Exit codes"
 * table is tested against EXIT_TABLE (src/cli/exit-codes.test.ts); every command's help points to it.
 */
import type { ErrorCode } from '../domain/errors.js';

export const EXIT = {
  ok: 0,
  checkFailed: 1,
  moneyMismatch: 2,
  usage: 3,
  unavailable: 4,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The README table, row by row: the code and what it means. */
export const EXIT_TABLE: ReadonlyArray<{ code: ExitCode; short: string; meaning: string }> = [
  { code: EXIT.ok, short: 'ok', meaning: 'ok' },
  {
    code: EXIT.checkFailed,
    short: 'a check failed',
    meaning: 'a check failed (a load threshold, a reconciliation discrepancy, a fixture conflict)',
  },
  { code: EXIT.moneyMismatch, short: 'money mismatch', meaning: 'money mismatch found by a load run' },
  {
    code: EXIT.usage,
    short: 'usage error',
    meaning: 'usage error (unknown flag, bad value, no secret, a secret or admin key the target refuses)',
  },
  {
    code: EXIT.unavailable,
    short: 'unreachable dependency or no store',
    meaning:
      'a dependency or target is unreachable (a store, MySQL, Redis, finance) or unusable (MySQL older than 8.0.4, MariaDB older than 10.6), or there is no store where one must be',
  },
  { code: EXIT.internal, short: 'internal error', meaning: 'internal error (a bug: please report it)' },
];

/** The end of every command's help. */
export const EXIT_CODES_HELP = `Exit codes (README, "Exit codes"):\n  ${EXIT_TABLE.map(({ code, short }) => `${code} ${short}`).join(' · ')}`;

export function exitCodeFor(code: ErrorCode): ExitCode {
  // a secret or key the other side refuses is the operator's to fix, as a bad flag is
  switch (code) {
    case 'USAGE':
    case 'VALIDATION_FAILED':
    case 'UNAUTHENTICATED':
    case 'INVALID_SIGNATURE':
    case 'FORBIDDEN':
      return EXIT.usage;
    case 'DEPENDENCY_FAILED':
      return EXIT.unavailable;
    default:
      return EXIT.internal;
  }
}
