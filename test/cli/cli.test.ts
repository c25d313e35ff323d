import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/auth/tokens.js';
import { BIN, startServe } from '../support/serve-process.js';

// No MySQL or Redis configured: the embedded default must need neither.
const ENV = { ...process.env, REDPKT_MYSQL: undefined, REDPKT_REDIS: undefined, REDPKT_SECRET: undefined };

function run(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV, cwd, timeout: 30_000 });
}

describe('the redpkt binary', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists every command in --help; recon without a store to read exits 4 (issue 8: built)', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    for (const name of ['serve', 'token', 'db', 'fixtures', 'load', 'degrade', 'mock', 'recon'])
      expect(help.stdout).toContain(name);
    const recon = run(['recon', '--date', '2026-02-11', '--data-dir', join(dir, 'no-store')]);
    expect(recon.status).toBe(4);
    expect(recon.stderr).toMatch(/no packet store/);
  });

  it('exits 3 on a usage error', () => {
    const r = run(['serve', '--no-such-flag']);
    expect(r.status).toBe(3);
    expect(run(['token']).status).toBe(3);
    const badPort = run(['serve', '--port', 'eighty']);
    expect([badPort.status, badPort.stderr]).toEqual([3, expect.stringMatching(/USAGE: --port/)]);
  });

  it('prints a token that names the uid and verifies with the secret in the data dir', async () => {
    const { writeFile } = await import('node:fs/promises');
    const secret = 'the-secret-serve-generated-0123';
    await writeFile(join(dir, 'secret'), `${secret}\n`);
    const r = run(['token', '--uid', '42', '--data-dir', dir]);
    expect(r.status).toBe(0);
    expect(await verifyToken(secret, r.stdout.trim())).toBe('42');
  });

  it('migrates the embedded packet and finance stores with db migrate, twice without harm', async () => {
    const dataDir = join(dir, 'migrate');
    expect(run(['db', 'migrate', '--data-dir', dataDir]).status).toBe(0);
    const again = run(['db', 'migrate', '--data-dir', dataDir]);
    expect([again.status, again.stdout.trim()]).toEqual([0, 'migrated']);
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dataDir, 'redpkt.db'))).size).toBeGreaterThan(0);
    expect((await stat(join(dataDir, 'finance.db'))).size).toBeGreaterThan(0);
  });

  it('serves on the embedded store with --port 0, answers healthz, and stops cleanly on SIGTERM', async () => {
    const serve = await startServe(['--port', '0', '--data-dir', join(dir, 'serve')], ENV);
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${serve.url}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true });
    expect(await serve.stop()).toBe(0);
  });
});
