/**
 * Calls to a dependency (finance's payment provider, the reward issuer) as the service sees them:
 * a counter by operation and outcome (`ok` or the error code) and a latency histogram by
 * operation. The metrics are made unregistered and added to each app's registry
 * (`MetricsSources.register`), because the clients are built before the app and its registry.
 */
import { Counter, Histogram } from 'prom-client';
import { RedpktError } from '../domain/errors.js';

export interface DependencyCalls {
  calls: Counter<'dependency' | 'op' | 'outcome'>;
  latency: Histogram<'dependency' | 'op'>;
  /** The same object, each method (but `close`) timed and counted under `dependency`. */
  instrument<T extends object>(dependency: string, target: T): T;
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createDependencyCalls(): DependencyCalls {
  const calls = new Counter({
    name: 'redpkt_dependency_calls_total',
    help: 'Calls to a dependency (finance, issuer) by operation and outcome (ok, or the error code)',
    labelNames: ['dependency', 'op', 'outcome'] as const,
    registers: [],
  });
  const latency = new Histogram({
    name: 'redpkt_dependency_call_duration_seconds',
    help: 'Latency of calls to a dependency (finance, issuer) by operation',
    labelNames: ['dependency', 'op'] as const,
    buckets: BUCKETS,
    registers: [],
  });
  const observe = (dependency: string, op: string, started: number, outcome: string) => {
    calls.inc({ dependency, op, outcome });
    latency.observe({ dependency, op }, (performance.now() - started) / 1000);
  };
  return {
    calls,
    latency,
    instrument(dependency, target) {
      return new Proxy(target, {
        get(t, key, receiver) {
          const value: unknown = Reflect.get(t, key, receiver);
          if (typeof value !== 'function' || typeof key !== 'string' || key === 'close') return value;
          const fn = value as (...args: unknown[]) => unknown;
          return (...args: unknown[]) => {
            const started = performance.now();
            let result: unknown;
            try {
              result = fn.apply(t, args);
            } catch (e) {
              observe(dependency, key, started, outcomeOf(e));
              throw e;
            }
            if (!(result instanceof Promise)) return result;
            return result.then(
              (v: unknown) => {
                observe(dependency, key, started, 'ok');
                return v;
              },
              (e: unknown) => {
                observe(dependency, key, started, outcomeOf(e));
                throw e;
              },
            );
          };
        },
      });
    },
  };
}

function outcomeOf(e: unknown): string {
  return e instanceof RedpktError ? e.code : 'ERROR';
}
