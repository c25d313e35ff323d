/**
 * Issue 4: a real all-in-one service (HTTP on an ephemeral port, the simulated finance, the worker
 * and the sweeper) with short timings, on SQLite or a fresh MariaDB database, plus what the
 * settlement tests need: finance's client, raw SQL on our database, captured alert lines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import mysql from 'mysql2/promise';
import { issueToken } from '../../../src/auth/tokens.js';
import type { ServeConfig } from '../../../src/config/serve-config.js';
import { createFinanceClient, type FinanceClient } from '../../../src/finance/client.js';
import type { KnobsPatch } from '../../../src/finance/knobs.js';
import { signPayload } from '../../../src/finance/signature.js';
import type { ProviderOrder } from '../../../src/domain/ports.js';
import { financeSignSecret } from '../../../src/runtime/secret.js';
import { startService, type RunningService } from '../../../src/runtime/start-service.js';
import type { WorkerTimings } from '../../../src/worker/timings.js';
import { createTestMysql, type TestMysql } from '../../support/services.js';

export type Backend = 'sqlite' | 'mysql';

export const SECRET = 'settlement-test-secret-0123456789';

/** Short enough for tests, long enough for two cores under load. */
export const FAST: Partial<WorkerTimings> = {
  pollMs: 20,
  leaseMs: 3_000,
  retryBaseMs: 50,
  retryMaxMs: 300,
  recheckAfterMs: 200,
  paymentTimeoutMs: 1_500,
  sweepEveryMs: 150,
  sweepAfterMs: 500,
  alertAfterAttempts: 3,
};

export interface Harness {
  service: RunningService;
  url: string;
  config: ServeConfig;
  finance: FinanceClient;
  alertLines: string[];
  /** JSON over HTTP as `uid`. */
  call(
    method: string,
    path: string,
    uid?: string,
    body?: unknown,
    extraHeaders?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
  ): Promise<{ status: number; body: any }>;
  /** create (and pay unless told not to): the packet id and pay order number. */
  createPacket(
    sender: string,
    body: Record<string, unknown>,
    pay?: boolean,
  ): Promise<{ id: string; payOrderNo: string }>;
  /** Posts a signed finance event about `order` to our callback route; answers `changed`. */
  postEvent(order: ProviderOrder): Promise<boolean>;
  /** Runs SQL on our database over its own connection (a test backdoor). */
  sql(statement: string, args?: (string | number)[]): Promise<void>;
  /** The same on finance's database (its ledger, the reward issuer's grants). */
  financeSql(statement: string, args?: (string | number)[]): Promise<void>;
  stop(): Promise<void>;
}

let seq = 0;
export const orderNo = (label: string): string => `${label}-${process.pid}-${Date.now()}-${++seq}`;

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startHarness(
  backend: Backend,
  opts: { knobs?: KnobsPatch; timings?: Partial<WorkerTimings>; alertWebhook?: string } = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'redpkt-settle-'));
  const db: TestMysql | undefined = backend === 'mysql' ? await createTestMysql('settle') : undefined;
  const config: ServeConfig = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    mysql: db ? [db.url] : [],
    redis: undefined,
    secret: SECRET,
    worker: { ...FAST, ...opts.timings },
    ...(opts.alertWebhook ? { alertWebhook: opts.alertWebhook } : {}),
  };
  const alertLines: string[] = [];
  const service = await startService(config, { log: () => {}, writeLine: (l) => alertLines.push(l) });
  if (opts.knobs) service.finance.knobs.set(opts.knobs);
  const finance = createFinanceClient({ baseUrl: service.url, secret: financeSignSecret(SECRET) });
  const call: Harness['call'] = async (method, path, uid, body, extraHeaders) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
    if (uid) headers.authorization = `Bearer ${await issueToken(SECRET, uid)}`;
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const sqlOn =
    (finance: boolean): Harness['sql'] =>
    async (statement, args = []) => {
      if (db) {
        const conn = await mysql.createConnection({ uri: db.url });
        try {
          if (finance) await conn.query(`USE \`${db.database}_finance\``);
          await conn.query(statement, args);
        } finally {
          await conn.end();
        }
        return;
      }
      const file = join(dataDir, finance ? 'finance.db' : 'redpkt.db');
      const client = createClient({ url: pathToFileURL(file).href, timeout: 5000 });
      try {
        await client.execute({ sql: statement, args });
      } finally {
        client.close();
      }
    };
  return {
    service,
    url: service.url,
    config,
    finance,
    alertLines,
    call,
    sql: sqlOn(false),
    financeSql: sqlOn(true),
    async postEvent(order) {
      const now = Date.now();
      const raw = JSON.stringify({ eventId: `late-${now}`, type: 'order.updated', order, sentAt: now });
      const ts = String(now);
      const res = await fetch(`${service.url}/v1/callbacks/finance`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-finance-timestamp': ts,
          'x-finance-signature': signPayload(financeSignSecret(SECRET), raw, ts),
        },
        body: raw,
      });
      const body = (await res.json()) as { changed?: boolean };
      if (res.status !== 200) throw new Error(`callback refused: ${JSON.stringify(body)}`);
      return body.changed === true;
    },
    async createPacket(sender, body, pay = true) {
      const created = await call('POST', '/v1/c2c/packets', sender, { outOrderNo: orderNo('o'), ...body });
      if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
      const { packetId, payOrderNo } = created.body as { packetId: string; payOrderNo: string };
      if (pay) {
        const paid = await call('POST', `/finance/cashier/${payOrderNo}/pay`, sender);
        if (paid.status !== 200) throw new Error(`pay failed: ${JSON.stringify(paid.body)}`);
      }
      return { id: packetId, payOrderNo };
    },
    async stop() {
      await finance.close();
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
      if (db) {
        const conn = await mysql.createConnection({ uri: db.url });
        for (const suffix of ['_finance', '_shadow', '_finance_shadow'])
          await conn.query(`DROP DATABASE IF EXISTS \`${db.database}${suffix}\``);
        await conn.end();
        await db.drop();
      }
    },
  };
}
