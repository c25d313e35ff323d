import type { Command } from 'commander';
import { withExamples } from '../cli/help.js';
import { didYouMean } from '../domain/did-you-mean.js';
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
    throw new RedpktError(
      'USAGE',
      `the limit must be a whole number of requests per second >= 1, got ${JSON.stringify(value ?? '')}: ${USAGE}`,
    );
  return n;
}

/** `redpkt limit set claim 5000`, `limit clear claim`, `limit status`; no arguments: the picker. */
const ACTIONS = ['set', 'clear', 'status', 'audit'];

/** The action's arguments, checked before anything is opened (issue 17). */
function parseAction(action: string | undefined, endpoint: string | undefined, n: string | undefined) {
  if (action === 'set') return { endpoint: parseSwitchName('limit', endpoint ?? ''), value: perSecond(n) };
  if (action === 'clear') return { endpoint: parseSwitchName('limit', endpoint ?? ''), value: 0 };
  if (action === undefined || ACTIONS.includes(action)) return undefined;
  const guess = didYouMean(action, ACTIONS);
  throw new RedpktError(
    'USAGE',
    `unknown action "${action}"${guess ? `; did you mean "${guess}"?` : ''} (${USAGE})`,
  );
}

export function registerLimit(program: Command, io?: SwitchCommandIo): void {
  const command = addSwitchFlags(
    program
      .command('limit')
      .description('per-endpoint requests per second, enforced by every core (over the cluster with Redis)')
      .argument('[action]', "set | clear | status | audit (every switch kind's changes)")
      .argument('[endpoint]', LIMIT_ENDPOINTS.join(' | '))
      .argument('[n]', 'requests per second (set)'),
  ).action(
    (
      action: string | undefined,
      endpoint: string | undefined,
      n: string | undefined,
      flags: SwitchCliFlags,
    ) => {
      const change = parseAction(action, endpoint, n);
      return runSwitchCommand(
        flags,
        io,
        async ({ interactiveOrStatus, setSwitch, showAudit, showStatus }, run) => {
          if (change) return setSwitch(run, 'limit', change.endpoint, change.value);
          if (action === 'status') return showStatus(run, 'limit');
          if (action === 'audit') return showAudit(run);
          return interactiveOrStatus(run, 'limit');
        },
      );
    },
  );
  withExamples(command, [
    'redpkt limit set claim 5000 --data-dir .redpkt --reason "festival peak"',
    'redpkt limit clear claim --target http://127.0.0.1:8080 --data-dir .redpkt',
  ]);
}
