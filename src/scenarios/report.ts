import type { ErrorSample } from './dashboard/watched-client.js';
import type { RunCharts } from './dashboard/run-charts.js';
import type { RunMeta } from './dashboard/run-meta.js';
import type { LatencySummary } from './latency.js';
import type { MoneySummary } from './money-check.js';
import type { ThresholdResult } from './thresholds.js';
import type { TimelinePoint } from './timeline.js';

/** The plain-JSON result of a load run (`--json`): what CI, recon and people read. */
export interface StepReport {
  name: string;
  count: number;
  /** 2xx answers (or whole iterations that completed, for `flow`). */
  ok: number;
  /** Expected non-2xx answers by code (`PACKET_EXHAUSTED` with more claimers than shares, a 429 retried). */
  outcomes: Record<string, number>;
  /** Failures by code: the server's error code, `HTTP_<status>`, a transport code, or `DROPPED`. */
  errors: Record<string, number>;
  /** The first message of each failure code (what the server or the transport said). */
  messages: Record<string, string>;
  rps: number;
  latencyMs: LatencySummary;
}

export interface LoadReport {
  scenario: string;
  config: Record<string, unknown>;
  startedAt: string;
  durationMs: number;
  steps: StepReport[];
  money: MoneySummary;
  thresholds: ThresholdResult[];
  generator: { cpuPct: number; eventLoopP99Ms: number };
  /** With `--segment`: which part of the run this generator ran (`3/8`), else absent. */
  segment?: string;
  /** `redpkt load merge`: one line per generator (segment), for spotting a generator that was the bottleneck. */
  generators?: GeneratorLine[];
  /** `redpkt load merge`: the fen sums of every segment's checked packets. */
  moneyTotals?: {
    sentFen: number;
    listedClaims: number;
    listedFen: number;
    answeredClaims: number;
    answeredFen: number;
    refundedFen: number;
    /** With `--target`: sampled packets whose claim lists were read again and checked. */
    recheckedOnTarget?: number;
  };
  /** `redpkt load merge`: segments that were expected but not given (with `--allow-partial`). */
  missingSegments?: string[];
  /** `redpkt load merge`: segments whose file is a checkpoint, not the finished result. */
  unfinishedSegments?: string[];
  /** Issue 23, what the --html report and the live dashboard show: where the run came from, */
  meta?: RunMeta;
  /** its time series and latency distributions, */
  charts?: RunCharts;
  /** and the first answers of each error code, with their messages. */
  errorSamples?: ErrorSample[];
}

export interface GeneratorLine {
  segment: string;
  host: string;
  startedAt: string;
  startLagMs: number | null;
  durationMs: number;
  iterations: number;
  dropped: number;
  requests: number;
  cpuPct: number;
  eventLoopP99Ms: number;
  /** The generator's own CPU or event-loop lag was high enough that its latencies are partly its own. */
  bottleneck: boolean;
  /** false: its file is a checkpoint (the segment still running, or its generator died). */
  finished: boolean;
}

/** Latency over time per step, for the HTML charts (not part of the JSON report). */
export interface LoadTimeline {
  bucketMs: number;
  steps: { name: string; points: TimelinePoint[] }[];
}
