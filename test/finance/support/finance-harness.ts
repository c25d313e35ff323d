/**
 * A real finance over real HTTP: its own store (a SQLite file in a temp dir, or a fresh MariaDB
 * database), served on an ephemeral port, with a client, an admin client and a callback receiver.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createClient } from '@libsql/client';
import mysql from 'mysql2/promise';
import { issueToken } from '../../../src/auth/tokens.js';
import { createFinanceAdminClient } from '../../../src/finance/admin-client.js';
import type { FinanceAdminClient } from '../../../src/finance/admin-client.js';
import { createFinanceClient } from '../../../src/finance/client.js';
import type { FinanceClient } from '../../../src/finance/client.js';
import { createFinance } from '../../../src/finance/create-finance.js';
import type { Finance, FinanceConfig } from '../../../src/finance/create-finance.js';
import type { FinanceStoreConfig } from '../../../src/finance/store/types.js';
import { createTestMysql } from '../../support/services.js';
import type { TestMysql } from '../../support/services.js';
import { startCallbackReceiver } from './callback-receiver.js';
import type { CallbackReceiver } from './callback-receiver.js';

export type Backend = 'sqlite' | 'mysql';

export const JWT_SECRET = 'finance-test-jwt-secret-0123456789';
export const SIGN_SECRET = 'finance-test-sign-secret-0123456789';

export interface FinanceHarness {
  backend: Backend;
  finance: Finance;
  url: string;
  client: FinanceClient;
  admin: FinanceAdminClient;
  receiver: CallbackReceiver;
  token(uid: string): Promise<string>;
  /** Runs SQL on finance's database over a connection of its own (to prove what the database refuses). */
  raw(sql: string): Promise<void>;
  /** A fresh id for this run, so tests sharing a store never collide. */
  id(label: string): string;
  stop(): Promise<void>;
}

let seq = 0;

async function rawQuery(store: FinanceStoreConfig, sql: string): Promise<void> {
  if (store.kind === 'sqlite') {
    const client = createClient({ url: `file:${store.file}` });
    try {
      await client.execute(sql);
    } finally {
      client.close();
    }
    return;
  }
  const conn = await mysql.createConnection({ uri: store.url });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

export async function startFinanceHarness(
  backend: Backend,
  overrides: Partial<Omit<FinanceConfig, 'store' | 'jwtSecret' | 'signSecret'>> = {},
): Promise<FinanceHarness> {
  let dir: string | undefined;
  let db: TestMysql | undefined;
  let store: FinanceStoreConfig;
  if (backend === 'mysql') {
    db = await createTestMysql('fin');
    store = { kind: 'mysql', url: db.url };
  } else {
    dir = await mkdtemp(join(tmpdir(), 'redpkt-finance-'));
    store = { kind: 'sqlite', file: join(dir, 'finance.db') };
  }
  const finance = await createFinance({
    store,
    jwtSecret: JWT_SECRET,
    signSecret: SIGN_SECRET,
    callbacks: { attempts: 3, backoffMs: 20, timeoutMs: 2_000 },
    log: () => {},
    ...overrides,
  });
  const server = serve({ fetch: finance.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createFinanceClient({ baseUrl: url, secret: SIGN_SECRET });
  const admin = createFinanceAdminClient({ baseUrl: url, secret: SIGN_SECRET });
  const receiver = await startCallbackReceiver();
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

  return {
    backend,
    finance,
    url,
    client,
    admin,
    receiver,
    token: (uid) => issueToken(JWT_SECRET, uid),
    raw: (sql) => rawQuery(store, sql),
    id: (label) => `${label}-${run}-${++seq}`,
    async stop() {
      await client.close();
      await admin.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await finance.close();
      await receiver.close();
      if (dir) await rm(dir, { recursive: true, force: true });
      await db?.drop();
    },
  };
}
