import { SHADOW_HEADERS } from '../domain/ids.js';
import { createSocketClient } from './h1/socket-client.js';
import type { HttpClient, RequestHeaders } from './http-answer.js';
import { createUndiciClient } from './undici-client.js';

export type { HttpClient, RawResponse } from './http-answer.js';
export { responseCode, responseMessage, transportCode } from './http-answer.js';

/**
 * The generator's HTTP client: keep-alive connections to the target, one request on each at a
 * time, every response body read to the end (the connection is reused only then), every request
 * marked as shadow traffic so the server keeps load-test data apart from real data. `http:`
 * targets get our own HTTP/1.1 client on `net.Socket` (./h1/socket-client.ts), `https:` ones
 * undici (./undici-client.ts); both answer with the same `RawResponse` and the same codes.
 */
export interface HttpClientOptions {
  /** `http://host:port` or `https://…`; a path on it is ignored. */
  url: string;
  connections: number;
  timeoutMs: number;
  headers?: Record<string, string>;
  /**
   * Mark every request as shadow traffic (default, and always for `redpkt load`). false only for
   * `npm run bench:claim`, which drives the real lane of a benchmark server of its own.
   */
  shadow?: boolean;
  /** undici for an `http:` target too (`npm run bench:generator` compares the two). */
  engine?: 'socket' | 'undici';
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const url = new URL(opts.url);
  const base: Record<string, string> = { ...(opts.shadow === false ? {} : SHADOW_HEADERS), ...opts.headers };
  const headers: RequestHeaders = { base, withJson: { ...base, 'content-type': 'application/json' } };
  if (url.protocol === 'http:' && opts.engine !== 'undici') return createSocketClient(url, opts, headers);
  return createUndiciClient(url.origin, opts, headers);
}
