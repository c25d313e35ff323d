import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAdminKey } from '../../src/auth/admin-key.js';
import { createSqliteSwitchStore } from '../../src/storage/switches/sqlite-switch-store.js';
import { runCli } from './support/cli.js';

describe('the switch commands', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-switch-cli-'));
    const store = await createSqliteSwitchStore({ file: join(dir, 'redpkt.db') });
    await store.migrate();
    await store.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses an unknown switch as a usage error (exit 3) that lists the valid ones', async () => {
    const degrade = await runCli(['degrade', 'coffee', 'on', '--data-dir', dir]);
    expect(degrade.status).toBe(3);
    expect(degrade.stderr).toContain(
      'unknown degrade switch "coffee"; valid: c2c-send, b2c-send, claim, query-details, subsidy-issuer',
    );
    const mock = await runCli(['mock', 'bank', 'on', '--data-dir', dir]);
    expect([mock.status, mock.stderr]).toEqual([
      3,
      expect.stringContaining('valid: payment, realname, issuer'),
    ]);
    const limit = await runCli(['limit', 'set', 'everything', '10', '--data-dir', dir]);
    expect([limit.status, limit.stderr]).toEqual([
      3,
      expect.stringContaining('valid: c2c-send, b2c-send, claim'),
    ]);
  });

  it('refuses a missing state and a bad limit (exit 3), and a data dir with no store (exit 4)', async () => {
    expect((await runCli(['degrade', 'claim', '--data-dir', dir])).status).toBe(3);
    expect((await runCli(['limit', 'set', 'claim', 'lots', '--data-dir', dir])).status).toBe(3);
    const nowhere = await runCli(['degrade', 'status', '--data-dir', join(dir, 'nope')]);
    expect([nowhere.status, nowhere.stderr]).toEqual([4, expect.stringContaining('no packet store at')]);
  });

  it('sets, shows and clears a limit straight in the store, with JSON on request', async () => {
    const set = await runCli([
      'limit',
      'set',
      'claim',
      '5000/s',
      '--data-dir',
      dir,
      '--json',
      '--actor',
      'ops',
    ]);
    expect(set.status).toBe(0);
    expect(JSON.parse(set.stdout).change).toMatchObject({
      kind: 'limit',
      name: 'claim',
      oldValue: 0,
      newValue: 5000,
      changed: true,
    });
    const status = await runCli(['limit', 'status', '--data-dir', dir]);
    expect(status.stdout).toMatch(/^limit\s+claim\s+5000\/s\s+since .* by ops$/m);
    const clear = await runCli(['limit', 'clear', 'claim', '--data-dir', dir]);
    expect(clear.stdout).toMatch(/limit claim: 5000\/s -> no limit/);
  });

  it('says exit 4 when the target is unreachable, and exit 3 when it has no key to offer', async () => {
    const down = await runCli([
      'degrade',
      'status',
      '--target',
      'http://127.0.0.1:1',
      '--admin-key',
      'k'.repeat(20),
    ]);
    expect([down.status, down.stderr]).toEqual([4, expect.stringContaining('is not answering')]);
    const keyless = await runCli([
      'degrade',
      'status',
      '--target',
      'http://127.0.0.1:1',
      '--data-dir',
      join(dir, 'none'),
    ]);
    expect(keyless.status).toBe(3);
  });

  it('suggests the closest switch name and action, and shows every kind in one audit (issue 17)', async () => {
    const [typo, action] = await Promise.all([
      runCli(['degrade', 'clam', 'on', '--data-dir', dir]),
      runCli(['limit', 'clera', 'claim', '--data-dir', dir]),
    ]);
    expect([typo.status, typo.stderr]).toEqual([3, expect.stringContaining('did you mean "claim"?')]);
    expect([action.status, action.stderr]).toEqual([3, expect.stringContaining('did you mean "clear"?')]);
    await runCli(['limit', 'set', 'query-details', '70', '--data-dir', dir, '--actor', 'audit-test']);
    await runCli(['mock', 'realname', 'on', '--data-dir', dir, '--actor', 'audit-test']);
    const audit = await runCli(['degrade', 'audit', '--data-dir', dir, '--json']);
    const kinds = (JSON.parse(audit.stdout) as { entries: Array<{ kind: string; actor: string }> }).entries
      .filter((e) => e.actor === 'audit-test')
      .map((e) => e.kind);
    expect(kinds).toEqual(['mock', 'limit']);
  });

  it('takes the admin key from the local --data-dir with --target, and names `redpkt admin-key` (issue 17)', async () => {
    const withSecret = join(dir, 'service');
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(withSecret, { recursive: true });
    await writeFile(join(withSecret, 'secret'), 'a-local-service-secret-0123456789\n');
    // reaches for the target (nothing listens: exit 4) instead of refusing the flags
    const local = await runCli([
      'degrade',
      'status',
      '--target',
      'http://127.0.0.1:1',
      '--data-dir',
      withSecret,
    ]);
    expect([local.status, local.stderr]).toEqual([4, expect.stringContaining('is not answering')]);
    const none = await runCli([
      'degrade',
      'status',
      '--target',
      'http://127.0.0.1:1',
      '--data-dir',
      join(dir, 'x'),
    ]);
    expect([none.status, none.stderr]).toEqual([3, expect.stringContaining('`redpkt admin-key`')]);
    const camel = await runCli([
      'degrade',
      'status',
      '--target',
      'http://127.0.0.1:1',
      '--admin-key',
      'short',
    ]);
    expect([camel.status, camel.stderr]).toEqual([3, expect.stringContaining('--admin-key: ')]);
    expect(camel.stderr).not.toContain('--adminKey');
  });

  it('prints the admin key derived from the service secret', async () => {
    const r = await runCli(['admin-key', '--secret', 'a-service-secret-0123456789']);
    expect([r.status, r.stdout.trim()]).toEqual([0, deriveAdminKey('a-service-secret-0123456789')]);
  });
});
