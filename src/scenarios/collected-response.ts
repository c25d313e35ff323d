import type { RawResponse } from './http-answer.js';

/**
 * A response as both generator clients collect it: the status, whether the body is JSON, and the
 * body's bytes, kept as the chunks that carried them and decoded (and JSON parsed) only when a
 * step first reads `body`. A step that never looks at a body never pays for its string.
 */
export class CollectedResponse implements RawResponse {
  status = 0;
  transportError?: string;
  transportMessage?: string;
  protected json = false;
  private first: Buffer | undefined;
  private rest: Buffer[] | undefined;
  private decoded = false;
  private value: unknown;

  /** The body, decoded (and JSON parsed) when a step first reads it; undefined with no answer. */
  get body(): unknown {
    if (!this.decoded) {
      this.decoded = true;
      if (this.transportError === undefined) {
        const bytes = this.rest ? Buffer.concat(this.rest) : this.first;
        this.value = parseBody(bytes?.toString('utf8') ?? '', this.json);
      }
      this.first = undefined;
      this.rest = undefined;
    }
    return this.value;
  }

  /** A (final) status line and header section arrived: the body starts empty. */
  protected headed(status: number, json: boolean): void {
    this.status = status;
    this.json = json;
    this.first = undefined;
    this.rest = undefined;
  }

  /** More of the body. */
  protected collect(chunk: Buffer): void {
    if (this.first === undefined) this.first = chunk;
    else (this.rest ??= [this.first]).push(chunk);
  }

  /** No answer came back: `code` is a transport code (`transportCode`). */
  protected failed(code: string, message: string): void {
    this.status = 0;
    this.transportError = code;
    this.transportMessage = message;
  }
}

/**
 * Whether a header value contains `json` (any case), on the bytes: `Buffer.includes` with a string
 * argument goes through a string search in C++ that cost more than the rest of a header check.
 */
export function hasJson(value: Uint8Array, from = 0, to = value.length): boolean {
  // `| 0x20` lower-cases an ASCII letter; no other byte maps onto j, s, o or n
  for (let i = from; i + 4 <= to; i++) {
    if (
      (value[i]! | 0x20) === 0x6a &&
      (value[i + 1]! | 0x20) === 0x73 &&
      (value[i + 2]! | 0x20) === 0x6f &&
      (value[i + 3]! | 0x20) === 0x6e
    )
      return true;
  }
  return false;
}

/** ASCII case-insensitive comparison of `bytes[at..]` with `lower` (lower case already). */
export function sameIgnoringCase(bytes: Uint8Array, at: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const b = bytes[at + i]!;
    if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

function parseBody(text: string, json: boolean): unknown {
  if (!json || text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
