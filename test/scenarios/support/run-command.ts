import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { registerLoad } from '../../../src/commands/load.js';
import { isRedpktError } from '../../../src/domain/errors.js';

export interface CommandRun {
  stdout: string;
  stderr: string;
  /** process.exitCode as the command left it (0 when unset), or the RedpktError code it threw. */
  exitCode: number;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * Runs one `redpkt` command through its real command function (commander parsing included), with
 * its output captured; `register` adds the command (registerLoad, registerFixtures, …).
 */
export async function runCommand(
  register: (program: Command, io: { stdout: PassThrough; stderr: PassThrough; isTTY: false }) => void,
  args: string[],
): Promise<CommandRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const program = new Command().exitOverride();
  register(program, { stdout, stderr, isTTY: false });
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(args, { from: 'user' });
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    return { stdout: out, stderr: err, exitCode: code };
  } catch (e) {
    if (!isRedpktError(e)) throw e;
    return { stdout: out, stderr: err, exitCode: -1, errorCode: e.code, errorMessage: e.message };
  } finally {
    process.exitCode = before;
  }
}

/** Runs `redpkt load …`. */
export function runLoadCommand(args: string[]): Promise<CommandRun> {
  return runCommand(registerLoad, ['load', ...args]);
}
