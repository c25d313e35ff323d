import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadReport } from '../../src/scenarios/report.js';
import { runLoadCommand } from './support/run-command.js';

/**
 * `redpkt load b2c` end to end: the real command function on the embedded service (in process,
 * fresh temp store): rain draw -> my subsidies -> send with subsidy -> claimers -> claim list.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-load-b2c-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('redpkt load b2c on the embedded target', () => {
  it('draws, lists, sends with the subsidy, claims and lists; the money adds up and counts add up', async () => {
    const json = join(dir, 'b2c.json');
    const run = await runLoadCommand([
      'b2c',
      ...['--packets', '5', '--shares', '4', '--claimers', '6', '--concurrency', '2', '--seed', 'b2c-e2e'],
      ...['--json', json, '--threshold', 'send.errors<1', '--threshold', 'claim.errors.INTERNAL==0'],
    ]);
    expect(run.errorMessage).toBeUndefined();
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as LoadReport;
    const step = (name: string) => report.steps.find((s) => s.name === name);
    for (const name of ['draw', 'subsidies', 'send', 'claim-list', 'flow']) {
      expect(step(name)).toMatchObject({ count: 5, ok: 5, errors: {} });
    }
    // 6 claimers race for 4 shares on each of 5 packets: 20 get a share, 10 are told it is gone
    const claim = step('claim')!;
    // expected outcomes (the packet is gone, a 429 retried), not failures
    const limited = claim.outcomes.RATE_LIMITED ?? 0;
    expect(claim).toMatchObject({ count: 30 + limited, ok: 20, errors: {} });
    expect(claim.outcomes.PACKET_EXHAUSTED).toBe(10);
    expect(report.money).toEqual({ packets: 5, checked: 5, mismatches: [] });
    // the two given, then the default checks: no flow failed, some flow completed
    expect(report.thresholds.map((t) => [t.expr, t.ok])).toEqual([
      ['send.errors<1', true],
      ['claim.errors.INTERNAL==0', true],
      ['flow.errors==0', true],
      ['flow.ok>0', true],
    ]);
  });
});
