import { hostname } from 'node:os';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { z } from 'zod';
import { RedpktError } from '../domain/errors.js';
import type { LoadConfig } from './load-config.js';
import { reportConfig } from './load-config.js';
import { createLatencyHistogram } from './latency.js';
import type { Metrics, StepMetrics } from './metrics.js';
import { createMetrics } from './metrics.js';
import type { MoneyFacts } from './money-check.js';
import { MISMATCH_KINDS } from './money-check.js';
import type { RunResult } from './runner.js';
import type { GeneratorHealth } from './self-watch.js';
import { decodeTimeline } from './timeline.js';

/**
 * `redpkt load --out FILE`: one generator's result, everything `redpkt load merge` needs and
 * nothing that grows with the number of requests: per step the counts by code, the first failure
 * messages, the HDR histogram (lossless, compressed base64) and the per-second timeline (sparse
 * coarse histograms; at most 600 buckets, wider buckets past 10 minutes); the run's config, run id
 * and segment; the generator's own health; the money check's facts (sums, mismatches, a bounded
 * sample of packets). See README, "One run over many generators".
 *
 * While the run goes, the generator rewrites the file every few seconds as it stands
 * (`complete: false`, ./checkpoint.ts), so `load merge --dashboard` can follow a distributed run
 * live and a generator that died leaves what it measured; the last write is `complete: true`.
 */
export const RESULT_FORMAT = 'redpkt-load-result';
export const RESULT_VERSION = 1;

const Counts = z.record(z.string(), z.number().int().min(0));

const StepSchema = z.object({
  name: z.string(),
  count: z.number().int().min(0),
  ok: z.number().int().min(0),
  outcomes: Counts,
  errors: Counts,
  messages: z.record(z.string(), z.string()),
  histogram: z.string(),
  timeline: z.object({ bucketMs: z.number().int().min(1), buckets: z.array(z.array(z.number())) }),
});

const Sampled = z.object({
  packetId: z.string(),
  sender: z.string(),
  amount: z.number().int(),
  shares: z.number().int(),
  answered: z.array(z.tuple([z.string(), z.number().int(), z.string()])),
  refused: z.array(z.string()),
  claimers: z.array(z.string()),
  refund: z.number().int().optional(),
});

const Mismatch = z.object({ packetId: z.string(), kind: z.enum(MISMATCH_KINDS), detail: z.string() });

export const ResultFileSchema = z.object({
  format: z.literal(RESULT_FORMAT),
  version: z.literal(RESULT_VERSION),
  runId: z.string(),
  configHash: z.string(),
  scenario: z.string(),
  config: z.record(z.string(), z.unknown()),
  segment: z.object({ index: z.number().int().min(0), count: z.number().int().min(1) }),
  /** false: a checkpoint of a segment still running (or whose generator died); absent in older files. */
  complete: z.boolean().default(true),
  startAt: z.string().nullable(),
  startedAt: z.string(),
  startLagMs: z.number().nullable(),
  durationMs: z.number().min(0),
  iterations: z.number().int().min(0),
  dropped: z.number().int().min(0),
  retries: z.number().int().min(0),
  stepNames: z.array(z.string()),
  steps: z.array(StepSchema),
  generator: z.object({
    host: z.string(),
    pid: z.number().int(),
    cpuPct: z.number(),
    eventLoopP99Ms: z.number(),
  }),
  money: z.object({
    packets: z.number().int().min(0),
    checked: z.number().int().min(0),
    sentFen: z.number().int(),
    listedClaims: z.number().int(),
    listedFen: z.number().int(),
    answeredClaims: z.number().int(),
    answeredFen: z.number().int(),
    refundedFen: z.number().int(),
    mismatches: z.array(Mismatch),
    sample: z.array(Sampled),
  }),
});

export type ResultFile = z.infer<typeof ResultFileSchema>;

export interface ResultInput {
  config: LoadConfig;
  users: number;
  stepNames: readonly string[];
  run: RunResult;
  metrics: Metrics;
  money: MoneyFacts;
  generator: GeneratorHealth;
  /** false: a checkpoint written while the run goes. */
  complete?: boolean;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function buildResultFile(input: ResultInput): ResultFile {
  const { config, run, metrics } = input;
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    runId: config.runId,
    configHash: config.configHash,
    scenario: config.scenario,
    config: reportConfig(config, input.users),
    segment: { index: config.segment.index, count: config.segment.count },
    complete: input.complete ?? true,
    startAt: config.startAtMs === undefined ? null : new Date(config.startAtMs).toISOString(),
    startedAt: run.startedAt.toISOString(),
    startLagMs: config.startAtMs === undefined ? null : round(run.startLagMs, 3),
    durationMs: round(run.durationMs, 3),
    iterations: run.iterations,
    dropped: run.dropped,
    // a 429 is an outcome only while it is retried: the outcomes count the retries
    retries: metrics.steps().reduce((n, s) => n + (s.outcomes.get('RATE_LIMITED') ?? 0), 0),
    stepNames: [...input.stepNames],
    steps: metrics.steps().map(encodeStep),
    generator: {
      host: hostname(),
      pid: process.pid,
      cpuPct: round(input.generator.cpuPct, 1),
      eventLoopP99Ms: round(input.generator.eventLoopP99Ms, 2),
    },
    money: input.money,
  };
}

function encodeStep(m: StepMetrics): ResultFile['steps'][number] {
  return {
    name: m.name,
    count: m.count,
    ok: m.ok,
    outcomes: Object.fromEntries(m.outcomes),
    errors: Object.fromEntries(m.errors),
    messages: Object.fromEntries(m.messages),
    histogram: encodeIntoCompressedBase64(m.histogram),
    timeline: m.timeline.encode(),
  };
}

/** A result file read back (`file` names it in errors): a malformed one is a usage error. */
export function parseResultFile(text: string, file: string): ResultFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RedpktError('USAGE', `${file}: not JSON (a \`redpkt load --out\` result file?)`, { cause: e });
  }
  const format = (json as { format?: unknown } | null)?.format;
  if (format !== RESULT_FORMAT)
    throw new RedpktError(
      'USAGE',
      `${file}: not a redpkt load result file (write one with \`redpkt load --out\`)`,
    );
  const parsed = ResultFileSchema.safeParse(json);
  if (!parsed.success)
    throw new RedpktError(
      'USAGE',
      `${file}: bad result file (${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')})`,
    );
  return parsed.data;
}

/** The file's measurements as the runner's Metrics (histograms and timelines decoded). */
export function decodeMetrics(file: ResultFile, into?: Metrics): Metrics {
  const metrics = into ?? createMetrics({ steps: file.stepNames, startMs: 0, now: () => 0 });
  for (const s of file.steps) {
    let histogram;
    let timeline;
    try {
      histogram = createLatencyHistogram();
      histogram.add(decodeFromCompressedBase64(s.histogram));
      timeline = decodeTimeline(s.timeline);
    } catch (e) {
      throw new RedpktError('USAGE', `step ${s.name}: bad histogram or timeline in the result file`, {
        cause: e,
      });
    }
    metrics.addStep({
      name: s.name,
      count: s.count,
      ok: s.ok,
      outcomes: new Map(Object.entries(s.outcomes)),
      errors: new Map(Object.entries(s.errors)),
      messages: new Map(Object.entries(s.messages)),
      histogram,
      timeline,
    });
  }
  return metrics;
}
