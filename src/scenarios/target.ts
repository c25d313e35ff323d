import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { RedpktError } from '../domain/errors.js';

/** Where a load run sends its traffic: a running service, or one started here for the run. */
export interface Target {
  url: string;
  /** Signs user tokens; undefined for a remote target run without --secret (fixtures carry tokens). */
  secret: string | undefined;
  /** Messages the embedded service logged (its internal errors), for the end-of-run warning. */
  logged(): { count: number; first?: string };
  close(): Promise<void>;
}

/** A remote target must answer `GET /healthz` first: a wrong URL fails before any load starts. */
export async function remoteTarget(url: string, secret: string | undefined): Promise<Target> {
  try {
    const res = await request(new URL('/healthz', url), {
      method: 'GET',
      headersTimeout: 5000,
      bodyTimeout: 5000,
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`GET /healthz answered ${res.statusCode}`);
  } catch (e) {
    throw new RedpktError(
      'DEPENDENCY_FAILED',
      `target ${url} is not answering: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  return { url, secret, logged: () => ({ count: 0 }), close: async () => {} };
}

/** The embedded service (packet API + simulated finance) in this process, on a fresh temporary store. */
export async function embeddedTarget(): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'redpkt-load-'));
  const secret = randomBytes(24).toString('base64url');
  let count = 0;
  let first: string | undefined;
  try {
    // Loaded on demand: a run against --target never loads the storage and finance stacks.
    const { startService } = await import('../runtime/start-service.js');
    const service = await startService(
      { port: 0, host: '127.0.0.1', dataDir, mysql: [], redis: undefined, secret },
      {
        log: (msg, err) => {
          count++;
          first ??= `${msg}: ${err instanceof Error ? err.message : String(err)}`;
        },
      },
    );
    return {
      url: service.url,
      secret: service.secret,
      logged: () => ({ count, ...(first !== undefined ? { first } : {}) }),
      async close() {
        await service.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}
