import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../src/auth/tokens.js';
import { startService } from '../../src/runtime/start-service.js';
import type { RunningService, StartOptions } from '../../src/runtime/start-service.js';
import type { ServeConfig } from '../../src/config/serve-config.js';
import { createTestMysql } from './services.js';

export type Backend = 'sqlite' | 'mysql';

export interface TestService {
  service: RunningService;
  url: string;
  /** The serve's data dir (its embedded stores and secret). */
  dataDir: string;
  token(uid: string): Promise<string>;
  /** JSON request as `uid` (no auth header when uid is null). The body is whatever JSON came back. */
  call(
    method: string,
    path: string,
    opts?: { uid?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any }>;
  /** A claim as a real client makes it: on 429 RATE_LIMITED, wait retryAfterMs and retry (10 times at most). */
  claim(
    packetId: string,
    uid: string,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any; retries: number }>;
  /** create -> pay at the cashier -> wait until the callback made it active (headers on every call). */
  activePacket(
    sender: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<string>;
  stop(): Promise<void>;
}

const SECRET = 'test-secret-0123456789abcdef';

/** A real `serve` (HTTP on an ephemeral port) over a fresh store: a temp dir, or a fresh MariaDB database. */
export async function startTestService(
  backend: Backend,
  /** Issue 3: more serve config (e.g. --redis, --booking-rate) and start options. */
  extra: { config?: Partial<ServeConfig>; opts?: StartOptions } = {},
): Promise<TestService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'redpkt-test-'));
  const db = backend === 'mysql' ? await createTestMysql('svc') : undefined;
  const service = await startService(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      mysql: db ? [db.url] : [],
      redis: undefined,
      secret: SECRET,
      ...extra.config,
    },
    { log: () => {}, ...extra.opts },
  );
  const tokens = new Map<string, string>();
  const token = async (uid: string) => {
    let t = tokens.get(uid);
    if (!t) tokens.set(uid, (t = await issueToken(SECRET, uid)));
    return t;
  };
  const call: TestService['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.uid) headers.authorization = `Bearer ${await token(opts.uid)}`;
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(opts.raw !== undefined
        ? { body: opts.raw }
        : opts.body !== undefined
          ? { body: JSON.stringify(opts.body) }
          : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  };
  const claim: TestService['claim'] = async (packetId, uid, headers) => {
    for (let retries = 0; ; retries++) {
      const r = await call('POST', `/v1/packets/${packetId}/claims`, {
        uid,
        ...(headers ? { headers } : {}),
      });
      if (r.status !== 429 || retries === 10) return { ...r, retries };
      await new Promise((resolve) => setTimeout(resolve, r.body.error.retryAfterMs));
    }
  };
  const activePacket = async (
    sender: string,
    body: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => {
    const h = headers ? { headers } : {};
    const created = await call('POST', '/v1/c2c/packets', { uid: sender, body, ...h });
    if (created.status !== 201 && created.status !== 200)
      throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const pay = await call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, { uid: sender, ...h });
    if (pay.status !== 200) throw new Error(`pay failed: ${JSON.stringify(pay.body)}`);
    const id: string = created.body.packetId;
    for (let i = 0; i < 200; i++) {
      const p = await call('GET', `/v1/packets/${id}`, { uid: sender, ...h });
      if (p.body.status === 'active') return id;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`packet ${id} never became active`);
  };
  return {
    service,
    url: service.url,
    dataDir,
    token,
    call,
    claim,
    activePacket,
    async stop() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
      if (db) {
        const { default: mysql } = await import('mysql2/promise');
        const conn = await mysql.createConnection({ uri: db.url });
        for (const suffix of ['_finance', '_shadow', '_finance_shadow'])
          await conn.query(`DROP DATABASE IF EXISTS \`${db.database}${suffix}\``);
        await conn.end();
        await db.drop();
      }
    },
  };
}
