/**
 * Issue 17: what can make `serve` fail, checked before it creates anything in the data dir (the
 * store, the finance store, a new secret): the port is free, and MySQL answers.
 */
import { createServer } from 'node:net';
import type { ServeConfig } from '../config/serve-config.js';
import { RedpktError } from '../domain/errors.js';
import { ensureMysqlDatabase } from '../runtime/storage-config.js';

/** Binds host:port and lets it go again; port 0 always binds. */
export function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why =
        e.code === 'EADDRINUSE'
          ? 'is in use (another redpkt serve?): pick another --port, or --port 0 for a free one'
          : e.code === 'EADDRNOTAVAIL'
            ? `cannot be bound: ${host} is not an address of this machine (--host)`
            : `cannot be bound: ${e.message}`;
      reject(new RedpktError('USAGE', `--port ${port} on ${host} ${why}`, { cause: e }));
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

export async function preflightServe(config: ServeConfig): Promise<void> {
  await checkPortFree(config.host, config.port);
  if (config.role !== 'gateway') for (const url of config.mysql) await ensureMysqlDatabase(url);
}
