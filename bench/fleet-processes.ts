/**
 * `npm run bench:fleet`'s services, as real processes: one `redpkt serve`, `redpkt serve --cores 2`
 * (the supervisor, its gateway and 2 cores), and 2 plain cores behind the real HAProxy running
 * deploy/haproxy/haproxy.cfg. Each answers as a BenchServer (./claim-http.ts) listing every pid
 * it is made of, so its CPU is their sum.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../src/fleet/free-ports.js';
import { renderHaproxyConfig } from '../src/fleet/haproxy-config.js';
import type { BenchServer } from './claim-http.js';

/** The built binary (npm run build), from the bench's compiled copy in node_modules/.cache. */
const BIN = fileURLToPath(new URL('../../../../dist/bin/redpkt.js', import.meta.url));
const HAPROXY_CFG = fileURLToPath(new URL('../../../../deploy/haproxy/haproxy.cfg', import.meta.url));
export const FLEET_BENCH_SECRET = 'fleet-bench-secret-0123456789abcdef';

interface Started {
  url: string;
  child: ChildProcess;
}

/**
 * Diagnosis (`bench:fleet --cpu-prof-dir DIR`): the processes started here (a `serve`, the
 * supervisor with its gateway, a core behind HAProxy) write a V8 CPU profile into DIR when they
 * exit. Not a supervisor's cores: Node refuses --cpu-prof in NODE_OPTIONS, and the supervisor
 * starts them with the binary's own flags.
 */
const profArgs = (profDir: string | undefined) =>
  profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];

/** The database a service's URL names (its connections' own CPU is counted, ./db-thread-cpu.ts). */
function databaseOf(mysqlUrl: string): BenchServer['database'] {
  const u = new URL(mysqlUrl);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/';
  return { serverUrl: u.toString(), name };
}

async function serve(args: string[], profDir?: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    [...profArgs(profDir), BIN, 'serve', ...args, '--secret', FLEET_BENCH_SECRET, '--log-level', 'warn'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve ${args.join(' ')} exited ${code}`)));
  });
  return { url, child };
}

function stopAll(children: ChildProcess[]): Promise<void> {
  return Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
          c.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

const dataDir = () => mkdtemp(join(tmpdir(), 'redpkt-bench-fleet-'));

/** A service, and a name for each of its `pids` (the diagnosis's per-process CPU). */
export type FleetServer = BenchServer & { pidNames: readonly string[] };

export async function oneProcess(mysqlUrl: string, profDir?: string): Promise<FleetServer> {
  const s = await serve(['--mysql', mysqlUrl, '--port', '0', '--data-dir', await dataDir()], profDir);
  return {
    url: s.url,
    pid: s.child.pid,
    pids: [s.child.pid!],
    pidNames: ['serve'],
    secret: FLEET_BENCH_SECRET,
    database: databaseOf(mysqlUrl),
    stop: () => stopAll([s.child]),
  };
}

export async function supervised(mysqlUrl: string, cores: number, profDir?: string): Promise<FleetServer> {
  const s = await serve(
    ['--cores', String(cores), '--mysql', mysqlUrl, '--port', '0', '--data-dir', await dataDir()],
    profDir,
  );
  const health = (await (await fetch(`${s.url}/healthz`)).json()) as {
    supervisor: { cores: { pid: number }[] };
  };
  const pids = [s.child.pid!, ...health.supervisor.cores.map((c) => c.pid)];
  return {
    url: s.url,
    pid: s.child.pid,
    pids,
    pidNames: ['supervisor+gateway', ...health.supervisor.cores.map((_, j) => `core-${j}`)],
    secret: FLEET_BENCH_SECRET,
    database: databaseOf(mysqlUrl),
    stop: () => stopAll([s.child]),
  };
}

export async function behindHaproxy(mysqlUrl: string, cores: number, profDir?: string): Promise<FleetServer> {
  const dir = await dataDir();
  const started: Started[] = [];
  for (let i = 0; i < cores; i++)
    started.push(
      await serve(['--mysql', mysqlUrl, '--port', '0', '--data-dir', join(dir, `core-${i}`)], profDir),
    );
  const probe = await fetch(`${started[0]!.url}/readyz`);
  await probe.body?.cancel();
  const [port] = await freePorts(1);
  const file = join(dir, 'haproxy.cfg');
  const cfg = renderHaproxyConfig(
    await readFile(HAPROXY_CFG, 'utf8'),
    port!,
    started.map((s) => s.url),
    probe.status === 404 ? '/healthz' : '/readyz',
  );
  await writeFile(file, cfg);
  const haproxy = spawn('haproxy', ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error('haproxy did not come up');
    await new Promise((r) => setTimeout(r, 100));
  }
  const children = [haproxy, ...started.map((s) => s.child)];
  return {
    url,
    pid: haproxy.pid,
    pids: children.map((c) => c.pid!),
    pidNames: ['haproxy', ...started.map((_, j) => `core-${j}`)],
    secret: FLEET_BENCH_SECRET,
    database: databaseOf(mysqlUrl),
    stop: () => stopAll(children),
  };
}
