/**
 * `npm run bench:startup` (issue 17, item 14): how long the `redpkt` binary takes to start, for
 * `--version`, `--help` and `token`, the commands a hand session runs between curls. Each command
 * runs --runs times (default 9) under /usr/bin/time, alternating with the --baseline binary when
 * one is given (a copy of an older `dist/` with its package.json and node_modules beside it), so
 * both are measured in the same run on the same (noisy) machine. Reports the median wall time and
 * the median CPU time (user + system) of each, and current/baseline as a ratio. Linux only (GNU
 * time). Writes --out (JSON).
 * Flags: --bin dist/bin/redpkt.js, --baseline <dir>, --runs 9, --out bench/results/cli-startup.json
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    bin: { type: 'string', default: 'dist/bin/redpkt.js' },
    baseline: { type: 'string' },
    runs: { type: 'string', default: '9' },
    out: { type: 'string', default: 'bench/results/cli-startup.json' },
  },
});
const runs = Number(values.runs);
const work = mkdtempSync(join(tmpdir(), 'redpkt-startup-'));
const SECRET = 'bench-startup-secret-0123456789';

const COMMANDS: Record<string, string[]> = {
  '--version': ['--version'],
  '--help': ['--help'],
  token: ['token', '--uid', 'alice', '--secret', SECRET],
};

interface Sample {
  wallS: number;
  cpuS: number;
}

function once(bin: string, args: string[]): Sample {
  const timing = join(work, 'time.txt');
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', '%e %U %S', '-o', timing, process.execPath, '--max-semi-space-size=64', bin, ...args],
    { encoding: 'utf8', cwd: work },
  );
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [wall, user, sys] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallS: wall!, cpuS: user! + sys! };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const bins: Record<string, string> = { current: resolve(values.bin) };
if (values.baseline) bins.baseline = resolve(values.baseline, 'dist/bin/redpkt.js');

const results: Record<string, Record<string, { wallS: number; cpuS: number }>> = {};
try {
  for (const [name, args] of Object.entries(COMMANDS)) {
    const samples: Record<string, Sample[]> = {};
    for (let i = 0; i < runs; i++)
      for (const [which, bin] of Object.entries(bins)) (samples[which] ??= []).push(once(bin, args));
    results[name] = Object.fromEntries(
      Object.entries(samples).map(([which, s]) => [
        which,
        { wallS: median(s.map((x) => x.wallS)), cpuS: median(s.map((x) => x.cpuS)) },
      ]),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const lines = [`runs per command: ${runs}, medians (wall s / CPU s)`];
for (const [name, r] of Object.entries(results)) {
  const cur = r.current!;
  const base = r.baseline;
  lines.push(
    `${name.padEnd(10)} current ${cur.wallS.toFixed(2)} / ${cur.cpuS.toFixed(2)}` +
      (base
        ? `   baseline ${base.wallS.toFixed(2)} / ${base.cpuS.toFixed(2)}   ratio ${(cur.wallS / base.wallS).toFixed(2)} / ${(cur.cpuS / base.cpuS).toFixed(2)}`
        : ''),
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify({ runs, at: new Date().toISOString(), results }, null, 2)}\n`);
