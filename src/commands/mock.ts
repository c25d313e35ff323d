import type { Command } from 'commander';
import type { SwitchCliFlags } from '../config/ops-config.js';
import { MOCK_NAMES, parseSwitchName } from '../switches/catalog.js';
import type { SwitchCommandIo } from './switch-flags.js';
import { addSwitchFlags, parseOnOff, runSwitchCommand } from './switch-flags.js';

/** `redpkt mock <dep> on|off`, `mock status`, `mock audit`; no arguments: the picker. */
export function registerMock(program: Command, io?: SwitchCommandIo): void {
  addSwitchFlags(
    program
      .command('mock')
      .description(
        'short-circuit a dependency for a rehearsal: the service answers for it, orders marked mocked',
      )
      .argument('[dep]', `${MOCK_NAMES.join(' | ')} | status | audit`)
      .argument('[state]', 'on | off'),
  ).action((dep: string | undefined, state: string | undefined, flags: SwitchCliFlags) =>
    runSwitchCommand(flags, io, async ({ interactiveOrStatus, setSwitch, showAudit, showStatus }, run) => {
      if (dep === undefined) return interactiveOrStatus(run, 'mock');
      if (dep === 'status') return showStatus(run, 'mock');
      if (dep === 'audit') return showAudit(run, 'mock');
      const valid = parseSwitchName('mock', dep);
      return setSwitch(run, 'mock', valid, parseOnOff(state, `redpkt mock ${valid} on|off`));
    }),
  );
}
