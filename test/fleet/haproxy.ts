/**
 * Issue 21: the real `haproxy` (Debian's 2.6; .ci/run installs it) running deploy/haproxy/haproxy.cfg
 * rendered for a test: its `bind` on a free port, each backend's `server` lines pointing at the
 * test's cores. When the cores have no `/readyz` yet (404: issue 19 not landed), the checks use
 * `/healthz` (the config itself names /readyz).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePorts } from '../../src/fleet/free-ports.js';
import { renderHaproxyConfig } from '../../src/fleet/haproxy-config.js';
export { renderKubernetesConfig } from '../../src/fleet/haproxy-config.js';
import { inCi } from '../support/services.js';

export const HAPROXY_CFG = join(import.meta.dirname, '../../deploy/haproxy/haproxy.cfg');

/** true when haproxy is installed; in CI its absence fails the suite instead of skipping it. */
export function haproxyAvailable(): boolean {
  const ok = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0;
  if (!ok && inCi) throw new Error('haproxy is required in CI (.ci/run: ensure_deb haproxy haproxy)');
  return ok;
}

export interface RunningHaproxy {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startHaproxy(dir: string, cores: readonly string[]): Promise<RunningHaproxy> {
  const probe = await fetch(`${cores[0]}/readyz`);
  await probe.body?.cancel();
  const checkPath = probe.status === 404 ? '/healthz' : '/readyz';
  const [port] = await freePorts(1);
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, renderHaproxyConfig(await readFile(HAPROXY_CFG, 'utf8'), port!, cores, checkPath));
  const check = spawnSync('haproxy', ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy -c failed: ${check.stderr}${check.stdout}`);
  // -db: foreground, no daemon; -W is not needed (one process)
  const child = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-50_000)));
  child.stderr.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-50_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      async (r) => (await r.body?.cancel(), r.status === 200),
      () => false,
    );
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not come up: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
