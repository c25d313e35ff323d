import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFixtures } from '../../src/commands/fixtures.js';
import { isRedpktError } from '../../src/domain/errors.js';
import { FixtureUserSchema } from '../../src/fixtures/fixture-user.js';
import { generateUsers } from '../../src/fixtures/generate-users.js';
import { isValidIdCard } from '../../src/fixtures/id-card.js';
import { readUsers } from '../../src/fixtures/read-users.js';
import { writeUsers } from '../../src/fixtures/write-users.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-fixtures-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function gen(args: string[]): Promise<void> {
  const program = new Command().exitOverride();
  registerFixtures(program);
  await program.parseAsync(['fixtures', 'gen', ...args], { from: 'user' });
}

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('redpkt fixtures gen', () => {
  it('writes the same bytes for the same seed, and other users for another seed', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const c = join(dir, 'c.jsonl');
    await gen(['--users', '2000', '--seed', 's1', '--out', a]);
    await gen(['--users', '2000', '--seed', 's1', '--out', b]);
    await gen(['--users', '2000', '--seed', 's2', '--out', c]);
    expect(await sha(a)).toBe(await sha(b));
    expect(await sha(a)).not.toBe(await sha(c));
    const first = JSON.parse((await readFile(a, 'utf8')).split('\n')[0]!);
    const firstOther = JSON.parse((await readFile(c, 'utf8')).split('\n')[0]!);
    expect(first.uid).not.toBe(firstOther.uid);
  });

  it('writes users with a uid, a mocked name, a valid ID card, a real-name outcome at the asked rate and a balance in fen', async () => {
    const users = [...generateUsers({ count: 10_000, seed: 'shape', realnameFailRate: 0.1 })];
    expect(new Set(users.map((u) => u.uid)).size).toBe(10_000);
    for (const u of users) {
      expect(FixtureUserSchema.parse(u)).toEqual(u);
      expect(isValidIdCard(u.idCard)).toBe(true);
      expect(u.name).toMatch(/^\p{Script=Han}{2,5}$/u);
      expect(Number.isSafeInteger(u.balance) && u.balance > 0).toBe(true);
      expect(u.shadow).toBe(true);
    }
    const fails = users.filter((u) => u.realname === 'fail').length / users.length;
    expect(fails).toBeGreaterThan(0.08);
    expect(fails).toBeLessThan(0.12);
  });

  it('streams: users come one at a time, and the writer waits for a slow reader (backpressure)', async () => {
    // A billion users: only what is pulled is ever made.
    const it = generateUsers({ count: 1_000_000_000, seed: 'lazy', realnameFailRate: 0.02 });
    const firstThree = [it.next().value, it.next().value, it.next().value];
    expect(firstThree.map((u) => u?.uid.slice(-3))).toEqual(['000', '001', '002']);

    let chunks = 0;
    let bytes = 0;
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        chunks++;
        bytes += chunk.length;
        setImmediate(done);
      },
    });
    const watch = setInterval(() => (maxBuffered = Math.max(maxBuffered, slow.writableLength)), 1);
    await writeUsers({ count: 20_000, seed: 'lazy', realnameFailRate: 0.02 }, slow);
    clearInterval(watch);
    expect(chunks).toBeGreaterThan(10);
    expect(bytes).toBeGreaterThan(2_000_000);
    // Never more than a couple of batches waiting in memory, not the whole 2+ MB.
    expect(maxBuffered).toBeLessThan(256 * 1024);
  });

  it('writes 100,000 users in under a minute, and they read back line by line', async () => {
    const file = join(dir, 'big.jsonl');
    const t = performance.now();
    await gen(['--users', '100000', '--seed', 'big', '--out', file]);
    const took = performance.now() - t;
    // the promise made to users (a few seconds on a quiet machine; a busy CI host is slower)
    expect(took).toBeLessThan(60_000);
    let lines = 0;
    for await (const _ of createInterface({ input: createReadStream(file) })) lines++;
    expect(lines).toBe(100_000);
    let n = 0;
    for await (const u of readUsers(file, 50)) {
      expect(isValidIdCard(u.idCard!)).toBe(true);
      n++;
    }
    expect(n).toBe(50);
  }, 120_000);

  it('refuses bad flags and a missing fixtures file as usage errors', async () => {
    const code = async (args: string[]) => {
      const program = new Command().exitOverride();
      registerFixtures(program);
      try {
        await program.parseAsync(args, { from: 'user' });
      } catch (e) {
        if (isRedpktError(e)) return e.code;
        throw e;
      }
      return 'OK';
    };
    expect(await code(['fixtures', 'gen', '--users', 'lots'])).toBe('USAGE');
    expect(await code(['fixtures', 'gen', '--users', '10', '--realname-fail-rate', '2'])).toBe('USAGE');
    const load = [
      'fixtures',
      'load',
      'x.jsonl',
      '--target',
      'http://127.0.0.1:1',
      '--secret',
      's'.repeat(16),
    ];
    expect(await code(load)).toBe('USAGE'); // no such file (issue 5: fixtures load is built)
  });

  it('reads a hand-written fixtures file with tokens, and rejects a bad line with its line number', async () => {
    const ok = join(dir, 'hand.jsonl');
    await writeFile(ok, '{"uid":"alice","token":"t1"}\n\n{"uid":"bob"}\n');
    const users = [];
    for await (const u of readUsers(ok)) users.push(u);
    expect(users).toEqual([{ uid: 'alice', token: 't1' }, { uid: 'bob' }]);
    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"uid":"alice"}\n{"uid":"no spaces"}\n');
    await expect(async () => {
      for await (const _ of readUsers(bad)) void _;
    }).rejects.toThrow(/bad\.jsonl:2/);
  });
});
