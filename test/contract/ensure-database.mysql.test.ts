/**
 * `ensureMysqlDatabase` (serve, the worker and `db migrate` call it before anything else): it
 * creates a missing database, and says which step failed when the server will not (exit 4, one
 * line naming the server, never the password). Against the real test server, with a user of its
 * own that may connect and nothing else.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.js';
import { RedpktError } from '../../src/domain/errors.js';
import { ensureMysqlDatabase } from '../../src/runtime/storage-config.js';
import { mysqlAvailable } from '../support/services.js';

const server = readEnv().REDPKT_TEST_MYSQL;
const suffix = randomBytes(4).toString('hex');

function at(database: string, user?: { name: string; password: string }): string {
  const u = new URL(server);
  u.pathname = `/${database}`;
  if (user) {
    u.username = user.name;
    u.password = user.password;
  }
  return u.toString();
}

async function onServer<T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ uri: server });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

describe.skipIf(!(await mysqlAvailable()))('ensureMysqlDatabase on MariaDB', () => {
  const database = `redpkt_test_ensure_${suffix}`;
  // may log in, may not create anything
  const user = { name: `redpkt_test_nocreate_${suffix}`, password: `pw-${suffix}` };
  beforeAll(async () => {
    await onServer((c) => c.query('CREATE USER ?@? IDENTIFIED BY ?', [user.name, '%', user.password]));
  });
  afterAll(async () => {
    await onServer(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await c.query('DROP USER IF EXISTS ?@?', [user.name, '%']);
    });
  });

  it('creates a missing database, and leaves an existing one as it is', async () => {
    await ensureMysqlDatabase(at(database));
    await onServer((c) => c.query(`CREATE TABLE \`${database}\`.kept (id INT PRIMARY KEY)`));
    await ensureMysqlDatabase(at(database));
    const [rows] = await onServer((c) =>
      c.query<mysql.RowDataPacket[]>(
        'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
        [database],
      ),
    );
    expect(rows.map((r) => r.t)).toEqual(['kept']);
  });

  it('names the database it could not create, and never the password', async () => {
    const wanted = `redpkt_test_denied_${suffix}`;
    const error = await ensureMysqlDatabase(at(wanted, user)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedpktError);
    expect((error as RedpktError).code).toBe('DEPENDENCY_FAILED');
    expect((error as RedpktError).message).toMatch(
      new RegExp(`cannot create database ${wanted}: Access denied`),
    );
    expect((error as RedpktError).message).not.toContain(user.password);
    const [rows] = await onServer((c) =>
      c.query<mysql.RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
        wanted,
      ]),
    );
    expect(rows).toHaveLength(0);
  });
});
