import type { Command } from 'commander';
import type { SwitchCliFlags } from '../config/ops-config.js';
import { DEGRADE_NAMES, parseSwitchName } from '../switches/catalog.js';
import type { SwitchCommandIo } from './switch-flags.js';
import { addSwitchFlags, parseOnOff, runSwitchCommand } from './switch-flags.js';

/** `redpkt degrade <name> on|off`, `degrade status`, `degrade audit`; no arguments: the picker. */
export function registerDegrade(program: Command, io?: SwitchCommandIo): void {
  addSwitchFlags(
    program
      .command('degrade')
      .description('degrade an endpoint on every running instance (503 DEGRADED with a friendly message)')
      .argument('[name]', `${DEGRADE_NAMES.join(' | ')} | status | audit`)
      .argument('[state]', 'on | off'),
  ).action((name: string | undefined, state: string | undefined, flags: SwitchCliFlags) =>
    runSwitchCommand(flags, io, async ({ interactiveOrStatus, setSwitch, showAudit, showStatus }, run) => {
      if (name === undefined) return interactiveOrStatus(run, 'degrade');
      if (name === 'status') return showStatus(run, 'degrade');
      if (name === 'audit') return showAudit(run, 'degrade');
      const valid = parseSwitchName('degrade', name);
      return setSwitch(run, 'degrade', valid, parseOnOff(state, `redpkt degrade ${valid} on|off`));
    }),
  );
}
