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
  ok: number;
  /** Failures by code: the server's error code, `HTTP_<status>`, a transport code, or `DROPPED`. */
  errors: Record<string, number>;
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
  /** Issue 23, what the --html report and the live dashboard show: where the run came from, */
  meta?: RunMeta;
  /** its time series and latency distributions, */
  charts?: RunCharts;
  /** and the first answers of each error code, with their messages. */
  errorSamples?: ErrorSample[];
}

/** Latency over time per step, for the HTML charts (not part of the JSON report). */
export interface LoadTimeline {
  bucketMs: number;
  steps: { name: string; points: TimelinePoint[] }[];
}
