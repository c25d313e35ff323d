import type { HttpRequest } from '../define-scenario.js';
import type { RequestHeaders } from '../http-answer.js';

/**
 * A request's bytes, as one string written with one `write`. The header lines every request
 * carries (host, keep-alive, the shadow mark, the client's headers, the JSON content type) are
 * built once per shape — with and without a body; per request only the request line, the
 * request's own headers (a token), the length and the body are added. Paths and headers are
 * checked as undici checks them, so nothing a scenario passes can split a request in two.
 */
export interface RequestBytes {
  /** The request's bytes, or why it cannot be sent (undici's words). */
  build(req: HttpRequest): string | InvalidRequest;
}

/** A request that cannot be sent (answered `TRANSPORT_ERROR`, as undici's refusal was). */
export class InvalidRequest {
  constructor(readonly message: string) {}
}

/** Methods whose requests carry a length even without a body (as undici sends them). */
const PAYLOAD_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
// undici's own checks (lib/core/request.js, lib/core/util.js)
const INVALID_PATH = /[^\u0021-\u00ff]/;
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function createRequestBytes(host: string, headers: RequestHeaders): RequestBytes {
  const lines = (fields: Readonly<Record<string, string>>): string => {
    let text = `host: ${host}\r\nconnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(fields)) {
      const bad = headerProblem(name, value);
      if (bad) throw new RangeError(bad);
      text += `${name}: ${value}\r\n`;
    }
    return text;
  };
  const base = lines(headers.base);
  const withJson = lines(headers.withJson);

  return {
    build(req) {
      const { path, method } = req;
      if (path.charCodeAt(0) !== 0x2f)
        return new InvalidRequest('path must be an absolute URL or start with a slash');
      if (INVALID_PATH.test(path)) return new InvalidRequest('invalid request path');
      const hasBody = req.body !== undefined;
      const template = hasBody ? headers.withJson : headers.base;
      let head = hasBody ? withJson : base;
      const own = req.headers;
      if (own) {
        let extra = '';
        for (const name in own) {
          const value = own[name]!;
          const bad = headerProblem(name, value);
          if (bad) return new InvalidRequest(bad);
          if (name in template) {
            // overrides a header every request carries: the whole list again (not the usual case)
            extra = '';
            head = lines({ ...template, ...own });
            break;
          }
          extra += `${name}: ${value}\r\n`;
        }
        head += extra;
      }
      const line = `${method} ${path} HTTP/1.1\r\n`;
      if (!hasBody)
        return PAYLOAD_METHODS.has(method) ? `${line}${head}content-length: 0\r\n\r\n` : `${line}${head}\r\n`;
      const body = JSON.stringify(req.body);
      return `${line}${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    },
  };
}

function headerProblem(name: string, value: string): string | undefined {
  if (!TOKEN.test(name)) return 'invalid header key';
  if (INVALID_HEADER_VALUE.test(value)) return `invalid ${name} header`;
  return undefined;
}
