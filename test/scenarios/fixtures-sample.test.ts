import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_COMMAND, registerFixtures } from '../../src/commands/fixtures.js';
import { fixtureUser } from '../../src/fixtures/generate-users.js';
import { LOAD_USER_BASE } from '../../src/scenarios/load-users.js';
import { runCommand } from './support/run-command.js';

const SAMPLE = join(import.meta.dirname, '../../fixtures/users-1k.jsonl');

describe('the committed fixtures sample', () => {
  it('is what its README command writes, byte for byte, and gen says what it wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'redpkt-sample-'));
    try {
      const out = join(dir, 'users-1k.jsonl');
      const args = SAMPLE_COMMAND.split(' ')
        .slice(1)
        .map((w) => (w === 'fixtures/users-1k.jsonl' ? out : w));
      const run = await runCommand(registerFixtures, args);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(`wrote 1,000 users (seed sample, real-name fail rate 0.02) to ${out}\n`);
      expect(await readFile(out, 'utf8')).toBe(await readFile(SAMPLE, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never shares a uid with the users a load run generates, whatever the seeds', async () => {
    const sample = (await readFile(SAMPLE, 'utf8')).trim().split('\n');
    expect(sample).toHaveLength(1000);
    // same seed, same number: a gen user and a load user differ by their range
    expect(fixtureUser('sample', LOAD_USER_BASE).uid).not.toBe(fixtureUser('sample', 0).uid);
    expect(fixtureUser('x', LOAD_USER_BASE).uid).toMatch(/_100000000$/);
  });
});
