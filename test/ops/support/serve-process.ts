/** A real `redpkt serve` on a free port, with no MySQL, Redis or admin key from the environment. */
import { startServe } from '../../support/serve-process.js';
import type { ServeProcess } from '../../support/serve-process.js';

export type { ServeProcess };

export function startServeProcess(args: string[]): Promise<ServeProcess> {
  return startServe(['--port', '0', ...args], {
    ...process.env,
    REDPKT_MYSQL: undefined,
    REDPKT_REDIS: undefined,
    REDPKT_ADMIN_KEY: undefined,
  });
}
