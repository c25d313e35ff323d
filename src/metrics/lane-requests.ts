/**
 * Requests by lane (issue 5's real and shadow lanes), counted where the service sends a request
 * to its lane: the shadow lane's own metrics are not on the real lane's `/metrics`, so this is
 * where a dashboard sees how much rehearsal traffic the process carries. Plain numbers on the
 * hot path, read into the counter when scraped.
 */
import { Counter } from 'prom-client';

export type LaneLabel = 'real' | 'shadow';

export interface LaneRequests {
  count(lane: LaneLabel): void;
  /** Unregistered: added to the real lane's registry (`MetricsSources.register`). */
  metric: Counter<'lane'>;
}

export function createLaneRequests(): LaneRequests {
  const seen: Record<LaneLabel, number> = { real: 0, shadow: 0 };
  const metric = new Counter({
    name: 'redpkt_lane_requests_total',
    help: 'Requests this process sent to its real lane and to its shadow (load-test) lane',
    labelNames: ['lane'] as const,
    registers: [],
    collect() {
      this.reset();
      for (const lane of ['real', 'shadow'] as const) this.inc({ lane }, seen[lane]);
    },
  });
  return {
    count(lane) {
      seen[lane]++;
    },
    metric,
  };
}
