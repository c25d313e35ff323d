/**
 * Issue 7: what `degrade`, `mock` and `limit` share once they run: opening the control, and the
 * status / set / audit / picker actions. Loaded on demand, so other commands start without it.
 */
import { hostname, userInfo } from 'node:os';
import { deriveAdminKey, readDataDirSecret } from '../auth/admin-key.js';
import { readEnv } from '../config/env.js';
import { resolveSwitchCliConfig } from '../config/ops-config.js';
import type { SwitchCliConfig, SwitchCliFlags } from '../config/ops-config.js';
import { RedpktError } from '../domain/errors.js';
import type { SwitchCommandIo } from './switch-flags.js';
import { packetStoreConfig } from '../runtime/storage-config.js';
import type { SwitchKind } from '../switches/catalog.js';
import { createHttpControl } from '../switches/control/http-control.js';
import { runPicker } from '../switches/control/picker.js';
import { renderAudit, renderChange, renderStatus } from '../switches/control/render.js';
import { createDirectControl } from '../switches/control/switch-control.js';
import type { SwitchControl } from '../switches/control/switch-control.js';

export const defaultActor = (): string => {
  try {
    return `${userInfo().username}@${hostname()}`;
  } catch {
    return `unknown@${hostname()}`;
  }
};

async function adminKeyFor(target: Extract<SwitchCliConfig['target'], { kind: 'http' }>): Promise<string> {
  if (target.adminKey) return target.adminKey;
  const secret = target.secret ?? (await readDataDirSecret(target.dataDir));
  if (secret) return deriveAdminKey(secret);
  throw new RedpktError(
    'USAGE',
    `--target needs the admin key: --admin-key or REDPKT_ADMIN_KEY (\`redpkt admin-key\` prints it on the service's host), or the service secret: --secret, REDPKT_SECRET, or the --data-dir of the service (none in ${target.dataDir})`,
  );
}

export async function openControl(config: SwitchCliConfig): Promise<SwitchControl> {
  const { target } = config;
  if (target.kind === 'http') return createHttpControl(target.url, await adminKeyFor(target));
  return createDirectControl(
    packetStoreConfig(target.dataDir, target.mysql ? [target.mysql] : []),
    target.redis,
  );
}

export interface SwitchRun {
  config: SwitchCliConfig;
  control: SwitchControl;
  io: SwitchCommandIo;
  print(human: string, json: unknown): void;
}

/** Parses the flags, opens the control, runs `work`, always closes. */
export async function withSwitches(
  flags: SwitchCliFlags,
  io: SwitchCommandIo,
  work: (run: SwitchRun) => Promise<void>,
): Promise<void> {
  const config = resolveSwitchCliConfig(flags, readEnv());
  const control = await openControl(config);
  const print = (human: string, json: unknown) =>
    io.stdout.write(config.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
  try {
    await work({ config, control, io, print });
  } finally {
    await control.close();
  }
}

export async function showStatus(run: SwitchRun, kind: SwitchKind): Promise<void> {
  const switches = (await run.control.list()).filter((s) => s.kind === kind);
  run.print(renderStatus(switches), { switches });
}

/** Issue 17: one audit view, every switch kind's changes (`degrade audit` = `limit audit`). */
export async function showAudit(run: SwitchRun): Promise<void> {
  const entries = await run.control.audit({ limit: run.config.last });
  run.print(renderAudit(entries), { entries });
}

export async function setSwitch(
  run: SwitchRun,
  kind: SwitchKind,
  name: string,
  value: number,
): Promise<void> {
  const result = await run.control.set({
    kind,
    name,
    value,
    reason: run.config.reason,
    actor: run.config.actor ?? defaultActor(),
  });
  run.print(renderChange(result.change, run.control.where), result);
}

/** No arguments: the picker on a terminal, the status otherwise. */
export async function interactiveOrStatus(run: SwitchRun, kind: SwitchKind): Promise<void> {
  if (!run.io.interactive || run.config.json) return showStatus(run, kind);
  await runPicker(
    run.control,
    run.config.actor ?? defaultActor(),
    {
      ...run.io.picker,
      write: (line) => run.io.stdout.write(`${line}\n`),
    },
    kind,
  );
}
