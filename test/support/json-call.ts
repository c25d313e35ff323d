/** One request as a client of the gateway, HAProxy or a core: JSON in, JSON (or text) out, which core answered. */
import { CORE_HEADER } from '../../src/gateway/gateway-handler.js';

export interface JsonAnswer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  body: any;
  core: string | null;
}

export async function jsonCall(
  url: string,
  method: string,
  token?: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, core: res.headers.get(CORE_HEADER) };
}
