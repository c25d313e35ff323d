/**
 * What a circulated report says about where it came from: redpkt's version and commit, the host,
 * Node, the command line, the target and the seed. The commit is asked of git in redpkt's own
 * folder (null when it is not a checkout, e.g. an npm install).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname, cpus } from 'node:os';
import { dirname, join } from 'node:path';

export interface RunMeta {
  redpktVersion: string | null;
  commit: string | null;
  host: string;
  cpus: number;
  node: string;
  platform: string;
  /** The command line after `redpkt`. */
  argv: string[];
  scenario: string;
  target: string;
  seed: string;
  startedAt: string;
}

export function runMeta(input: {
  argv: readonly string[];
  scenario: string;
  target: string;
  seed: string;
  startedAt: Date;
}): RunMeta {
  const root = packageRoot(import.meta.dirname);
  return {
    redpktVersion: root ? versionAt(root) : null,
    commit: root ? commitAt(root) : null,
    host: hostname(),
    cpus: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    argv: [...input.argv],
    scenario: input.scenario,
    target: input.target,
    seed: input.seed,
    startedAt: input.startedAt.toISOString(),
  };
}

function packageRoot(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && versionAt(dir) !== null) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function versionAt(dir: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    return pkg.name === 'redpkt' && typeof pkg.version === 'string' ? pkg.version : null;
  } catch {
    return null;
  }
}

function commitAt(dir: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: dir,
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const sha = out.toString().trim();
    return /^[0-9a-f]{7,40}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}
