/**
 * Real MariaDB and Redis for integration tests (no mocked databases).
 * Every run gets its own database (`redpkt_test_<random>`) or key prefix, dropped afterwards.
 * When a server is unreachable: in CI (CI=true) the suite FAILS; on a laptop it is skipped
 * with a warning, so `npm test` still works on a machine without them.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { readEnv } from '../../src/config/env.js';

const env = readEnv();
export const inCi = env.CI === 'true' || env.CI === '1';

export interface TestMysql {
  /** URL of a fresh, empty database whose name contains `test`. */
  url: string;
  database: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function assertTestDatabaseName(name: string): void {
  if (!/test/i.test(name))
    throw new Error(`refusing to run against database "${name}": its name must say test`);
}

let reachable: Promise<boolean> | undefined;

/** true when MariaDB answers; in CI an unreachable server throws instead. */
export async function mysqlAvailable(): Promise<boolean> {
  reachable ??= (async () => {
    try {
      const conn = await mysql.createConnection({ uri: env.REDPKT_TEST_MYSQL, connectTimeout: 3000 });
      await conn.end();
      return true;
    } catch (e) {
      if (inCi)
        throw new Error(`MariaDB is required in CI and unreachable at ${env.REDPKT_TEST_MYSQL}`, {
          cause: e,
        });
      console.warn(`[redpkt tests] MariaDB unreachable at ${env.REDPKT_TEST_MYSQL}: MySQL suites skipped`);
      return false;
    }
  })();
  return reachable;
}

/** A fresh database on the test server; `drop()` removes it. */
export async function createTestMysql(label = 'db'): Promise<TestMysql> {
  const database = `redpkt_test_${label}_${randomBytes(4).toString('hex')}`;
  assertTestDatabaseName(database);
  const conn = await mysql.createConnection({ uri: env.REDPKT_TEST_MYSQL });
  try {
    await conn.query(`CREATE DATABASE \`${database}\``);
  } finally {
    await conn.end();
  }
  return {
    url: withDatabase(env.REDPKT_TEST_MYSQL, database),
    database,
    async drop() {
      const c = await mysql.createConnection({ uri: env.REDPKT_TEST_MYSQL });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await c.end();
      }
    },
  };
}

export const testRedisUrl = env.REDPKT_TEST_REDIS;

/** true when Redis answers PING; in CI an unreachable server throws instead. */
export async function redisAvailable(url = env.REDPKT_TEST_REDIS): Promise<boolean> {
  const { createConnection } = await import('node:net');
  const u = new URL(url);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: u.hostname, port: Number(u.port || 6379) });
    const done = (v: boolean) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(3000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
  if (!ok && inCi) throw new Error(`Redis is required in CI and unreachable at ${url}`);
  if (!ok) console.warn(`[redpkt tests] Redis unreachable at ${url}: Redis suites skipped`);
  return ok;
}
