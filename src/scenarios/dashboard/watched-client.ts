/**
 * The load client as the report and the dashboard watch it: requests sent and answers received
 * (so requests/s and responses/s are their own series, and their difference is what is in
 * flight), and the first few answers of each failure code with their message, status and path
 * (the errors table). Counting is two increments a request; a failure's body is read only for
 * the first samples of its code.
 */
import type { HttpRequest } from '../define-scenario.js';
import type { HttpClient, RawResponse } from '../http-client.js';
import { responseCode } from '../http-client.js';

export interface ErrorSample {
  code: string;
  status: number;
  method: string;
  path: string;
  message: string;
}

export interface ClientWatch {
  readonly sent: number;
  readonly received: number;
  /** The first distinct messages of each code, in the order codes were first seen. */
  samples(): ErrorSample[];
}

const SAMPLES_PER_CODE = 3;
const MAX_CODES = 50;

export function watchClient(client: HttpClient): { client: HttpClient; watch: ClientWatch } {
  let sent = 0;
  let received = 0;
  const byCode = new Map<string, ErrorSample[]>();
  const seen = (req: HttpRequest, res: RawResponse) => {
    received++;
    if (res.status >= 200 && res.status < 300 && !res.transportError) return;
    const code = responseCode(res);
    if (code === undefined) return;
    let list = byCode.get(code);
    if (!list) {
      if (byCode.size >= MAX_CODES) return;
      list = [];
      byCode.set(code, list);
    }
    const message = messageOf(res);
    if (list.length < SAMPLES_PER_CODE && !list.some((x) => x.message === message))
      list.push({
        code,
        status: res.status,
        method: req.method,
        path: pathOf(req.path),
        message,
      });
  };
  const watched: HttpClient = {
    origin: client.origin,
    send(req) {
      sent++;
      return client.send(req).then((res) => {
        seen(req, res);
        return res;
      });
    },
    dispatch(req, done) {
      sent++;
      client.dispatch(req, (res) => {
        seen(req, res);
        done(res);
      });
    },
    close: () => client.close(),
  };
  return {
    client: watched,
    watch: {
      get sent() {
        return sent;
      },
      get received() {
        return received;
      },
      samples: () => [...byCode.values()].flat(),
    },
  };
}

/** The path with ids folded (`/v1/packets/:id/claims`), so samples of one route look alike. */
function pathOf(path: string): string {
  return path.replace(/\?.*$/, '').replace(/\/[A-Z0-9][A-Za-z0-9-]{11,}(?=\/|$)/g, '/:id');
}

function messageOf(res: RawResponse): string {
  if (res.transportError) return res.transportError;
  try {
    const m = (res.body as { error?: { message?: unknown } } | null)?.error?.message;
    if (typeof m === 'string') return m.slice(0, 300);
    return typeof res.body === 'string' ? res.body.slice(0, 300) : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}
