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
import { inCi } from '../support/services.js';

export const HAPROXY_CFG = join(import.meta.dirname, '../../deploy/haproxy/haproxy.cfg');

/** true when haproxy is installed; in CI its absence fails the suite instead of skipping it. */
export function haproxyAvailable(): boolean {
  const ok = spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).status === 0;
  if (!ok && inCi) throw new Error('haproxy is required in CI (.ci/run: ensure_deb haproxy haproxy)');
  return ok;
}

export function renderHaproxyConfig(
  template: string,
  port: number,
  cores: readonly string[],
  checkPath: string,
): string {
  const servers = cores.map((url, i) => `    server core${i} ${new URL(url).host} check`).join('\n');
  let out = template.replace(/^ {4}bind :8080$/m, `    bind 127.0.0.1:${port}`);
  // every run of `server` lines (one per backend) becomes the test's cores
  out = out.replace(/(?:^ {4}server .*\n)+/gm, `${servers}\n`);
  out = out.replace(/GET \/readyz/g, `GET ${checkPath}`);
  return out;
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

/** The namespace and DNS name of the cores' headless Service (deploy/k8s/core.yaml). */
export const K8S_CORES_DNS = 'redpkt-core.redpkt.svc.cluster.local:8080';

/**
 * deploy/haproxy/haproxy.cfg as the router's ConfigMap holds it (deploy/k8s/router.yaml): the
 * cores found through the headless Service's DNS (up to 16, re-resolved as pods come and go)
 * instead of fixed `server` lines, and a monitor URI for the router pod's own probes that fails
 * while no core is up.
 */
export function renderKubernetesConfig(template: string): string {
  const servers = `    server-template core 16 ${K8S_CORES_DNS} check resolvers k8s init-addr none`;
  return (
    template
      .replace(/(?:^ {4}server .*\n)+/gm, `${servers}\n`)
      .replace(
        /^(frontend redpkt\n {4}bind :8080\n)/m,
        "$1    # the router pod's probes: 200 while some core is up\n    monitor-uri /haproxy/ready\n    monitor fail if { nbsrv(packets) eq 0 }\n",
      ) + '\nresolvers k8s\n    parse-resolv-conf\n    hold valid 5s\n    hold obsolete 5s\n'
  );
}
