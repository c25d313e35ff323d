/** The real binary on a pseudo-terminal (util-linux `script`): no arguments on a TTY opens the picker. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteSwitchStore } from '../../src/storage/switches/sqlite-switch-store.js';
import { BIN, runCli } from './support/cli.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const strip = (s: string) => stripVTControlCharacters(s);

describe.skipIf(!hasScript)('redpkt degrade on a terminal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-pty-'));
    const store = await createSqliteSwitchStore({ file: join(dir, 'redpkt.db') });
    await store.migrate();
    await store.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the picker, confirms before degrading a core path, and records who and why', async () => {
    const command = `'${process.execPath}' '${BIN}' degrade --data-dir '${dir}' --actor pty-user`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm' },
    });
    let screen = '';
    child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let mark = 0;
    const waitFor = async (text: string) => {
      const started = Date.now();
      while (!strip(screen).slice(mark).includes(text)) {
        if (Date.now() - started > 10_000) throw new Error(`never saw "${text}":\n${strip(screen)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      mark = strip(screen).indexOf(text, mark) + 1;
    };
    try {
      await waitFor('pick one to change');
      await waitFor('quit');
      expect(strip(screen)).toMatch(/degrade\s+c2c-send\s+off/);
      child.stdin.write('\r');
      await waitFor('Turn off C2C sends');
      child.stdin.write('y\r');
      await waitFor('Reason');
      child.stdin.write('rehearsal\r');
      await waitFor('ON');
      child.stdin.write('\x1b[B'.repeat(30));
      await new Promise((r) => setTimeout(r, 100));
      child.stdin.write('\r');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const audit = await runCli(['degrade', 'audit', '--data-dir', dir, '--json']);
    expect(JSON.parse(audit.stdout).entries).toEqual([
      expect.objectContaining({
        name: 'c2c-send',
        oldValue: 0,
        newValue: 1,
        actor: 'pty-user',
        reason: 'rehearsal',
      }),
    ]);
  }, 30_000);

  it('prints the status instead when stdin is not a terminal', async () => {
    const r = await runCli(['mock', '--data-dir', dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^mock\s+payment\s+off$/m);
  });
});
