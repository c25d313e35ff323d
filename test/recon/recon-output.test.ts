/**
 * Issue 17 items 7–8 through the built binary: recon's output into a pipe has no ANSI colour, and
 * a window not over yet (`--date 2030-01-01`) is reported, stored and listed as provisional.
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyDataDir } from './empty-stores.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../dist/bin/redpkt.js');

async function redpkt(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('redpkt recon output in a pipe', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await emptyDataDir('redpkt-recon-out-');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes no colour escapes, and marks a window not over yet as provisional', async () => {
    const r = await redpkt(['recon', '--date', '2030-01-01', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).toContain('PROVISIONAL: the window is not over until 2030-01-01T16:15:00.000Z');
    expect(r.stdout).toContain('CLEAN so far');
    const list = await redpkt(['recon', 'list', '--data-dir', dir], { NO_COLOR: '1' });
    expect(list.stdout).not.toContain('\x1b[');
    expect(list.stdout).toContain('provisional (clean so far)');
  });

  it('shows examples in its help', async () => {
    for (const sub of [['export'], ['sql']]) {
      const help = await redpkt(['recon', ...sub, '--help']);
      expect([sub, help.stdout]).toEqual([sub, expect.stringContaining('Examples:')]);
    }
  });
});
