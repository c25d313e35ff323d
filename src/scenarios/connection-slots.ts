import { Client } from 'undici';

/**
 * The generator's keep-alive connections: one undici `Client` (HTTP/1.1, no pipelining) per
 * connection, handed to one request at a time; requests that find every connection busy wait in
 * line (first come, first served) for the next one that frees up.
 *
 * It does what undici's `Pool` does for us, minus its bookkeeping: with one request per
 * connection a Pool's client reports itself full after every dispatch and emits `drain` after
 * every answer, which the Pool re-emits (two events and their argument arrays a request). In
 * `npm run bench:generator` a bare dispatch loop over a Pool made 0.88x autocannon's request rate
 * and the same loop over Clients 1.0x (docs/performance.md, "The load generator").
 */
/** A request waiting for a connection: started on one as soon as one frees up. */
export interface SlotWaiter {
  start(client: Client): void;
}

export interface ConnectionSlots {
  /** A free connection, now, if there is one. */
  take(): Client | undefined;
  /** Queues a request to start on the next connection that frees up (call after `take` failed). */
  wait(waiter: SlotWaiter): void;
  /** Gives the connection back (once the answer was read to the end, or failed). */
  release(client: Client): void;
  close(): Promise<void>;
}

export function createConnectionSlots(
  origin: string,
  opts: { connections: number; timeoutMs: number },
): ConnectionSlots {
  const clients = Array.from(
    { length: Math.max(1, Math.floor(opts.connections)) },
    () =>
      new Client(origin, {
        pipelining: 1,
        keepAliveTimeout: 30_000,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      }),
  );
  // free connections as a stack (the most recently used, still warm, goes first)
  const free = [...clients].reverse();
  // the line: an array with a moving head, compacted now and then (shift() would copy it each time)
  let line: SlotWaiter[] = [];
  let head = 0;

  return {
    take: () => free.pop(),
    wait(waiter) {
      line.push(waiter);
    },
    release(client) {
      if (head === line.length) {
        free.push(client);
        return;
      }
      const next = line[head++]!;
      if (head >= 1024 && head * 2 >= line.length) {
        line = line.slice(head);
        head = 0;
      }
      next.start(client);
    },
    close: () => Promise.all(clients.map((c) => c.close())).then(() => undefined),
  };
}
