import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { FixtureUser } from '../fixtures/fixture-user.js';
import { fixtureUser } from '../fixtures/generate-users.js';
import { readUsers } from '../fixtures/read-users.js';
import { aggregate, exitCodeOf } from './aggregate.js';
import { startRunWatch } from './dashboard/run-watch.js';
import { createHttpClient } from './http-client.js';
import type { LoadConfig } from './load-config.js';
import { reportConfig } from './load-config.js';
import { createMetrics } from './metrics.js';
import { createMoneyCheck } from './money-check.js';
import { startProgress } from './progress.js';
import { scenarioEntry } from './registry.js';
import type { ScenarioOptions } from './registry.js';
import { renderHtml } from './render-html.js';
import { renderTable } from './render-table.js';
import type { RunResult } from './runner.js';
import type { LoadReport } from './report.js';
import { startSelfWatch } from './self-watch.js';
import type { Target } from './target.js';
import { embeddedTarget, remoteTarget } from './target.js';
import { parseThresholds } from './thresholds.js';
import { createUserPool } from './user-pool.js';

export interface LoadIo {
  stdout: Writable;
  stderr: Writable;
  /** Live progress only on a terminal. */
  isTTY: boolean;
  /** Aborted on Ctrl-C: no new iterations, running ones finish, the report is still written. */
  signal?: AbortSignal;
  /** The command line after `redpkt`, for the report's metadata (default: this process's). */
  argv?: readonly string[];
}

export interface LoadOutcome {
  report: LoadReport;
  /** 0 pass, 1 a threshold failed, 2 money mismatch. */
  exitCode: 0 | 1 | 2;
}

const ACTIVE_TIMEOUT_MS = 15_000;

/** The `redpkt load` use case: config -> target -> users -> scenario -> run -> report -> outputs. */
export async function runLoad(config: LoadConfig, io: LoadIo): Promise<LoadOutcome> {
  const entry = scenarioEntry(config.scenario);
  const options: ScenarioOptions = {
    shares: config.shares,
    claimers: config.claimers,
    seed: config.seed,
    runId: `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`,
    activeTimeoutMs: ACTIVE_TIMEOUT_MS,
    ...(config.expire ? { expire: config.expire } : {}),
  };
  // Usage errors before anything starts.
  const thresholds = parseThresholds(config.thresholds, entry.stepNames(options));
  const users = await loadUsers(config);

  const target: Target = config.target
    ? await remoteTarget(config.target, config.secret)
    : await embeddedTarget();
  const warn = (msg: string) => io.stderr.write(`redpkt: warning: ${msg}\n`);
  let report: LoadReport;
  try {
    const pool = await createUserPool(users, target.secret);
    const money = createMoneyCheck();
    const scenario = entry.build({
      users: pool,
      money,
      options,
      target: { url: target.url, secret: target.secret },
    });
    const client = createHttpClient({
      url: target.url,
      connections: config.connections,
      timeoutMs: config.timeoutMs,
    });
    // 250 ms buckets (doubling past 150 s): a run of a few seconds still gets a curve
    const metrics = createMetrics({ steps: scenario.stepNames, startMs: performance.now(), bucketMs: 250 });
    const watching = await startRunWatch({
      client,
      metrics,
      plan: {
        model: config.model,
        rampMs: config.rampMs,
        durationMs: config.durationMs,
        iterations: config.packets,
      },
      scenario: config.scenario,
      config: reportConfig(config, pool.size),
      thresholds,
      meta: {
        argv: io.argv ?? process.argv.slice(2),
        target: config.target ?? 'embedded',
        seed: config.seed,
      },
      dashboard: config.dashboard,
    });
    if (watching.url) io.stderr.write(`redpkt: live dashboard at ${watching.url}\n`);
    const watch = startSelfWatch({
      onWarn: warn,
      ...(config.target ? {} : { sharedWith: 'the embedded service' }),
    });
    const progress = startProgress({
      enabled: io.isTTY,
      stream: io.stderr,
      metrics,
      label: `load ${config.scenario}`,
    });
    let run: RunResult;
    try {
      run = await scenario.run({
        client: watching.client,
        metrics,
        live: watching.live,
        model: config.model,
        rampMs: config.rampMs,
        ...(config.packets !== undefined ? { iterations: config.packets } : {}),
        ...(config.durationMs !== undefined ? { durationMs: config.durationMs } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      });
    } catch (e) {
      await watching.close();
      throw e;
    } finally {
      progress.stop();
      await client.close();
    }
    const generator = watch.stop();
    report = await watching.finish(
      aggregate({
        scenario: config.scenario,
        config: reportConfig(config, pool.size),
        startedAt: run.startedAt,
        durationMs: run.durationMs,
        metrics,
        money: money.summary(),
        thresholds,
        generator,
      }),
    );
    if (config.html) await writeFile(config.html, renderHtml(report));
  } finally {
    await target.close();
  }
  const logged = target.logged();
  if (logged.count > 0)
    warn(`the embedded service logged ${logged.count} error(s); first: ${logged.first ?? '?'}`);

  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (config.json === '-') io.stdout.write(json);
  else {
    if (config.json) await writeFile(config.json, json);
    io.stdout.write(renderTable(report));
  }
  return { report, exitCode: exitCodeOf(report) };
}

/** The fixtures file's users (as many as the run can use), or generated ones from the seed. */
async function loadUsers(config: LoadConfig): Promise<FixtureUser[]> {
  const want = Math.max(config.claimers + 1, 5000);
  if (config.fixtures) {
    const users: FixtureUser[] = [];
    for await (const u of readUsers(config.fixtures, want)) users.push(u);
    return users;
  }
  const n = Math.max(config.claimers * 2, 200);
  return Array.from({ length: n }, (_, i) => fixtureUser(config.seed, i));
}
