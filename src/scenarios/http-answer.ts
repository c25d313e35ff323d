import type { HttpRequest } from './define-scenario.js';

/**
 * What the generator's HTTP clients (./http-client.ts picks one) have in common: the interface,
 * the answer, and the codes a failed answer stands for.
 */

export interface RawResponse {
  status: number;
  /** Parsed JSON (or the text) of the body, read to the end already; decoded on first access. */
  readonly body: unknown;
  /** Set when no response came back. */
  transportError?: string;
  /** The transport error's own message, when no response came back. */
  transportMessage?: string;
}

export interface HttpClient {
  readonly origin: string;
  send(req: HttpRequest): Promise<RawResponse>;
  /**
   * `send` without a promise of its own: `done` is called once, with the answer (the runner's
   * path, which wraps the answer in a promise of its own anyway; one promise a request fewer).
   */
  dispatch(req: HttpRequest, done: (res: RawResponse) => void): void;
  close(): Promise<void>;
}

/** The headers every request carries: `base`, and `withJson` (base + the JSON content type) with a body. */
export interface RequestHeaders {
  base: Readonly<Record<string, string>>;
  withJson: Readonly<Record<string, string>>;
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

/** What a failed answer says: the body's `error.message`, the transport error's, or the status line. */
export function responseMessage(res: RawResponse): string {
  if (res.transportError) return res.transportMessage ?? res.transportError;
  const body = res.body;
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === 'string' && message.length > 0) return message;
  return typeof body === 'string' && body.length > 0 ? `HTTP ${res.status}: ${body}` : `HTTP ${res.status}`;
}
