import { Command, CommanderError } from 'commander';
import { describeFailure } from './cli/describe-failure.js';
import { EXIT, exitCodeFor } from './cli/exit-codes.js';
import { configureRedpktHelp, explainExcessArguments, withExamples } from './cli/help.js';
import { registerCommands } from './commands/index.js';

/** Exit codes: one mapping, src/cli/exit-codes.ts (README "Exit codes" is tested against it). */
export { EXIT, exitCodeFor };

/**
 * The commander program. With `argv`, only the command it runs is loaded in full (issue 17: a
 * fast start); without, every command (for tests that inspect them all).
 */
export async function buildProgram(argv?: readonly string[]): Promise<Command> {
  const program = new Command('redpkt')
    .description('Red-packet campaigns: run the service, rehearse under load, flip switches, reconcile.')
    .version('0.1.0')
    .exitOverride()
    // lets a command with subcommands keep its own flags apart from theirs (`load merge --json`)
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)');
  configureRedpktHelp(program);
  program.configureOutput({
    outputError: (text, write) => write(argv ? explainExcessArguments(text, program, argv) : text),
  });
  await registerCommands(program, argv);
  withExamples(program, [
    'redpkt serve --data-dir .redpkt --port 8080',
    'redpkt load c2c --target http://127.0.0.1:8080 --secret "$S"',
    'redpkt <command> --help',
  ]);
  return program;
}

/** Runs the CLI and returns the process exit code; never calls process.exit itself. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const failure = describeFailure(e);
    if (failure.code === 'INTERNAL') {
      process.stderr.write(`redpkt: internal error: ${failure.stack ?? failure.message}\n`);
      return EXIT.internal;
    }
    process.stderr.write(`redpkt: ${failure.code}: ${failure.message}\n`);
    return exitCodeFor(failure.code);
  }
}
