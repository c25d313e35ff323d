/** Request counters per route, so tests can prove that a call was (or was not) made. */
export interface RouteStats {
  requests: number;
  /** Answers with a status >= 400 (injected failures included). */
  errors: number;
}

export interface StatsSnapshot {
  total: number;
  /** Keyed `METHOD /route/:pattern`, e.g. `POST /finance/transfers`. */
  routes: Record<string, RouteStats>;
}

export interface Stats {
  record(route: string, status: number): void;
  snapshot(): StatsSnapshot;
  /** Requests to one route so far (0 when never called). */
  count(route: string): number;
  reset(): void;
}

export function createStats(): Stats {
  let routes = new Map<string, RouteStats>();
  let total = 0;
  return {
    record(route, status) {
      total++;
      const s = routes.get(route) ?? { requests: 0, errors: 0 };
      s.requests++;
      if (status >= 400) s.errors++;
      routes.set(route, s);
    },
    snapshot: () => ({ total, routes: Object.fromEntries([...routes].map(([k, v]) => [k, { ...v }])) }),
    count: (route) => routes.get(route)?.requests ?? 0,
    reset() {
      routes = new Map();
      total = 0;
    },
  };
}
