import type { Command } from 'commander';
import { withExamples } from '../cli/help.js';
import type { SwitchCliFlags } from '../config/ops-config.js';
import { DEGRADE_NAMES, parseSwitchName } from '../switches/catalog.js';
import type { SwitchCommandIo } from './switch-flags.js';
import { addSwitchFlags, parseOnOff, runSwitchCommand } from './switch-flags.js';

/** `redpkt degrade <name> on|off`, `degrade status`, `degrade audit`; no arguments: the picker. */
export function registerDegrade(program: Command, io?: SwitchCommandIo): void {
  const command = addSwitchFlags(
    program
      .command('degrade')
      .description('degrade an endpoint on every running instance (503 DEGRADED with a friendly message)')
      .argument('[name]', `${DEGRADE_NAMES.join(' | ')} | status | audit (every switch kind's changes)`)
      .argument('[state]', 'on | off'),
  ).action((name: string | undefined, state: string | undefined, flags: SwitchCliFlags) => {
    // a bad name or state is refused before anything is opened (issue 17)
    const change =
      name === undefined || name === 'status' || name === 'audit'
        ? undefined
        : (() => {
            const valid = parseSwitchName('degrade', name);
            return { valid, on: parseOnOff(state, `redpkt degrade ${valid} on|off`) };
          })();
    return runSwitchCommand(
      flags,
      io,
      async ({ interactiveOrStatus, setSwitch, showAudit, showStatus }, run) => {
        if (name === undefined) return interactiveOrStatus(run, 'degrade');
        if (name === 'status') return showStatus(run, 'degrade');
        if (name === 'audit') return showAudit(run);
        return setSwitch(run, 'degrade', change!.valid, change!.on);
      },
    );
  });
  withExamples(command, [
    'redpkt degrade claim on --reason "finance slow" --data-dir .redpkt',
    'redpkt degrade status --target http://127.0.0.1:8080 --data-dir .redpkt',
  ]);
}
