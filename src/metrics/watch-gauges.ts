/**
 * The gauges the Grafana dashboard and the alert rules (deploy/) need beyond the row counts:
 * the outbox backlog and the age of its oldest due task, the unsettled-order alerts raised, and
 * shadow-marked rows on the real lane's books; on a sharded store every shard's, added up
 * (storage/switches/state-counts.ts). Read from the same cached `countStates` as the row counts
 * (at most once a second however often scraped).
 */
import { Gauge, type Registry } from 'prom-client';
import { ALERT_KINDS } from '../domain/ports.js';
import type { StateCounts } from '../switches/ports.js';

export function registerWatchGauges(
  registers: Registry[],
  states: () => Promise<StateCounts>,
  now: () => number = Date.now,
): void {
  new Gauge({
    name: 'redpkt_outbox_tasks',
    help: 'Outbox tasks not done, by kind and status (pending: waiting or retrying; dead: given up, alerted)',
    labelNames: ['kind', 'status'] as const,
    registers,
    async collect() {
      const rows = (await states()).tasks;
      if (!rows) return;
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.count);
    },
  });
  new Gauge({
    name: 'redpkt_outbox_oldest_due_age_seconds',
    help: 'How long the earliest due pending outbox task has been due (0: none is due)',
    registers,
    async collect() {
      const due = (await states()).oldestPendingDueAt;
      if (due === undefined) return;
      this.set(due === null ? 0 : Math.max(0, (now() - due) / 1000));
    },
  });
  new Gauge({
    name: 'redpkt_unsettled_alerts',
    help: 'Unsettled-order alerts raised so far (one per stuck order), by the order kind; grows, never shrinks',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      const rows = (await states()).alerts;
      if (!rows) return;
      // every kind, 0 when none was raised: an alert rule's increase() needs the series to exist
      for (const kind of ALERT_KINDS) this.set({ kind }, 0);
      for (const r of rows) this.set({ kind: r.kind }, r.count);
    },
  });
  new Gauge({
    name: 'redpkt_shadow_rows_on_real_books',
    help: "Rows with a shadow-marked number (S…) in the real lane's database, by table (must be 0)",
    labelNames: ['table'] as const,
    registers,
    async collect() {
      const rows = (await states()).shadowMarked;
      if (!rows) return;
      for (const r of rows) this.set({ table: r.table }, r.count);
    },
  });
}
