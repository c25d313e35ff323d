import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMysqlUrl, MYSQL_URL_MESSAGE } from '../config/mysql-url.js';
import { serverVersionProblem } from '../storage/mysql/server-version.js';
import { RedpktError } from '../domain/errors.js';

export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; urls: string[] };
export type FinanceStoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string };

export function packetStoreConfig(dataDir: string, mysqlUrls: readonly string[]): StoreConfig {
  const other = mysqlUrls.find((u) => !isMysqlUrl(u));
  if (other !== undefined)
    throw new RedpktError('USAGE', `--mysql ${MYSQL_URL_MESSAGE}, got ${JSON.stringify(other)}`);
  return mysqlUrls.length > 0
    ? { kind: 'mysql', urls: [...mysqlUrls] }
    : { kind: 'sqlite', file: join(dataDir, 'redpkt.db') };
}

/** Finance keeps its own database: `<db>_finance` beside the first MySQL URL, or its own file. */
export function financeStoreConfig(dataDir: string, mysqlUrls: readonly string[]): FinanceStoreConfig {
  const first = mysqlUrls[0];
  if (!first) return { kind: 'sqlite', file: join(dataDir, 'finance.db') };
  const u = new URL(first);
  u.pathname = `/${databaseOf(first)}_finance`;
  return { kind: 'mysql', url: u.toString() };
}

export function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name))
    throw new RedpktError('USAGE', `the MySQL URL must name a database (letters, digits, _): ${url}`);
  return name;
}

/** Creates the database a MySQL URL names if it is missing (the server must allow it). */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  const u = new URL(url);
  u.pathname = '/';
  const conn = await connect(u);
  const failed =
    (what: string) =>
    (e: unknown): never => {
      throw new RedpktError('DEPENDENCY_FAILED', `MySQL at ${redacted(u)} ${what}: ${messageOf(e)}`, {
        cause: e,
      });
    };
  try {
    const [[row]] = (await conn
      .query('SELECT VERSION() AS version')
      .catch(failed('did not answer SELECT VERSION()'))) as unknown as [Array<{ version: string }>];
    const problem = serverVersionProblem(String(row?.version ?? ''));
    if (problem) throw new RedpktError('DEPENDENCY_FAILED', `MySQL at ${redacted(u)}: ${problem}`);
    await conn
      .query(`CREATE DATABASE IF NOT EXISTS \`${name}\``)
      .catch(failed(`cannot create database ${name}`));
  } finally {
    await conn.end();
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

function redacted(u: URL): string {
  const copy = new URL(u);
  if (copy.password) copy.password = '***';
  return copy.toString();
}

/** A connection to the server of `u`, or DEPENDENCY_FAILED naming it (issue 17: exit 4, one line). */
async function connect(u: URL) {
  const { default: mysql } = await import('mysql2/promise');
  try {
    return await mysql.createConnection({ uri: u.toString() });
  } catch (e) {
    throw new RedpktError('DEPENDENCY_FAILED', `cannot reach MySQL at ${redacted(u)}: ${messageOf(e)}`, {
      cause: e,
    });
  }
}

/**
 * Issue 5: the shadow lane's databases (DESIGN §2): a `.shadow` file beside each embedded one,
 * `<db>_shadow` beside each MySQL database (`<db>_finance_shadow` for finance). Real data never
 * shares a table with load-test data.
 */
export function shadowStoreConfig(config: StoreConfig): StoreConfig {
  return config.kind === 'sqlite'
    ? { kind: 'sqlite', file: shadowFile(config.file) }
    : { kind: 'mysql', urls: config.urls.map(shadowUrl) };
}

export function shadowFinanceConfig(config: FinanceStoreConfig): FinanceStoreConfig {
  return config.kind === 'sqlite'
    ? { kind: 'sqlite', file: shadowFile(config.file) }
    : { kind: 'mysql', url: shadowUrl(config.url) };
}

function shadowFile(file: string): string {
  return file.replace(/(\.db)?$/, '.shadow.db');
}

function shadowUrl(url: string): string {
  const u = new URL(url);
  u.pathname = `/${databaseOf(url)}_shadow`;
  return u.toString();
}

/** Whether a store's database is already there (the shadow lane starts at boot only if so). */
export async function storeExists(config: StoreConfig): Promise<boolean> {
  if (config.kind === 'sqlite') return existsSync(config.file);
  for (const url of config.urls) {
    const u = new URL(url);
    u.pathname = '/';
    const conn = await connect(u);
    try {
      const [rows] = await conn.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
        databaseOf(url),
      ]);
      if (!Array.isArray(rows) || rows.length === 0) return false;
    } finally {
      await conn.end();
    }
  }
  return true;
}
