/**
 * Readiness (issue 19), apart from liveness: `GET /healthz` answers 200 while the process runs;
 * `GET /readyz` answers 200 `{"status":"ready","checks":{…}}` only when every check passes, else
 * 503 `{"status":"not_ready","checks":{…}}`, so a gateway, HAProxy or Kubernetes sends traffic
 * only to an instance that can serve it. Each check answers `{ ok, detail?, … }`.
 *
 * Checks run when asked (a probe every second per balancer is cheap), each within `timeoutMs`
 * (a store that does not answer is not ready, it does not hold the probe), and concurrent probes
 * share one run whose result is kept `cacheMs`, so many probers never become many queries.
 */
export interface CheckResult {
  ok: boolean;
  /** Why not, or what was found; for people. */
  detail?: string;
  [field: string]: unknown;
}

export type ReadinessCheck = () => CheckResult | Promise<CheckResult>;

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: Record<string, CheckResult>;
}

export interface Readiness {
  report(): Promise<ReadinessReport>;
}

export interface ReadinessOptions {
  /** A check that has not answered by then fails (default 1 s). */
  timeoutMs?: number;
  /** How long one run's report answers further probes (default 250 ms). */
  cacheMs?: number;
  now?: () => number;
}

export function createReadiness(
  checks: Record<string, ReadinessCheck>,
  opts: ReadinessOptions = {},
): Readiness {
  const timeoutMs = opts.timeoutMs ?? 1_000;
  const cacheMs = opts.cacheMs ?? 250;
  const now = opts.now ?? Date.now;
  let last: { at: number; report: ReadinessReport } | undefined;
  let running: Promise<ReadinessReport> | undefined;

  async function run(): Promise<ReadinessReport> {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => within(checks[name]!, timeoutMs)));
    const out: Record<string, CheckResult> = {};
    names.forEach((name, i) => (out[name] = results[i]!));
    const report: ReadinessReport = {
      status: results.every((r) => r.ok) ? 'ready' : 'not_ready',
      checks: out,
    };
    last = { at: now(), report };
    return report;
  }

  return {
    report() {
      if (last && now() - last.at < cacheMs) return Promise.resolve(last.report);
      running ??= run().finally(() => (running = undefined));
      return running;
    },
  };
}

async function within(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([Promise.resolve().then(check), late]);
  } catch (e) {
    return { ok: false, detail: rootMessage(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** The innermost cause's message: drizzle wraps the driver's ("Table … doesn't exist") in its own. */
function rootMessage(e: unknown): string {
  let at = e;
  for (let depth = 0; depth < 5 && at instanceof Error && at.cause !== undefined; depth++) at = at.cause;
  return at instanceof Error ? at.message : String(at);
}

/** The answer to `GET` / `HEAD /readyz`. */
export function readinessResponse(report: ReadinessReport, method = 'GET'): Response {
  const body = JSON.stringify(report);
  return new Response(method === 'HEAD' ? null : body, {
    status: report.status === 'ready' ? 200 : 503,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': String(Buffer.byteLength(body)),
    },
  });
}

/** A check of something done once at start-up (the lane's workers started): it holds from then on. */
export const started =
  (detail: string): ReadinessCheck =>
  () => ({ ok: true, detail });

/** The store check: one cheap read (`PacketStore.ping`). */
export function storeCheck(store: { ping(): Promise<void> }): ReadinessCheck {
  return async () => {
    const started = performance.now();
    await store.ping();
    return { ok: true, detail: `answered in ${Math.round(performance.now() - started)} ms` };
  };
}

/** The switches check: loaded, and the table is still being read (the switch store answers). */
export function switchesCheck(board: {
  health(): { loaded: boolean; failingSince?: number; lastError?: string };
}): ReadinessCheck {
  return () => {
    const h = board.health();
    if (!h.loaded) return { ok: false, detail: 'the switch table has not been read yet' };
    if (h.failingSince === undefined) return { ok: true };
    return {
      ok: false,
      detail: `cannot read the switch table since ${new Date(h.failingSince).toISOString()}: ${h.lastError ?? 'unknown error'}`,
    };
  };
}

/**
 * The Redis check (only with `--redis`): every connection this process holds is up, by name
 * (ioredis `status`: `ready` when connected; `connecting`, `reconnecting`, `wait`, … otherwise).
 */
export function redisCheck(connections: () => Record<string, string>): ReadinessCheck {
  return () => {
    const statuses = connections();
    const down = Object.entries(statuses).filter(([, status]) => status !== 'ready');
    return down.length === 0
      ? { ok: true, connections: statuses }
      : {
          ok: false,
          detail: `not connected: ${down.map(([name, status]) => `${name} (${status})`).join(', ')}`,
          connections: statuses,
        };
  };
}
