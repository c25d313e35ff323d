import type { Writable } from 'node:stream';
import { RedpktError } from '../domain/errors.js';
import { createRng } from '../fixtures/rng.js';
import { readDataDirSecret } from '../fixtures/data-dir-secret.js';
import { aggregate, exitCodeOf, timelineOf } from './aggregate.js';
import type { HttpClient } from './http-client.js';
import { startRunWatch } from './dashboard/run-watch.js';
import { createHttpClient } from './http-client.js';
import type { LoadConfig } from './load-config.js';
import { reportConfig } from './load-config.js';
import { loadUsers } from './load-users.js';
import { createMetrics } from './metrics.js';
import { createMoneyCheck } from './money-check.js';
import { startProgress } from './progress.js';
import { scenarioEntry } from './registry.js';
import type { ScenarioOptions } from './registry.js';
import { renderHtml } from './render-html.js';
import { renderTable } from './render-table.js';
import type { LoadReport } from './report.js';
import { startCheckpoints } from './checkpoint.js';
import { FLOW_STEP } from './define-scenario.js';
import { buildResultFile } from './result-file.js';
import type { RunResult } from './runner.js';
import { segmentLabel, shareOf } from './segment.js';
import { startSelfWatch } from './self-watch.js';
import type { Target } from './target.js';
import { embeddedTarget, remoteTarget } from './target.js';
import { withDefaultChecks } from './thresholds.js';
import { writeOut, writeOutAtomic } from './write-out.js';
import type { UserPool } from './user-pool.js';
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
  /** 0 pass, 1 a threshold or default check failed, 2 money mismatch. */
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
    runId: config.runId,
    activeTimeoutMs: ACTIVE_TIMEOUT_MS,
    ...(config.expire ? { expire: config.expire } : {}),
  };
  // Usage errors before anything starts.
  const stepNames = entry.stepNames(options);
  const thresholds = withDefaultChecks(config.thresholds, stepNames);
  const users = await loadUsers(config);
  const secret =
    config.target === undefined ? undefined : (config.secret ?? (await readDataDirSecret(config.dataDir)));

  const target: Target = config.target ? await remoteTarget(config.target, secret) : await embeddedTarget();
  const warn = (msg: string) => io.stderr.write(`redpkt: warning: ${msg}\n`);
  const segmented = config.segment.count > 1;
  let report: LoadReport;
  const written: string[] = [];
  try {
    const pool = await createUserPool(users, target.secret);
    const money = createMoneyCheck(1000, createRng(`${config.runId}:money:${config.segment.index}`));
    const scenario = entry.build({
      users: pool,
      money,
      options,
      target: { url: target.url, secret: target.secret },
    });
    const client = createHttpClient({
      url: target.url,
      connections: Math.max(1, shareOf(config.connections, config.segment)),
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
    let run: RunResult;
    let generator;
    try {
      await checkTokens(client, pool, config.secret !== undefined || secret !== undefined);
      if (config.startAtMs !== undefined)
        io.stderr.write(
          `redpkt: ${segmented ? `segment ${segmentLabel(config.segment)}: ` : ''}waiting for --start-at ${new Date(config.startAtMs).toISOString()}\n`,
        );
      const watch = startSelfWatch({
        onWarn: warn,
        ...(config.target ? {} : { sharedWith: 'the embedded service' }),
      });
      // --out: the result file as it stands every few seconds (load merge --dashboard follows it)
      const calledAt = config.startAtMs ?? Date.now();
      const checkpoints = config.out
        ? startCheckpoints({
            file: config.out,
            onError: (e) => warn(`cannot write the checkpoint of ${config.out}: ${String(e)}`),
            build: () =>
              buildResultFile({
                config,
                users: pool.size,
                stepNames,
                run: {
                  startedAt: new Date(calledAt),
                  startLagMs: 0,
                  durationMs: Math.max(0, Date.now() - calledAt),
                  iterations: watching.live.started,
                  dropped: metrics.step(FLOW_STEP).errors.get('DROPPED') ?? 0,
                },
                metrics,
                // the sample is for `merge --target`'s re-check of finished packets: the final file's
                money: { ...money.facts(), sample: [] },
                generator: watching.health(),
                complete: false,
              }),
          })
        : undefined;
      const progress = startProgress({
        enabled: io.isTTY,
        stream: io.stderr,
        metrics,
        label: `load ${config.scenario}`,
      });
      try {
        run = await scenario.run({
          client: watching.client,
          metrics,
          live: watching.live,
          model: config.model,
          rampMs: config.rampMs,
          segment: config.segment,
          ...(config.startAtMs !== undefined ? { startAtMs: config.startAtMs } : {}),
          ...(config.packets !== undefined ? { iterations: config.packets } : {}),
          ...(config.durationMs !== undefined ? { durationMs: config.durationMs } : {}),
          ...(io.signal ? { signal: io.signal } : {}),
        });
      } finally {
        progress.stop();
        generator = watch.stop();
        await checkpoints?.stop();
      }
    } catch (e) {
      await watching.close();
      throw e;
    } finally {
      await client.close();
    }
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
    if (segmented) report.segment = segmentLabel(config.segment);
    if (config.out) {
      const file = buildResultFile({
        config,
        users: pool.size,
        stepNames,
        run,
        metrics,
        money: money.facts(),
        generator,
      });
      await writeOutAtomic(config.out, `${JSON.stringify(file)}\n`);
      written.push(`result file ${config.out} (merge with \`redpkt load merge\`)`);
    }
    if (config.html) {
      await writeOut(config.html, renderHtml(report, timelineOf(metrics)));
      written.push(`HTML report ${config.html}`);
    }
  } finally {
    await target.close();
  }
  const logged = target.logged();
  if (logged.count > 0)
    warn(`the embedded service logged ${logged.count} error(s); first: ${logged.first ?? '?'}`);

  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (config.json && config.json !== '-') {
    await writeOut(config.json, json);
    written.push(`JSON report ${config.json}`);
  }
  // notes go where the table goes; with `--json -` stdout carries the JSON only
  const notes = config.json === '-' ? io.stderr : io.stdout;
  if (config.json === '-') io.stdout.write(json);
  else io.stdout.write(renderTable(report));
  notes.write(
    `target: ${config.target ?? `the embedded service (${target.url}, a temporary store removed after the run)`}\n`,
  );
  for (const w of written) notes.write(`wrote ${w}\n`);
  return { report, exitCode: exitCodeOf(report) };
}

/**
 * One signed request before the run: a target that refuses the users' tokens (a wrong or rotated
 * --secret) would answer every request UNAUTHENTICATED and the run would test nothing.
 */
async function checkTokens(client: HttpClient, pool: UserPool, bySecret: boolean): Promise<void> {
  const uid = pool.sender(0);
  const res = await client.send({
    method: 'GET',
    path: '/v1/me/balance',
    headers: { authorization: pool.auth(uid) },
  });
  if (res.status !== 401) return;
  throw new RedpktError(
    'USAGE',
    bySecret
      ? 'the target refused the signature: is --secret the service secret?'
      : `the target refused the fixtures' token of ${uid}: mint tokens with the service secret, or pass --secret`,
  );
}
