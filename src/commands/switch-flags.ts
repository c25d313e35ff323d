/**
 * Issue 7: the flags `degrade`, `mock` and `limit` share (where the switches are, how to print),
 * kept apart from the actions so registering the commands loads nothing heavy.
 */
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { RedpktError } from '../domain/errors.js';
import type { SwitchCliFlags } from '../config/ops-config.js';
import type { PickerIo } from '../switches/control/picker.js';
import type * as SwitchActions from './switch-command.js';

/** Where the commands write and whether they may ask; tests pass their own. */
export interface SwitchCommandIo {
  stdout: Writable;
  /** true: no arguments opens the picker. */
  interactive: boolean;
  picker?: Omit<PickerIo, 'write'>;
}

export const defaultSwitchIo = (): SwitchCommandIo => ({
  stdout: process.stdout,
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
});

export function addSwitchFlags(command: Command): Command {
  return command
    .option('--target <url>', 'a running instance: change the switches through its admin API')
    .option(
      '--admin-key <key>',
      "the target's admin key (default: derived from the service secret; `redpkt admin-key` prints it)",
    )
    .option('--secret <secret>', "the target's service secret, to derive its admin key")
    .option(
      '--data-dir <dir>',
      "the service's data dir: its embedded store, or with --target where its secret is (default .redpkt)",
    )
    .option('--mysql <url>', "without --target: the service's MySQL database")
    .option('--redis <url>', 'without --target: tell running instances at once over Redis (else they poll)')
    .option('--reason <text>', 'why, for the audit trail')
    .option('--actor <name>', 'who, for the audit trail (default user@host)')
    .option('--last <n>', 'audit: how many of the latest changes (of every kind) to show', '20')
    .option('--json', 'print JSON');
}

export function parseOnOff(state: string | undefined, usage: string): 0 | 1 {
  if (state === 'on') return 1;
  if (state === 'off') return 0;
  throw new RedpktError('USAGE', `say on or off: ${usage}`);
}

/** Loads the actions (and the storage, HTTP and prompt stacks) only when a switch command runs. */
export async function runSwitchCommand(
  flags: SwitchCliFlags,
  io: SwitchCommandIo | undefined,
  work: (actions: typeof SwitchActions, run: SwitchActions.SwitchRun) => Promise<void>,
): Promise<void> {
  const actions = await import('./switch-command.js');
  await actions.withSwitches(flags, io ?? defaultSwitchIo(), (run) => work(actions, run));
}
