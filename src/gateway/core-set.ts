/**
 * The cores behind a gateway: one keep-alive undici Pool each, and whether each is up. A core is
 * marked down by
 *  - a refused connection (nothing listens there: no doubt about it);
 *  - `downAfterFailures` (3) requests in a row that failed in transport (reset, timed out) with no
 *    answer in between. One such failure alone proves little: a kept-alive connection the core
 *    closed as it was reused, or one slow answer while the database is slow, would otherwise take
 *    a healthy core out, and under database slowness every core in turn;
 *  - a failed health check. Every transport failure runs one at once, so a core that really died
 *    goes down after its first failure, one that answers its health check stays up. A check
 *    refused, reset or answered with anything but 200 takes the core down at once; one that only
 *    TIMED OUT (the core took the connection, and is slow to answer) takes it down at the third in
 *    a row, as HAProxy's `fall 3` does (deploy/haproxy/haproxy.cfg): on a starved machine a busy
 *    core's `/readyz` can take longer than 2 s now and then (issue 21, `bench:fleet` at load 20),
 *    and moving its packets to the other core for a second then loaded that one more.
 * The health check (`GET /readyz` on every core, every `healthEveryMs`, on a fresh connection) is
 * also what brings a core back: a core is taken in only once it says it can serve (issue 19's
 * readiness: stores reachable, Redis connected, worker started), not merely once it listens. A
 * core that answers 404 there (one from before `/readyz`) is checked on `GET /healthz` instead.
 */
import { Pool } from 'undici';

export interface CoreSetOptions {
  /** The cores' origins, e.g. http://10.0.0.1:8080; also their ids for the rendezvous hash. */
  origins: readonly string[];
  /** Connections per core (requests beyond it wait in the pool). */
  connections?: number;
  /** Opening a connection to a core. */
  connectTimeoutMs?: number;
  /** From sending a request until the core's answer is complete. */
  requestTimeoutMs: number;
  healthEveryMs: number;
  /** Transport failures in a row (no answer between them) that take a core down; default 3. */
  downAfterFailures?: number;
  /** Told when a core goes down or comes back. */
  onChange?: (origin: string, up: boolean, reason: string) => void;
}

export interface CoreState {
  origin: string;
  up: boolean;
  /** When `up` last changed (ms since the epoch). */
  since: number;
  /** Why it went down, while it is down. */
  reason: string | undefined;
  /** Requests this gateway has forwarded to it (answered or not). */
  forwarded: number;
  /** Transport failures since its last answer (or since it came back). */
  failures: number;
  /** Health checks in a row that timed out (a passing one ends the run). */
  checkTimeouts: number;
}

export interface CoreSet {
  readonly origins: readonly string[];
  pool(index: number): Pool;
  isUp(index: number): boolean;
  /** The core answered (any status): its run of transport failures ends. */
  answered(index: number): void;
  /**
   * A request could not get an answer from the core. `refused`: the connection was refused
   * (down at once); otherwise one more failure in a row (down at `downAfterFailures`), and a
   * health check of the core now.
   */
  failed(index: number, reason: string, refused: boolean): void;
  countForward(index: number): void;
  states(): CoreState[];
  /** Runs one health check of every core now (the timer runs them anyway). */
  checkNow(): Promise<void>;
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 2_000;
/** Readiness (issue 19); liveness only for a core that has no readiness endpoint (404). */
const READY_PATH = '/readyz';
const LIVE_PATH = '/healthz';
const DOWN_AFTER_FAILURES = 3;

export function createCoreSet(opts: CoreSetOptions): CoreSet {
  const pools = opts.origins.map(
    (origin) =>
      new Pool(origin, {
        connections: opts.connections ?? 256,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        connect: { timeout: opts.connectTimeoutMs ?? 1_000 },
        headersTimeout: opts.requestTimeoutMs,
        bodyTimeout: opts.requestTimeoutMs,
      }),
  );
  // Health checks open a connection of their own each time (`reset`: closed after the answer): a
  // core that stopped listening but still answers on connections kept alive from before (a
  // graceful shutdown draining) must not look healthy.
  const healthPools = opts.origins.map(
    (origin) => new Pool(origin, { connections: 1, pipelining: 1, connect: { timeout: HEALTH_TIMEOUT_MS } }),
  );
  const now = Date.now();
  // Up until told otherwise: the first health check runs at once.
  const states: CoreState[] = opts.origins.map((origin) => ({
    origin,
    up: true,
    since: now,
    reason: undefined,
    forwarded: 0,
    failures: 0,
    checkTimeouts: 0,
  }));
  const downAfter = Math.max(1, opts.downAfterFailures ?? DOWN_AFTER_FAILURES);

  const set = (i: number, up: boolean, reason: string) => {
    const s = states[i]!;
    if (s.up === up) return;
    // a passing health check does not end a run of failures (a core whose requests hang may
    // still answer it); coming back does
    if (up) s.failures = 0;
    s.up = up;
    s.since = Date.now();
    s.reason = up ? undefined : reason;
    opts.onChange?.(s.origin, up, reason);
  };

  const checking = new Set<number>();
  let closed = false;
  async function check(i: number): Promise<void> {
    if (closed || checking.has(i)) return;
    checking.add(i);
    try {
      const probe = async (path: string) => {
        const res = await healthPools[i]!.request({
          method: 'GET',
          path,
          reset: true,
          headersTimeout: HEALTH_TIMEOUT_MS,
          bodyTimeout: HEALTH_TIMEOUT_MS,
        });
        await res.body.dump();
        return res.statusCode;
      };
      let path = READY_PATH;
      let status = await probe(path);
      if (status === 404) status = await probe((path = LIVE_PATH));
      states[i]!.checkTimeouts = 0;
      if (status === 200) set(i, true, 'health check passed');
      else set(i, false, `health check answered ${status} on ${path}`);
    } catch (e) {
      const s = states[i]!;
      const timedOut = isTimeout(e);
      s.checkTimeouts = timedOut ? s.checkTimeouts + 1 : 0;
      if (!timedOut || s.checkTimeouts >= downAfter) {
        const times = timedOut ? ` (${s.checkTimeouts} in a row)` : '';
        set(i, false, `health check failed${times}: ${errorText(e)}`);
      }
    } finally {
      checking.delete(i);
    }
  }
  const checkAll = () => Promise.all(states.map((_, i) => check(i))).then(() => undefined);
  void checkAll();
  const timer = setInterval(() => void checkAll(), opts.healthEveryMs);
  timer.unref();

  return {
    origins: opts.origins,
    pool: (i) => pools[i]!,
    isUp: (i) => states[i]!.up,
    answered: (i) => void (states[i]!.failures = 0),
    failed(i, reason, refused) {
      const s = states[i]!;
      s.failures++;
      if (refused || s.failures >= downAfter) {
        set(i, false, refused ? reason : `${s.failures} failures in a row, the last: ${reason}`);
        return;
      }
      void check(i);
    },
    countForward: (i) => void states[i]!.forwarded++,
    states: () => states.map((s) => ({ ...s })),
    checkNow: checkAll,
    async close() {
      closed = true;
      clearInterval(timer);
      await Promise.all([...pools, ...healthPools].map((p) => p.destroy()));
    },
  };
}

/** undici's timeouts waiting for an answer on a connection the core accepted. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const isTimeout = (e: unknown) => TIMEOUT_CODES.has(String((e as { code?: unknown } | null)?.code));

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}
