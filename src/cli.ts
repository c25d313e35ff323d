import { Command, CommanderError } from 'commander';
import type { ErrorCode } from './domain/errors.js';
import { isRedpktError } from './domain/errors.js';
import { registerCommands } from './commands/index.js';

/**
 * Exit codes (documented in README): 0 ok; 1 a check failed (threshold, discrepancy);
 * 2 money mismatch; 3 usage error; 4 a dependency or target is unreachable;
 * 5 the command is not built yet; 70 internal error.
 */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  moneyMismatch: 2,
  usage: 3,
  unavailable: 4,
  notBuilt: 5,
  internal: 70,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'VALIDATION_FAILED':
      return EXIT.usage;
    case 'DEPENDENCY_FAILED':
      return EXIT.unavailable;
    case 'NOT_IMPLEMENTED':
      return EXIT.notBuilt;
    default:
      return EXIT.internal;
  }
}

export function buildProgram(): Command {
  const program = new Command('redpkt')
    .description('Red-packet campaigns: run the service, rehearse under load, flip switches, reconcile.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  registerCommands(program);
  return program;
}

/** Runs the CLI and returns the process exit code; never calls process.exit itself. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isRedpktError(e)) {
      process.stderr.write(`redpkt: ${e.code}: ${e.message}\n`);
      return exitCodeFor(e.code);
    }
    process.stderr.write(
      `redpkt: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.internal;
  }
}
