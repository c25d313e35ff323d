import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import { emptyDataDir } from './empty-stores.js';

describe('redpkt recon on the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await emptyDataDir('redpkt-recon-cli-');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((t) => ((out += String(t)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((t) => ((err += String(t)), true));
    try {
      process.exitCode = undefined;
      const code = await main(['node', 'redpkt', ...args]);
      return { code, out, err };
    } finally {
      process.exitCode = undefined;
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('exits 3 on a missing or impossible date, hour, zone, type or cut-off', async () => {
    for (const args of [
      [],
      ['--date', '2026-02-30'],
      ['--date', '2026-02-11', '--hour', '24'],
      ['--date', '2026-02-11', '--tz', 'Mars/Olympus'],
      ['--date', '2026-02-11', '--type', 'p2p'],
      ['--date', '2026-02-11', '--cutoff', 'soon'],
    ]) {
      const r = await run(['recon', ...args, '--data-dir', dir]);
      expect([args, r.code]).toEqual([args, 3]);
    }
  });

  it('exits 4 when there is no packet store to read', async () => {
    const r = await run(['recon', '--date', '2026-02-11', '--data-dir', join(dir, 'nowhere')]);
    expect(r.code).toBe(4);
  });

  it('reconciles an empty day cleanly (exit 0), prints the summary table and lists it in the history', async () => {
    const r = await run(['recon', '--date', '2026-02-11', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/matched/);
    expect(r.out).toMatch(/CLEAN/);
    const hourly = await run(['recon', '--date', '2026-02-11', '--hour', '20', '--data-dir', dir, '--json']);
    expect(hourly.code).toBe(0);
    expect(JSON.parse(hourly.out)).toMatchObject({ type: 'b2c', window: { hour: 20 }, clean: true });
    const list = await run(['recon', 'list', '--data-dir', dir]);
    const listed = await run(['recon', 'list', '--json', '--data-dir', dir, '--limit', '1']);
    expect(JSON.parse(listed.out)).toHaveLength(1);
    expect(list.code).toBe(0);
    expect(list.out).toContain('2026-02-11@Asia/Shanghai');
    expect(list.out).toContain('2026-02-11T20@Asia/Shanghai');
  });
});
