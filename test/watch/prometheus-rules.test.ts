/** deploy/prometheus/redpkt-rules.yml: valid for promtool, and every alert's unit tests pass. */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireTool } from './support/require-tool.js';

const run = promisify(execFile);
const DIR = join(import.meta.dirname, '../../deploy/prometheus');
const promtool = requireTool('/usr/bin/promtool', 'prometheus');

async function promtoolRun(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(promtool!, args, { cwd: DIR, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe.skipIf(!promtool)('the Prometheus alert rules', () => {
  it('pass promtool check rules', async () => {
    const r = await promtoolRun('check', 'rules', 'redpkt-rules.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('pass their promtool unit tests', async () => {
    const r = await promtoolRun('test', 'rules', 'redpkt-rules.test.yml');
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('have a test that fires and one that stays quiet for every alert', async () => {
    const rules = await readFile(join(DIR, 'redpkt-rules.yml'), 'utf8');
    const tests = await readFile(join(DIR, 'redpkt-rules.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map((m) => m[1]!);
    expect(alerts.length).toBe(9);
    // each alert_rule_test entry: its alertname, then exp_alerts empty ([]) or not
    const checks = [...tests.matchAll(/alertname: (\w+)\n\s+exp_alerts:( \[\])?/g)].map((m) => ({
      name: m[1]!,
      fires: m[2] === undefined,
    }));
    for (const a of alerts) {
      expect(
        checks.some((c) => c.name === a && c.fires),
        `${a} fires somewhere`,
      ).toBe(true);
      expect(
        checks.some((c) => c.name === a && !c.fires),
        `${a} stays quiet somewhere`,
      ).toBe(true);
    }
  });
});
