import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { SHADOW_HEADERS } from '../domain/ids.js';
import type { HttpRequest } from './define-scenario.js';

/**
 * The generator's HTTP client: one undici `Pool` of keep-alive connections to the target.
 * Every response body is read to the end (the connection is reused only then); every request
 * carries the shadow header, so the server keeps load-test data apart from real data.
 *
 * It uses `pool.dispatch` with a small handler rather than `pool.request`: `request` wraps each
 * body in a Readable stream, which cost about a quarter of the generator's request rate in
 * `npm run bench:generator`. `dispatch` is the primitive `request` is built on (undici 7 handler
 * API: onRequestStart / onResponseStart / onResponseData / onResponseEnd / onResponseError).
 */

export interface RawResponse {
  status: number;
  body: unknown;
  /** Set when no response came back. */
  transportError?: string;
}

export interface HttpClient {
  readonly origin: string;
  send(req: HttpRequest): Promise<RawResponse>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** `http://host:port`; a path on it is ignored. */
  url: string;
  connections: number;
  timeoutMs: number;
  headers?: Record<string, string>;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const origin = new URL(opts.url).origin;
  const pool = new Pool(origin, {
    connections: opts.connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });
  const base: Record<string, string> = { ...SHADOW_HEADERS, ...opts.headers };
  const withJson: Record<string, string> = { ...base, 'content-type': 'application/json' };

  return {
    origin,
    async send(req) {
      const hasBody = req.body !== undefined;
      const template = hasBody ? withJson : base;
      const headers = req.headers ? { ...template, ...req.headers } : template;
      return new Promise<RawResponse>((resolve) => {
        pool.dispatch(
          { path: req.path, method: req.method, headers, body: hasBody ? JSON.stringify(req.body) : null },
          new BodyCollector(resolve),
        );
      });
    },
    close: () => pool.close(),
  };
}

/** Collects one response, body to the end; resolves once, never rejects. */
class BodyCollector implements Dispatcher.DispatchHandler {
  private status = 0;
  private contentType: string | string[] | undefined;
  private chunks: Buffer[] = [];
  private done = false;

  constructor(private readonly resolve: (res: RawResponse) => void) {}

  onRequestStart(): void {}

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx informational answers come first and have no body: keep the final one.
    this.status = statusCode;
    this.contentType = headers['content-type'];
    this.chunks = [];
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.done) return;
    this.done = true;
    const text =
      this.chunks.length === 1
        ? (this.chunks[0]?.toString('utf8') ?? '')
        : Buffer.concat(this.chunks).toString('utf8');
    this.resolve({ status: this.status, body: parseBody(text, this.contentType) });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    this.done = true;
    this.resolve({ status: 0, body: undefined, transportError: transportCode(error) });
  }
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  const type = Array.isArray(contentType) ? contentType.join(';') : (contentType ?? '');
  if (!type.includes('json') || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A stable, short code for a request that got no response. */
export function transportCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  )
    return 'TIMEOUT';
  if (code === 'UND_ERR_SOCKET') return 'SOCKET_ERROR';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (cause && cause !== e) return transportCode(cause);
  return 'TRANSPORT_ERROR';
}

/** The code a response stands for: none for 2xx, else the body's `error.code`, else `HTTP_<status>`. */
export function responseCode(res: RawResponse): string | undefined {
  if (res.transportError) return res.transportError;
  if (res.status >= 200 && res.status < 300) return undefined;
  const code = (res.body as { error?: { code?: unknown } } | null)?.error?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : `HTTP_${res.status}`;
}
