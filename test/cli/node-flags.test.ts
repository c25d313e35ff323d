import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../src/runtime/node-flags.js';

const root = join(import.meta.dirname, '../..');
const firstLine = async (path: string) => (await readFile(join(root, path), 'utf8')).split('\n')[0];

describe('the binary starts Node with its V8 flags', () => {
  it('names NODE_FLAGS in the shebang of the source and of the built binary', async () => {
    const shebang = `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`;
    expect(await firstLine('bin/redpkt.ts')).toBe(shebang);
    expect(await firstLine('dist/bin/redpkt.js')).toBe(shebang);
  });

  it('gives the young generation room beyond Node defaults (16 MiB semi-spaces, 32 MiB in all)', async () => {
    // allocate short-lived objects until the young generation has grown as far as it may
    const script = `
      const v8 = require('node:v8');
      let keep = [];
      for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []; }
      const young = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
      console.log(young.space_size);`;
    const run = promisify(execFile);
    const youngMiB = async (flags: readonly string[]) =>
      Number(
        (await run(process.execPath, [...flags, '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } }))
          .stdout,
      ) /
      2 ** 20;
    expect(await youngMiB([])).toBeLessThanOrEqual(32);
    expect(await youngMiB(NODE_FLAGS)).toBeGreaterThan(64);
  });
});
