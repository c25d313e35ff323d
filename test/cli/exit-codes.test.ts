/**
 * Issue 17, items 1-3 and 11: the built binary keeps README's exit codes. An unreachable or missing
 * store is exit 4 with one `DEPENDENCY_FAILED` line (no stack trace), for every command that opens
 * one; a refused secret and a URL that is not MySQL's are usage errors (3); `serve` that cannot
 * start creates nothing; a reader never mints a secret.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.js';
import { runCli, type CliResult } from '../ops/support/cli.js';
import { mysqlAvailable } from '../support/services.js';

/** A port nothing listens on: bound, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ONE_LINE_DEPENDENCY = /^redpkt: DEPENDENCY_FAILED: [^\n]+\n$/;

function expectUnreachable(r: CliResult, detail: RegExp): void {
  expect([r.status, r.stderr]).toEqual([4, expect.stringMatching(ONE_LINE_DEPENDENCY)]);
  expect(r.stderr).toMatch(detail);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('exit codes of the built binary (issue 17)', () => {
  let dir: string;
  let refused: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-exit-'));
    refused = `mysql://root@127.0.0.1:${await closedPort()}/redpkt_test_refused`;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 4 with one DEPENDENCY_FAILED line when MySQL refuses, for recon, recon list, db migrate and serve', async () => {
    const serveDir = join(dir, 'serve-refused');
    const [recon, list, migrate, serve] = await Promise.all([
      runCli(['recon', '--date', '2026-02-11', '--mysql', refused]),
      runCli(['recon', 'list', '--mysql', refused]),
      runCli(['db', 'migrate', '--mysql', refused]),
      runCli(['serve', '--port', '0', '--mysql', refused, '--data-dir', serveDir]),
    ]);
    for (const r of [recon, list, migrate, serve]) expectUnreachable(r, /ECONNREFUSED/);
    expect(existsSync(serveDir)).toBe(false); // no store, no secret made before MySQL answered
  });

  it('exits 4 for an unknown database at a MySQL that answers', async () => {
    if (!(await mysqlAvailable())) return;
    const url = new URL(readEnv().REDPKT_TEST_MYSQL);
    url.pathname = `/redpkt_test_nothere_${randomBytes(4).toString('hex')}`;
    const r = await runCli(['recon', '--date', '2026-02-11', '--mysql', url.toString()]);
    expectUnreachable(r, /MySQL: Unknown database 'redpkt_test_nothere_/);
  });

  it('gives "no store in the data dir" one code, 4, for recon, recon list and the switch commands', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const runs = await Promise.all([
      runCli(['recon', '--date', '2026-02-11', '--data-dir', empty]),
      runCli(['recon', 'list', '--data-dir', empty]),
      runCli(['degrade', 'status', '--data-dir', empty]),
      runCli(['limit', 'set', 'claim', '10', '--data-dir', empty]),
    ]);
    for (const r of runs) expectUnreachable(r, /no packet store at/);
  });

  it('refuses a --mysql URL that is not MySQL as a usage error, before resolving its host', async () => {
    const runs = await Promise.all([
      runCli(['db', 'migrate', '--mysql', 'postgres://x/y']),
      runCli(['serve', '--mysql', 'postgres://x/y', '--data-dir', join(dir, 'pg')]),
      runCli(['recon', '--date', '2026-02-11', '--mysql', 'postgres://x/y']),
      runCli(['degrade', 'status', '--mysql', 'postgres://x/y']),
    ]);
    for (const r of runs) {
      expect([r.status, r.stderr]).toEqual([3, expect.stringMatching(/--mysql must be a mysql:\/\/ URL/)]);
      expect(r.stderr).not.toMatch(/ENOTFOUND|internal error/);
    }
    expect(existsSync(join(dir, 'pg'))).toBe(false);
  });

  it('exits 3 when the port is taken, and has created neither the store nor a secret', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as { port: number };
      const dataDir = join(dir, 'busy');
      const r = await runCli(['serve', '--port', String(port), '--data-dir', dataDir]);
      expect([r.status, r.stderr]).toEqual([
        3,
        expect.stringMatching(/--port \d+ on 127\.0\.0\.1 is in use/),
      ]);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('never mints a secret for a token: exit 3 naming --data-dir, --secret and REDPKT_SECRET', async () => {
    const cwd = join(dir, 'fresh');
    await mkdir(cwd);
    const [here, elsewhere] = await Promise.all([
      runCli(['token', '--uid', 'alice'], {}, cwd),
      runCli(['admin-key', '--data-dir', join(dir, 'nowhere')]),
    ]);
    for (const r of [here, elsewhere]) {
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/--data-dir .*--secret or REDPKT_SECRET/);
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(cwd, '.redpkt'))).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('says which environment variable is bad (exit 3), not a stack trace', async () => {
    const r = await runCli(['token', '--uid', 'a'], { REDPKT_SECRET: 'short' });
    expect([r.status, r.stderr]).toEqual([
      3,
      expect.stringMatching(/^redpkt: USAGE: bad environment variable: REDPKT_SECRET/),
    ]);
  });

  it('reads the token secret from --data-dir', async () => {
    const dataDir = join(dir, 'with-secret');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'secret'), 'a-secret-written-by-serve-0123\n');
    const r = await runCli(['token', '--uid', 'alice', '--data-dir', dataDir]);
    expect([r.status, r.stdout]).toEqual([0, expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+\n$/)]);
  });
});
