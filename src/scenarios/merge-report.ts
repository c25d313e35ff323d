/**
 * `redpkt load merge`'s report: the segments' result files merged, the thresholds and the money
 * check over the whole run (with `--target`, the sampled claim lists read again), its outputs.
 */
import type { Writable } from 'node:stream';
import { issueToken } from '../auth/tokens.js';
import { RedpktError } from '../domain/errors.js';
import { readClaimList } from './c2c/wire.js';
import { aggregate, exitCodeOf, timelineOf } from './aggregate.js';
import { buildRunCharts } from './dashboard/run-charts.js';
import { createHttpClient } from './http-client.js';
import { mergeResults } from './merge-results.js';
import type { MergedRun } from './merge-results.js';
import type { Mismatch } from './money-check.js';
import { checkPacket, recordOf } from './money-check.js';
import { renderHtml } from './render-html.js';
import { renderTable } from './render-table.js';
import type { LoadReport } from './report.js';
import type { LoadModel } from './runner.js';
import type { InputFile } from './merge-inputs.js';
import { remoteTarget } from './target.js';
import { withDefaultChecks } from './thresholds.js';
import { writeOut } from './write-out.js';

/** `redpkt load merge FILE|DIR…`: the report as if one generator had run the whole run. */
export interface MergeConfig {
  files: string[];
  /** Empty: the thresholds the run was given. */
  thresholds: string[];
  json: string | undefined;
  html: string | undefined;
  allowPartial: boolean;
  /** Re-check the sampled packets' claim lists against this target (needs the secret). */
  target: string | undefined;
  secret: string | undefined;
  /** `--dashboard`: the merged run's live page, following files still being written. */
  dashboard?: { port: number } | undefined;
}

export interface MergeIo {
  stdout: Writable;
  stderr: Writable;
  /** Resolves on the next Ctrl-C (or SIGTERM): stop following, then close the page. */
  interrupted?: () => Promise<void>;
}

/** The merged report, its outputs (table or JSON, files) and its exit code. */
export async function finishMerge(
  files: readonly InputFile[],
  config: MergeConfig,
  io: MergeIo,
): Promise<{ report: LoadReport; exitCode: 0 | 1 | 2 }> {
  const merged = mergeResults(files);
  const targetMismatches = config.target
    ? await recheckOnTarget(merged, config.target, config.secret)
    : undefined;
  const report = mergedReport(merged, config.thresholds, targetMismatches);

  const json = `${JSON.stringify(report, null, 2)}\n`;
  const written: string[] = [];
  if (config.json && config.json !== '-') {
    await writeOut(config.json, json);
    written.push(`JSON report ${config.json}`);
  }
  if (config.html) {
    await writeOut(config.html, renderHtml(report, timelineOf(merged.metrics)));
    written.push(`HTML report ${config.html}`);
  }
  const notes = config.json === '-' ? io.stderr : io.stdout;
  if (config.json === '-') io.stdout.write(json);
  else io.stdout.write(renderTable(report));
  notes.write(
    `merged ${files.length} of ${files[0]?.result.segment.count ?? 0} segments of run ${merged.runId}\n`,
  );
  for (const w of written) notes.write(`wrote ${w}\n`);
  let exitCode = exitCodeOf(report);
  const short = [...merged.missing, ...merged.unfinished.map((u) => `${u} (unfinished)`)];
  if (short.length > 0) {
    io.stderr.write(
      `redpkt: segments missing: ${short.join(', ')}${config.allowPartial ? ' (--allow-partial: the verdict covers the given ones)' : ' (exit 1; --allow-partial merges what is there)'}\n`,
    );
    if (!config.allowPartial && exitCode === 0) exitCode = 1;
  }
  return { report, exitCode };
}

/**
 * The report as if one generator had run the whole run (also the live page's, while the
 * segments' files are checkpoints): `thresholds` empty means the run's own.
 */
export function mergedReport(
  merged: MergedRun,
  thresholdFlags: readonly string[],
  targetMismatches?: Mismatch[],
): LoadReport {
  const given = thresholdFlags.length > 0 ? [...thresholdFlags] : runThresholds(merged);
  const thresholds = withDefaultChecks(given, merged.stepNames);
  const m = merged.money;
  const report = aggregate({
    scenario: merged.scenario,
    config: merged.config,
    startedAt: merged.startedAt,
    durationMs: merged.durationMs,
    metrics: merged.metrics,
    money: {
      packets: m.packets,
      checked: m.checked,
      mismatches: [...m.mismatches, ...(targetMismatches ?? [])],
    },
    thresholds,
    generator: {
      cpuPct: Math.max(0, ...merged.generators.map((g) => g.cpuPct)),
      eventLoopP99Ms: Math.max(0, ...merged.generators.map((g) => g.eventLoopP99Ms)),
    },
  });
  report.generators = merged.generators;
  report.moneyTotals = {
    sentFen: m.sentFen,
    listedClaims: m.listedClaims,
    listedFen: m.listedFen,
    answeredClaims: m.answeredClaims,
    answeredFen: m.answeredFen,
    refundedFen: m.refundedFen,
    ...(targetMismatches ? { recheckedOnTarget: m.sample.length } : {}),
  };
  if (merged.missing.length > 0) report.missingSegments = merged.missing;
  if (merged.unfinished.length > 0) report.unfinishedSegments = merged.unfinished;
  // the --html page's per-step charts and distributions, from the merged histograms; the traffic
  // chart needs a generator's own samples, which a result file does not carry
  report.charts = buildRunCharts({
    samples: [],
    metrics: merged.metrics,
    plan: { model: merged.config.model as LoadModel, rampMs: 0 },
    durationMs: merged.durationMs,
  });
  return report;
}

function runThresholds(merged: MergedRun): string[] {
  const t = merged.config.thresholds;
  return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Reads every sampled packet's claim list from the target again (as its sender) and checks it
 * against what the claimers were told during the run.
 */
async function recheckOnTarget(
  merged: MergedRun,
  url: string,
  secret: string | undefined,
): Promise<Mismatch[]> {
  if (!secret)
    throw new RedpktError(
      'USAGE',
      'load merge --target re-reads claim lists as each packet sender: pass --secret, REDPKT_SECRET or --data-dir',
    );
  const target = await remoteTarget(url, secret);
  const client = createHttpClient({ url: target.url, connections: 4, timeoutMs: 30_000 });
  const out: Mismatch[] = [];
  try {
    for (const p of merged.money.sample) {
      const res = await client.send({
        method: 'GET',
        path: `/v1/packets/${encodeURIComponent(p.packetId)}/claims`,
        headers: { authorization: `Bearer ${await issueToken(secret, p.sender)}` },
      });
      if (res.status === 401)
        throw new RedpktError('USAGE', 'the target refused the signature: is --secret the service secret?');
      const list = res.status === 200 ? readClaimList(res.body) : undefined;
      if (!list) {
        out.push({
          packetId: p.packetId,
          kind: 'missing-claim',
          detail: `the target answered ${res.status} for its claim list`,
        });
        continue;
      }
      out.push(...checkPacket(recordOf(p, list)));
    }
  } finally {
    await client.close();
  }
  return out;
}
