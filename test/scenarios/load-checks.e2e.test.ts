import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveAdminKey } from '../../src/auth/admin-key.js';
import { LOAD_EXAMPLES } from '../../src/commands/load.js';
import { startService } from '../../src/runtime/start-service.js';
import type { LoadReport } from '../../src/scenarios/report.js';
import { createHttpControl } from '../../src/switches/control/http-control.js';
import { runLoadCommand } from './support/run-command.js';

/**
 * Issue 17 (items 4, 5, 10): a run that tested nothing never passes, expected outcomes are not
 * failures, `load --help`'s examples pass on a healthy target, and the secret comes from the data
 * dir as for the other commands. One running service (in process), small runs.
 */
const SECRET = 'load-checks-secret-0123456789';
let dir: string;
let service: Awaited<ReturnType<typeof startService>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-load-checks-'));
  service = await startService(
    { port: 0, host: '127.0.0.1', dataDir: join(dir, 'svc'), mysql: [], redis: undefined, secret: SECRET },
    { log: () => {} },
  );
  // a data dir holding the service's secret, as `redpkt serve --data-dir` leaves it
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'secret'), `${SECRET}\n`);
});
afterAll(async () => {
  await service?.close();
  await rm(dir, { recursive: true, force: true });
});

const SMALL = ['--packets', '3', '--shares', '2', '--claimers', '3', '--concurrency', '1'];

/** The help's example as arguments (quotes removed), with the target and secret this test has. */
function exampleArgs(example: string): string[] {
  const words = example.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
  return words.slice(2).map((w) => (w === 'http://127.0.0.1:8080' ? service.url : w));
}

describe('a load run keeps its word', () => {
  it('refuses a secret the target does not accept before the run, with the message fixtures load gives', async () => {
    const run = await runLoadCommand(['c2c', '--target', service.url, '--secret', 'w'.repeat(20), ...SMALL]);
    expect(run.errorCode).toBe('USAGE');
    expect(run.errorMessage).toBe('the target refused the signature: is --secret the service secret?');
  });

  it('reads the secret from --data-dir, and says which target it ran against', async () => {
    const data = join(dir, 'data');
    const run = await runLoadCommand(['c2c', '--target', service.url, '--data-dir', data, ...SMALL]);
    expect(run.errorMessage).toBeUndefined();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`target: ${service.url}`);
  });

  it('fails a run whose claims were all refused for a reason that is not an outcome (DEGRADED), with its message', async () => {
    const control = createHttpControl(service.url, deriveAdminKey(SECRET));
    await control.set({ kind: 'degrade', name: 'claim', value: 1, actor: 'test', reason: null });
    try {
      const json = join(dir, 'degraded.json');
      const run = await runLoadCommand([
        'c2c',
        '--target',
        service.url,
        '--secret',
        SECRET,
        ...SMALL,
        '--json',
        json,
      ]);
      expect(run.exitCode).toBe(1);
      const report = JSON.parse(await readFile(json, 'utf8')) as LoadReport;
      const claim = report.steps.find((s) => s.name === 'claim')!;
      const flow = report.steps.find((s) => s.name === 'flow')!;
      expect(claim).toMatchObject({ ok: 0, errors: { DEGRADED: 9 } });
      expect(claim.messages.DEGRADED).toEqual(expect.any(String));
      expect(flow).toMatchObject({ count: 3, ok: 0, errors: { DEGRADED: 3 } });
      expect(report.thresholds).toEqual([
        { expr: 'flow.errors==0', ok: false, actual: 3, default: true },
        { expr: 'flow.ok>0', ok: false, actual: 0, default: true },
      ]);
      expect(run.stdout).toContain('check FAIL: flow.ok>0');
      expect(run.stdout).toMatch(/claim DEGRADED: \S/);
      // a given threshold on the flow's failures replaces the default one; flow.ok>0 stays
      const lenient = await runLoadCommand([
        'c2c',
        ...['--target', service.url, '--secret', SECRET, ...SMALL, '--threshold', 'flow.error_rate<=100%'],
      ]);
      expect(lenient.exitCode).toBe(1);
      expect(lenient.stdout).toContain('threshold pass: flow.error_rate<=100%');
    } finally {
      await control.set({ kind: 'degrade', name: 'claim', value: 0, actor: 'test', reason: null });
    }
  });

  it("passes the help's own examples on a healthy target", { timeout: 120_000 }, async () => {
    for (const example of LOAD_EXAMPLES) {
      const args = exampleArgs(example).map((w) =>
        w === 'run.json' ? join(dir, 'run.json') : w === '.redpkt' ? join(dir, 'data') : w,
      );
      const run = await runLoadCommand(args);
      expect(run.errorMessage).toBeUndefined();
      expect(
        run.exitCode,
        `${example}
${run.stdout}`,
      ).toBe(0);
    }
  });
});
