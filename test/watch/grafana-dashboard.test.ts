/**
 * deploy/grafana/redpkt-dashboard.json against what a real `redpkt serve` (and a gateway in front
 * of it) exports: every panel query names only metrics and labels the processes really have.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/auth/tokens.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { parseExposition, unknownNames, type Exported } from './support/exposition.js';
import { promqlNames } from './support/promql-names.js';

const SECRET = 'watch-dashboard-secret-0123456789';
const ENV = {
  ...process.env,
  REDPKT_MYSQL: undefined,
  REDPKT_REDIS: undefined,
  REDPKT_ADMIN_KEY: undefined,
  REDPKT_SECRET: undefined,
};
const DASHBOARD = join(import.meta.dirname, '../../deploy/grafana/redpkt-dashboard.json');
const RULES = join(import.meta.dirname, '../../deploy/prometheus/redpkt-rules.yml');

/** The rules file's `record:` names and `expr:` texts (one-line or `|` blocks). */
function rulesOf(text: string): { records: Set<string>; exprs: string[] } {
  const records = new Set([...text.matchAll(/^\s+- record: (\S+)$/gm)].map((m) => m[1]!));
  const exprs: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const m = /^(\s+)expr: (.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== '|') return void exprs.push(m[2]!);
    const block: string[] = [];
    for (
      let j = i + 1;
      j < lines.length &&
      /^\s*$|^\s{5,}/.test(lines[j]!) &&
      (lines[j]!.match(/^\s*/)![0].length > m[1]!.length || lines[j]!.trim() === '');
      j++
    )
      block.push(lines[j]!);
    exprs.push(block.join('\n'));
  });
  return { records, exprs };
}

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

async function panels(): Promise<Panel[]> {
  const d = JSON.parse(await readFile(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
}

describe('the promql tokenizer', () => {
  it('tells metrics from functions, labels, strings, ranges and variables', () => {
    const n = promqlNames(
      'histogram_quantile(0.99, sum by (le, op) (rate(a_bucket{job=~"$job",x!="b{c}"}[$__rate_interval]))) / on (op) group_left b > bool 0 or vector(1)',
    );
    expect([...n.metrics]).toEqual(['a_bucket', 'b']);
    expect([...n.matcherLabels.get('a_bucket')!]).toEqual(['job', 'x']);
    expect([...n.groupingLabels]).toEqual(['le', 'op']);
  });
});

describe('the Grafana dashboard', () => {
  const procs: ServeProcess[] = [];
  let dir = '';
  let exported: Exported;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-watch-'));
    const serve = await startServe(
      ['--port', '0', '--data-dir', dir, '--secret', SECRET, '--log-level', 'warn'],
      ENV,
    );
    procs.push(serve);
    const gateway = await startServe(
      ['--role', 'gateway', '--core', serve.url, '--secret', SECRET, '--port', '0'],
      ENV,
    );
    procs.push(gateway);
    // traffic that gives every series the panels read a sample: a create (finance call, outbox
    // task), claims refused by the per-packet limiter (an unpaid packet of 1 share, which the
    // service learnt at the send; a gateway admits a packet it does not know), a shadow request
    const auth = { authorization: `Bearer ${await issueToken(SECRET, 'watch-sender')}` };
    const created = await fetch(`${serve.url}/v1/c2c/packets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ outOrderNo: 'w1', totalAmount: 100, totalCount: 1, splitMode: 'random' }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { packetId } = (await created.json()) as { packetId: string };
    const claims = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const token = await issueToken(SECRET, `watch-c${i}`);
        const r = await fetch(`${i === 0 ? gateway.url : serve.url}/v1/packets/${packetId}/claims`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        return r.status;
      }),
    );
    expect(claims).toContain(429);
    await fetch(`${serve.url}/healthz`, { headers: { 'x-redpkt-shadow': '1' } });
    exported = parseExposition(await (await fetch(`${gateway.url}/metrics`)).text());
    // the row counts are read at most once a second: wait for the outbox's
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text = await (await fetch(`${serve.url}/metrics`)).text();
      if (/^redpkt_outbox_tasks\{/m.test(text)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    parseExposition(text, exported);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  it('has the panels the issue lists, each with a query', async () => {
    const list = await panels();
    expect(list.length).toBeGreaterThanOrEqual(20);
    for (const p of list) expect(p.targets?.length, p.title).toBeGreaterThan(0);
    const text = JSON.stringify(list);
    for (const metric of [
      'redpkt_outbox_oldest_due_age_seconds',
      'redpkt_gateway_core_up',
      'redpkt_lane_requests_total',
      'redpkt_dependency_call_duration_seconds_bucket',
      'redpkt_nodejs_eventloop_lag_p99_seconds',
    ])
      expect(text).toContain(metric);
  });

  it('names only metrics and labels a real serve and gateway export', async () => {
    const problems: string[] = [];
    for (const p of await panels())
      for (const t of p.targets ?? [])
        for (const problem of unknownNames(promqlNames(t.expr), exported))
          problems.push(`${p.title}: ${problem}`);
    expect(problems).toEqual([]);
  });

  it('the alert rules name only metrics and labels they export (or record)', async () => {
    const { records, exprs } = rulesOf(await readFile(RULES, 'utf8'));
    expect(exprs.length).toBeGreaterThanOrEqual(13);
    const withRecords: Exported = {
      ...exported,
      names: new Set([...exported.names, ...records]),
      labels: new Map([...exported.labels, ...[...records].map((r) => [r, new Set(['job'])] as const)]),
    };
    const problems = exprs.flatMap((e) => unknownNames(promqlNames(e), withRecords).map((p) => `${e}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('its job variable reads an exported metric', async () => {
    const d = JSON.parse(await readFile(DASHBOARD, 'utf8')) as {
      templating: { list: { name: string; definition?: string }[] };
    };
    const job = d.templating.list.find((v) => v.name === 'job');
    const metric = /label_values\((\w+),/.exec(job?.definition ?? '')?.[1];
    expect(metric && exported.names.has(metric)).toBe(true);
  });
});
