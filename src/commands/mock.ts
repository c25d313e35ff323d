import type { Command } from 'commander';
import { withExamples } from '../cli/help.js';
import type { SwitchCliFlags } from '../config/ops-config.js';
import { MOCK_NAMES, parseSwitchName } from '../switches/catalog.js';
import type { SwitchCommandIo } from './switch-flags.js';
import { addSwitchFlags, parseOnOff, runSwitchCommand } from './switch-flags.js';

/** `redpkt mock <dep> on|off`, `mock status`, `mock audit`; no arguments: the picker. */
export function registerMock(program: Command, io?: SwitchCommandIo): void {
  const command = addSwitchFlags(
    program
      .command('mock')
      .description(
        'short-circuit a dependency for a rehearsal: the service answers for it, orders marked mocked',
      )
      .argument('[dep]', `${MOCK_NAMES.join(' | ')} | status | audit (every switch kind's changes)`)
      .argument('[state]', 'on | off'),
  ).action((dep: string | undefined, state: string | undefined, flags: SwitchCliFlags) => {
    const change =
      dep === undefined || dep === 'status' || dep === 'audit'
        ? undefined
        : (() => {
            const valid = parseSwitchName('mock', dep);
            return { valid, on: parseOnOff(state, `redpkt mock ${valid} on|off`) };
          })();
    return runSwitchCommand(
      flags,
      io,
      async ({ interactiveOrStatus, setSwitch, showAudit, showStatus }, run) => {
        if (dep === undefined) return interactiveOrStatus(run, 'mock');
        if (dep === 'status') return showStatus(run, 'mock');
        if (dep === 'audit') return showAudit(run);
        return setSwitch(run, 'mock', change!.valid, change!.on);
      },
    );
  });
  withExamples(command, [
    'redpkt mock payment on --reason "rehearsal" --data-dir .redpkt',
    'redpkt mock status --target http://127.0.0.1:8080 --data-dir .redpkt',
  ]);
}
