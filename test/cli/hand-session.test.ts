/**
 * Issue 17, item 15: README's hand session starts the server so that `$!` is the server itself,
 * and `kill $!` stops it (with `npx redpkt serve … &` it was npx's pid, and the server lived on).
 * Its token is read from the same --data-dir and the server accepts it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("README's hand session (issue 17)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-hand-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts the binary itself, never through npx, and gives tokens the same --data-dir', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const prose = readme.slice(readme.indexOf('A session by hand'), readme.indexOf('## Layout'));
    const session = /```sh\n([^]*?)```/.exec(prose)?.[1] ?? '';
    expect(session).not.toMatch(/npx redpkt serve[^\n]*&/);
    expect(session).toMatch(/^\$R serve --data-dir \.redpkt --port 8080 & SERVER=\$!$/m);
    expect(session).toMatch(/\$R token --uid alice --data-dir \.redpkt/);
    expect(session).toMatch(/^kill \$SERVER/m);
  });

  it('kills the server with the pid the shell gave for it', { timeout: 120_000 }, async () => {
    const dataDir = join(dir, 'data');
    const log = join(dir, 'serve.log');
    const env = {
      ...process.env,
      REDPKT_MYSQL: '',
      REDPKT_REDIS: '',
      REDPKT_SECRET: '',
      R: './dist/bin/redpkt.js',
    };
    for (const k of ['REDPKT_MYSQL', 'REDPKT_REDIS', 'REDPKT_SECRET'] as const) delete env[k];
    const started = spawnSync(
      'sh',
      ['-c', `$R serve --data-dir "${dataDir}" --port 0 >"${log}" 2>&1 & SERVER=$!; echo $SERVER`],
      { cwd: ROOT, env, encoding: 'utf8' },
    );
    const pid = Number(started.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    try {
      const url = await until('the URL', async () => {
        const m = /listening on (http:\/\/\S+)/.exec(await readFile(log, 'utf8').catch(() => ''));
        return m?.[1];
      });
      expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toContain('serve');
      const token = spawnSync('sh', ['-c', `$R token --uid alice --data-dir "${dataDir}"`], {
        cwd: ROOT,
        env,
        encoding: 'utf8',
      });
      const me = await fetch(`${url}/v1/me/balance`, {
        headers: { authorization: `Bearer ${token.stdout.trim()}` },
      });
      expect(me.status).toBe(200);
      process.kill(pid, 'SIGTERM');
      await until('the server to exit', () => (alive(pid) ? undefined : true));
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
