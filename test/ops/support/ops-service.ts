/** Issue 7's tests: a real service in this process (HTTP on an ephemeral port), with its data dir kept known. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../../src/auth/tokens.js';
import type { ServeConfig } from '../../../src/config/serve-config.js';
import { startService } from '../../../src/runtime/start-service.js';
import type { RunningService } from '../../../src/runtime/start-service.js';

export const SECRET = 'ops-test-secret-0123456789abcdef';

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  body: any;
}

export interface OpsService {
  service: RunningService;
  url: string;
  dataDir: string;
  adminKey: string;
  /** As user `uid`, with the admin key (`admin: true`), or with nothing. */
  call(
    method: string,
    path: string,
    opts?: { uid?: string; admin?: boolean; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  /** create -> pay at the cashier -> wait until active (or active at once when payment is mocked). */
  activePacket(sender: string, body: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export async function startOpsService(config: Partial<ServeConfig> = {}): Promise<OpsService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'redpkt-ops-'));
  const service = await startService(
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      mysql: [],
      redis: undefined,
      secret: SECRET,
      worker: { pollMs: 50 },
      switchPollMs: 100,
      ...config,
    },
    { log: () => {} },
  );
  const call: OpsService['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.uid) headers.authorization = `Bearer ${await issueToken(SECRET, opts.uid)}`;
    if (opts.admin) headers['x-admin-key'] = service.ops.adminKey;
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
  };
  const activePacket: OpsService['activePacket'] = async (sender, body) => {
    const created = await call('POST', '/v1/c2c/packets', { uid: sender, body });
    if (created.status !== 201 && created.status !== 200)
      throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    const id: string = created.body.packetId;
    if (created.body.status === 'active') return id;
    const pay = await call('POST', `/finance/cashier/${created.body.payOrderNo}/pay`, { uid: sender });
    if (pay.status !== 200) throw new Error(`pay failed: ${JSON.stringify(pay.body)}`);
    for (let i = 0; i < 200; i++) {
      if ((await call('GET', `/v1/packets/${id}`, { uid: sender })).body.status === 'active') return id;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`packet ${id} never became active`);
  };
  return {
    service,
    url: service.url,
    dataDir,
    adminKey: service.ops.adminKey,
    call,
    activePacket,
    async stop() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it is true or `ms` passed; returns how long it took (or null on timeout). */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await sleep(20);
  }
  return (await check()) ? Date.now() - started : null;
}
