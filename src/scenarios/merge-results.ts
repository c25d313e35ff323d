import type { Metrics } from './metrics.js';
import { createMetrics } from './metrics.js';
import type { Mismatch, MoneyFacts } from './money-check.js';
import type { GeneratorLine } from './report.js';
import type { ResultFile } from './result-file.js';
import { decodeMetrics } from './result-file.js';
import { RedpktError } from '../domain/errors.js';
import { segmentLabel } from './segment.js';

/**
 * Result files of one run's segments -> one run: merged counts, histograms (HDR `add`: the
 * percentiles of the pooled samples) and timelines, the union window, the money facts summed and
 * the generators one line each. Refuses files of different runs and a segment given twice.
 */
export interface MergedRun {
  scenario: string;
  runId: string;
  config: Record<string, unknown>;
  stepNames: string[];
  metrics: Metrics;
  /** Earliest start of a segment; the window runs to the latest end. */
  startedAt: Date;
  durationMs: number;
  money: MoneyFacts;
  generators: GeneratorLine[];
  /** Segments of the run no file was given for, as `i/N`. */
  missing: string[];
  /** Segments whose file is a checkpoint (`complete: false`): still running, or their generator died. */
  unfinished: string[];
}

const BOTTLENECK_CPU_PCT = 80;
const BOTTLENECK_LAG_MS = 50;

export function mergeResults(files: readonly { file: string; result: ResultFile }[]): MergedRun {
  const first = files[0];
  if (!first) throw new RedpktError('USAGE', 'load merge needs at least one result file');
  const seen = new Map<number, string>();
  for (const { file, result } of files) {
    if (result.runId !== first.result.runId || result.configHash !== first.result.configHash) {
      throw new RedpktError(
        'USAGE',
        `${file} is another run (run ${result.runId}, config ${result.configHash}) than ${first.file} (run ${first.result.runId}, config ${first.result.configHash}): merge the segments of one run`,
      );
    }
    if (result.segment.count !== first.result.segment.count)
      throw new RedpktError(
        'USAGE',
        `${file} is a segment of ${result.segment.count}, ${first.file} of ${first.result.segment.count}`,
      );
    const dup = seen.get(result.segment.index);
    if (dup !== undefined)
      throw new RedpktError('USAGE', `${file} and ${dup} are both segment ${segmentLabel(result.segment)}`);
    seen.set(result.segment.index, file);
  }
  const count = first.result.segment.count;
  const missing: string[] = [];
  for (let i = 0; i < count; i++) if (!seen.has(i)) missing.push(segmentLabel({ index: i, count }));

  const stepNames = first.result.stepNames;
  const metrics = createMetrics({ steps: stepNames, startMs: 0, now: () => 0 });
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  const generators: GeneratorLine[] = [];
  for (const { result } of [...files].sort((a, b) => a.result.segment.index - b.result.segment.index)) {
    decodeMetrics(result, metrics);
    const s = Date.parse(result.startedAt);
    start = Math.min(start, s);
    end = Math.max(end, s + result.durationMs);
    const g = result.generator;
    generators.push({
      segment: segmentLabel(result.segment),
      host: `${g.host} pid ${g.pid}`,
      startedAt: result.startedAt,
      startLagMs: result.startLagMs,
      durationMs: result.durationMs,
      iterations: result.iterations,
      dropped: result.dropped,
      requests: result.steps.filter((x) => x.name !== 'flow').reduce((n, x) => n + x.count, 0),
      cpuPct: g.cpuPct,
      eventLoopP99Ms: g.eventLoopP99Ms,
      bottleneck: g.cpuPct > BOTTLENECK_CPU_PCT || g.eventLoopP99Ms > BOTTLENECK_LAG_MS,
      finished: result.complete,
    });
  }
  return {
    scenario: first.result.scenario,
    runId: first.result.runId,
    config: first.result.config,
    stepNames,
    metrics,
    startedAt: new Date(start),
    durationMs: Math.max(0, end - start),
    money: mergeMoney(files.map((f) => f.result.money)),
    generators,
    missing,
    unfinished: files.filter((f) => !f.result.complete).map((f) => segmentLabel(f.result.segment)),
  };
}

/** The segments' money facts added up; a packet sampled by two segments is a mismatch (segments never share one). */
export function mergeMoney(parts: readonly MoneyFacts[]): MoneyFacts {
  const out: MoneyFacts = {
    packets: 0,
    checked: 0,
    sentFen: 0,
    listedClaims: 0,
    listedFen: 0,
    answeredClaims: 0,
    answeredFen: 0,
    refundedFen: 0,
    mismatches: [],
    sample: [],
  };
  const sampled = new Set<string>();
  const dup: Mismatch[] = [];
  for (const p of parts) {
    out.packets += p.packets;
    out.checked += p.checked;
    out.sentFen += p.sentFen;
    out.listedClaims += p.listedClaims;
    out.listedFen += p.listedFen;
    out.answeredClaims += p.answeredClaims;
    out.answeredFen += p.answeredFen;
    out.refundedFen += p.refundedFen;
    out.mismatches.push(...p.mismatches);
    for (const s of p.sample) {
      if (sampled.has(s.packetId))
        dup.push({ packetId: s.packetId, kind: 'duplicate-packet', detail: 'the packet is in two segments' });
      sampled.add(s.packetId);
      out.sample.push(s);
    }
  }
  out.mismatches.push(...dup);
  return out;
}
