import { existsSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';

export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; urls: string[] };
export type FinanceStoreConfig = { kind: 'sqlite'; file: string } | { kind: 'mysql'; url: string };

export function packetStoreConfig(dataDir: string, mysqlUrls: readonly string[]): StoreConfig {
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
    throw new Error(`the MySQL URL must name a database (letters, digits, _): ${url}`);
  return name;
}

/** Creates the database a MySQL URL names if it is missing (the server must allow it). */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  const u = new URL(url);
  u.pathname = '/';
  const conn = await mysql.createConnection({ uri: u.toString() });
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${name}\``);
  } finally {
    await conn.end();
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
    const conn = await mysql.createConnection({ uri: u.toString() });
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
