/**
 * Issue 5: `redpkt fixtures gen` + `redpkt fixtures load` end to end: the built binary against a
 * real `redpkt serve` (embedded SQLite), balances read back over HTTP in the shadow lane (the same
 * `x-redpkt-shadow: 1` header the loader sends), and a load run that pays with the installed money.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFixtures } from '../../src/commands/fixtures.js';
import { createFinanceAdminClient } from '../../src/finance/admin-client.js';
import type { FinanceAdminClient } from '../../src/finance/admin-client.js';
import { createFinanceClient } from '../../src/finance/client.js';
import type { FinanceClient } from '../../src/finance/client.js';
import type { GeneratedUser } from '../../src/fixtures/fixture-user.js';
import { SHADOW_HEADERS } from '../../src/domain/ids.js';
import type { LoadFixturesSummary } from '../../src/fixtures/load-fixtures.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import type { LoadReport } from '../../src/scenarios/report.js';
import { runCommand, runLoadCommand } from '../scenarios/support/run-command.js';
import { BIN, startServe } from '../support/serve-process.js';
import type { ServeProcess } from '../support/serve-process.js';

const SECRET = 'fixtures-load-cli-secret-0123456789';
const ENV = { ...process.env, REDPKT_MYSQL: undefined, REDPKT_REDIS: undefined, REDPKT_SECRET: undefined };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function redpkt(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The same command function in this process (no spawn: a spawned CLI costs seconds on a busy
 * machine); `code` is the exit code the CLI maps it to (0, 1 conflicts; errors by their code).
 */
async function inProcess(args: string[]): Promise<Run & { error?: string }> {
  const r = await runCommand(registerFixtures, args);
  return r.errorCode === undefined
    ? { code: r.exitCode, stdout: r.stdout, stderr: r.stderr }
    : { code: null, stdout: r.stdout, stderr: `${r.errorCode}: ${r.errorMessage}`, error: r.errorCode };
}

const readLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as GeneratedUser);
const jsonl = (rows: readonly object[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

describe('redpkt fixtures load', () => {
  let dir: string;
  let serve: ServeProcess;
  let shadow: FinanceClient;
  let shadowAdmin: FinanceAdminClient;
  let real: FinanceClient;
  let users: GeneratedUser[];
  const usersFile = () => join(dir, 'users.jsonl');
  const loadArgs = (file: string, extra: string[]) => [
    ...['fixtures', 'load', file, '--target', serve.url, '--secret', SECRET],
    ...extra,
  ];
  const load = (file: string, ...extra: string[]) => redpkt(loadArgs(file, extra));
  const loadHere = (file: string, ...extra: string[]) => inProcess(loadArgs(file, extra));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-fixtures-load-'));
    serve = await startServe(
      ['--port', '0', '--data-dir', join(dir, 'data'), '--secret', SECRET, '--log-level', 'error'],
      ENV,
    );
    const signing = { baseUrl: serve.url, secret: financeSignSecret(SECRET) };
    shadow = createFinanceClient({ ...signing, headers: SHADOW_HEADERS });
    shadowAdmin = createFinanceAdminClient({ ...signing, headers: SHADOW_HEADERS });
    real = createFinanceClient(signing);
    const gen = await redpkt([
      'fixtures',
      'gen',
      '--users',
      '2000',
      '--seed',
      'cli-load',
      '--out',
      usersFile(),
    ]);
    expect(gen.code).toBe(0);
    users = await readLines(usersFile());
  }, 60_000);

  afterAll(async () => {
    await shadow?.close();
    await shadowAdmin?.close();
    await real?.close();
    await serve?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('installs 2,000 generated users into the shadow finance with their balances; a replay changes nothing', async () => {
    const first = await load(usersFile(), '--json');
    expect([first.code, first.stderr]).toEqual([0, '']);
    const summary = JSON.parse(first.stdout) as LoadFixturesSummary;
    expect(summary).toMatchObject({ users: 2000, batches: 2, installed: 2000, unchanged: 0, conflicts: 0 });
    expect(summary.durationMs).toBeGreaterThan(0);

    for (const u of [users[0], users[1], users[999], users[1000], users[1999]]) {
      if (!u) throw new Error('missing user');
      expect((await shadow.getAccount(`user:${u.uid}`))?.balance).toBe(u.balance);
      expect(await shadowAdmin.realname(u.uid)).toBe(u.realname);
      expect(await real.getAccount(`user:${u.uid}`)).toBeNull(); // real books never see them
    }
    const failing = users.find((u) => u.realname === 'fail');
    expect(failing && (await shadowAdmin.realname(failing.uid))).toBe('fail');
    const books = await shadowAdmin.books();
    expect([books.ledgerTotal, books.balanceTotal, books.mismatched]).toEqual([0, 0, []]);

    const replay = await loadHere(usersFile());
    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/installed 0 · unchanged 2,000 · conflicts 0 \(2,000 users, 2 batches/);
    const after = await shadowAdmin.books();
    expect([after.entries, after.accounts, after.ledgerTotal, after.mismatched]).toEqual([
      books.entries,
      books.accounts,
      0,
      [],
    ]);
  }, 60_000);

  it('reports a changed balance as a conflict with exit 1 and leaves the account as installed', async () => {
    const [a, b] = users;
    if (!a || !b) throw new Error('missing users');
    const file = join(dir, 'changed.jsonl');
    await writeFile(file, jsonl([{ ...a, balance: a.balance + 100 }, b]));
    const run = await loadHere(file, '--json');
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout) as LoadFixturesSummary;
    expect(summary).toMatchObject({ users: 2, installed: 0, unchanged: 1, conflicts: 1 });
    expect(summary.firstConflicts).toEqual([
      expect.objectContaining({ uid: a.uid, code: 'IDEMPOTENCY_CONFLICT', field: 'balance' }),
    ]);
    expect((await shadow.getAccount(`user:${a.uid}`))?.balance).toBe(a.balance);
    const human = await load(file);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(`conflict: user ${a.uid}: installed with balance ${a.balance} fen`);
  }, 60_000);

  it('refuses a bad line with exit 3 and its line number before installing anyone', async () => {
    const fresh = (i: number) => ({ uid: `bad-file-${i}`, balance: 100 * i, realname: 'ok' });
    const file = join(dir, 'bad.jsonl');
    await writeFile(file, `${jsonl([fresh(1), fresh(2), fresh(3)])}{"uid":"bad-file-4","balance":-5}\n`);
    const run = await load(file);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/bad\.jsonl:4: balance/);
    expect(await shadow.getAccount('user:bad-file-1')).toBeNull();
    await writeFile(file, `${jsonl([fresh(1)])}\n{"uid":"bad-file-2"}\n`);
    const noBalance = await loadHere(file);
    expect([noBalance.error, noBalance.stderr]).toEqual([
      'USAGE',
      expect.stringMatching(/bad\.jsonl:3: balance/),
    ]);
    await writeFile(file, `${jsonl([fresh(1)])}not json\n`);
    expect((await loadHere(file)).stderr).toMatch(/bad\.jsonl:2: not JSON/);
    expect((await loadHere(join(dir, 'no-such.jsonl'))).stderr).toMatch(/USAGE: no fixtures file/);
    expect((await loadHere(file, '--batch', '1001')).error).toBe('USAGE');
    expect(await shadow.getAccount('user:bad-file-1')).toBeNull();
  }, 60_000);

  it('exits 4 when the target does not answer and refuses a wrong secret as a usage error (3)', async () => {
    const unreachable = await redpkt([
      ...['fixtures', 'load', usersFile(), '--target', 'http://127.0.0.1:9', '--secret', SECRET],
    ]);
    expect([unreachable.code, unreachable.stderr]).toEqual([4, expect.stringMatching(/not answering/)]);
    const wrong = await loadHere(usersFile(), '--secret', 'not-the-service-secret-at-all');
    expect([wrong.error, wrong.stderr]).toEqual(['USAGE', expect.stringMatching(/refused the signature/)]);
  }, 60_000);

  it('makes `redpkt load c2c --fixtures` pay with the installed balances', async () => {
    // The same users with no money: every payment at the cashier is refused.
    const broke = join(dir, 'broke.jsonl');
    await writeFile(
      broke,
      jsonl(Array.from({ length: 10 }, (_, i) => ({ uid: `broke-${i}`, balance: 0, realname: 'ok' }))),
    );
    expect((await loadHere(broke)).code).toBe(0);
    const poor = await runLoadCommand([
      'c2c',
      ...['--target', serve.url, '--secret', SECRET, '--fixtures', broke],
      ...['--packets', '2', '--shares', '2', '--claimers', '3', '--concurrency', '1', '--json', '-'],
    ]);
    const poorReport = JSON.parse(poor.stdout) as LoadReport;
    expect(poorReport.steps.find((s) => s.name === 'pay')).toMatchObject({
      ok: 0,
      errors: { INSUFFICIENT_BALANCE: 2 },
    });

    const rich = await runLoadCommand([
      'c2c',
      ...['--target', serve.url, '--secret', SECRET, '--fixtures', usersFile()],
      ...['--packets', '2', '--shares', '2', '--claimers', '3', '--concurrency', '1', '--json', '-'],
    ]);
    const richReport = JSON.parse(rich.stdout) as LoadReport;
    expect(richReport.steps.find((s) => s.name === 'pay')).toMatchObject({ ok: 2, errors: {} });
    expect(richReport.money).toMatchObject({ packets: 2, mismatches: [] });
    const books = await shadowAdmin.books();
    expect([books.ledgerTotal, books.balanceTotal, books.mismatched]).toEqual([0, 0, []]);
  }, 60_000);
});
