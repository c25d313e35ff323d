import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RedpktError } from '../domain/errors.js';
import { createDependencyCalls } from './dependency-calls.js';
import { registerWatchGauges } from './watch-gauges.js';

describe('the watch gauges', () => {
  it('report the outbox backlog, the oldest due task age, alerts by kind and shadow rows', async () => {
    const registry = new Registry();
    registerWatchGauges(
      [registry],
      async () => ({
        tasks: [{ kind: 'transfer', status: 'pending', count: 7 }],
        oldestPendingDueAt: 40_000,
        alerts: [{ kind: 'transfer', count: 2 }],
        shadowMarked: [{ table: 'packets', count: 0 }],
      }),
      () => 100_000,
    );
    const text = await registry.metrics();
    expect(text).toContain('redpkt_outbox_tasks{kind="transfer",status="pending"} 7');
    expect(text).toContain('redpkt_outbox_oldest_due_age_seconds 60');
    expect(text).toContain('redpkt_unsettled_alerts{kind="transfer"} 2');
    expect(text).toContain('redpkt_unsettled_alerts{kind="payment"} 0');
    expect(text).toContain('redpkt_shadow_rows_on_real_books{table="packets"} 0');
  });

  it('answer 0 for the age when no task is pending, and never a negative age', async () => {
    for (const due of [null, 200_000]) {
      const registry = new Registry();
      registerWatchGauges(
        [registry],
        async () => ({ oldestPendingDueAt: due }),
        () => 100_000,
      );
      expect(await registry.metrics()).toContain('redpkt_outbox_oldest_due_age_seconds 0');
    }
  });
});

describe('dependency calls', () => {
  it('count each call by outcome (the error code) and time it, leaving close alone', async () => {
    const calls = createDependencyCalls();
    const registry = new Registry();
    registry.registerMetric(calls.calls);
    registry.registerMetric(calls.latency);
    const target = {
      n: 0,
      async transfer() {
        return ++this.n;
      },
      async refund(): Promise<number> {
        throw new RedpktError('DEPENDENCY_FAILED', 'down');
      },
      async close() {},
    };
    const wrapped = calls.instrument('finance', target);
    expect(await wrapped.transfer()).toBe(1);
    await expect(wrapped.refund()).rejects.toThrow('down');
    await wrapped.close();
    const text = await registry.metrics();
    expect(text).toContain(
      'redpkt_dependency_calls_total{dependency="finance",op="transfer",outcome="ok"} 1',
    );
    expect(text).toContain(
      'redpkt_dependency_calls_total{dependency="finance",op="refund",outcome="DEPENDENCY_FAILED"} 1',
    );
    expect(text).toContain(
      'redpkt_dependency_call_duration_seconds_count{dependency="finance",op="transfer"} 1',
    );
    expect(text).not.toContain('op="close"');
  });
});
