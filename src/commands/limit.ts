import type { Command } from 'commander';
import type { SwitchCliFlags } from '../config/ops-config.js';
import { RedpktError } from '../domain/errors.js';
import { LIMIT_ENDPOINTS, parseSwitchName } from '../switches/catalog.js';
import type { SwitchCommandIo } from './switch-flags.js';
import { addSwitchFlags, runSwitchCommand } from './switch-flags.js';

const USAGE = 'redpkt limit set <endpoint> <n> | clear <endpoint> | status | audit';

function perSecond(value: string | undefined): number {
  const m = value === undefined ? null : /^(\d{1,8})(\/s)?$/.exec(value);
  const n = m?.[1] === undefined ? NaN : Number(m[1]);
  if (!(n >= 1))
    throw new RedpktError('USAGE', `the limit must be a whole number of requests per second >= 1: ${USAGE}`);
  return n;
}

/** `redpkt limit set claim 5000`, `limit clear claim`, `limit status`; no arguments: the picker. */
export function registerLimit(program: Command, io?: SwitchCommandIo): void {
  addSwitchFlags(
    program
      .command('limit')
      .description('per-endpoint requests per second at the gateway, over the cluster with Redis')
      .argument('[action]', 'set | clear | status | audit')
      .argument('[endpoint]', LIMIT_ENDPOINTS.join(' | '))
      .argument('[n]', 'requests per second (set)'),
  ).action(
    (
      action: string | undefined,
      endpoint: string | undefined,
      n: string | undefined,
      flags: SwitchCliFlags,
    ) =>
      runSwitchCommand(flags, io, async ({ interactiveOrStatus, setSwitch, showAudit, showStatus }, run) => {
        switch (action) {
          case undefined:
            return interactiveOrStatus(run, 'limit');
          case 'status':
            return showStatus(run, 'limit');
          case 'audit':
            return showAudit(run, 'limit');
          case 'set':
            return setSwitch(run, 'limit', parseSwitchName('limit', endpoint ?? ''), perSecond(n));
          case 'clear':
            return setSwitch(run, 'limit', parseSwitchName('limit', endpoint ?? ''), 0);
          default:
            throw new RedpktError('USAGE', `unknown action "${action}": ${USAGE}`);
        }
      }),
  );
}
