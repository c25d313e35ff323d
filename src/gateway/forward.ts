/**
 * One attempt to send one request to one core, answer collected in full. It tells a failure
 * BEFORE anything was written to the core (connection refused, connect timeout: always safe to
 * send elsewhere) from one AFTER (reset, timeout, the core died mid-request: the core may have
 * acted on it) by undici's `onRequestStart`, which runs just before the request is written.
 *
 * `pool.dispatch` with a small handler instead of `pool.request`: no Readable per answer (the
 * same choice as the load generator's undici client, src/scenarios/undici-client.ts).
 */
import type { Dispatcher, Pool } from 'undici';

export interface OutgoingRequest {
  method: string;
  /** Path and query, e.g. `/v1/packets/P00…/claims?x=1`. */
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
}

export type Attempt =
  | { kind: 'answer'; status: number; headers: Record<string, string | string[]>; body: Buffer }
  | { kind: 'failed'; sent: boolean; error: unknown };

export function forward(pool: Pool, req: OutgoingRequest): Promise<Attempt> {
  return new Promise<Attempt>((resolve) => {
    try {
      pool.dispatch(
        { method: req.method, path: req.path, headers: req.headers, body: req.body },
        new AnswerCollector(resolve),
      );
    } catch (error) {
      // undici reports bad arguments through the handler; anything thrown was not sent either
      resolve({ kind: 'failed', sent: false, error });
    }
  });
}

class AnswerCollector implements Dispatcher.DispatchHandler {
  private sent = false;
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private chunks: Buffer[] = [];
  private done = false;

  constructor(private readonly resolve: (a: Attempt) => void) {}

  onRequestStart(): void {
    this.sent = true;
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    this.status = statusCode;
    const kept: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) kept[name] = value;
    this.headers = kept;
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.finish({
      kind: 'answer',
      status: this.status,
      headers: this.headers,
      body: Buffer.concat(this.chunks),
    });
  }

  onResponseError(_c: Dispatcher.DispatchController, error: Error): void {
    this.finish({ kind: 'failed', sent: this.sent, error });
  }

  private finish(a: Attempt): void {
    if (this.done) return;
    this.done = true;
    this.resolve(a);
  }
}
