/**
 * The generator's keep-alive connections, handed to one request at a time (HTTP/1.1, no
 * pipelining); requests that find every connection busy wait in line (first come, first served)
 * for the next one that frees up. Both clients use it: ./h1/socket-client.ts (its own connections
 * on `net.Socket`) and ./undici-client.ts (one undici `Client` per connection, for https).
 *
 * It does what undici's `Pool` does, minus its bookkeeping: with one request per connection a
 * Pool's client reports itself full after every dispatch and emits `drain` after every answer,
 * which the Pool re-emits (two events and their argument arrays a request). In
 * `npm run bench:generator` a bare dispatch loop over a Pool made 0.88x autocannon's request rate
 * and the same loop over Clients 1.0x (docs/performance.md, "The load generator").
 */
/** A request waiting for a connection: started on one as soon as one frees up. */
export interface SlotWaiter<C> {
  start(connection: C): void;
}

export interface ConnectionSlots<C> {
  /** A free connection, now, if there is one. */
  take(): C | undefined;
  /** Queues a request to start on the next connection that frees up (call after `take` failed). */
  wait(waiter: SlotWaiter<C>): void;
  /** Gives the connection back (once the answer was read to the end, or failed). */
  release(connection: C): void;
}

export function createConnectionSlots<C>(connections: readonly C[]): ConnectionSlots<C> {
  // free connections as a stack (the most recently used, still warm, goes first)
  const free = [...connections].reverse();
  // the line: an array with a moving head, compacted now and then (shift() would copy it each time)
  let line: SlotWaiter<C>[] = [];
  let head = 0;

  return {
    take: () => free.pop(),
    wait(waiter) {
      line.push(waiter);
    },
    release(connection) {
      if (head === line.length) {
        free.push(connection);
        return;
      }
      const next = line[head++]!;
      if (head >= 1024 && head * 2 >= line.length) {
        line = line.slice(head);
        head = 0;
      }
      next.start(connection);
    },
  };
}

/** How many connections `connections` asks for (at least one). */
export const connectionCount = (connections: number): number => Math.max(1, Math.floor(connections));
