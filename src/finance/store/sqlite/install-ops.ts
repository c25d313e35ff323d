/** Issue 5: fixture accounts in finance's SQLite store (see ../install-dialect.ts). */
import type { ResultSet } from '@libsql/client';
import { eq, sql } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { InstallReads, InstallTxOps } from '../install-dialect.js';
import * as q from '../install-sql.js';
import type { FixtureAccountRow } from '../install-types.js';
import { fixtureAccounts } from './install-schema.js';

type Db = BaseSQLiteDatabase<'async', ResultSet>;

/** Rows per statement (the statement text stays well under SQLite's 1 MB limit). */
const CHUNK = 500;

async function chunked<T>(rows: readonly T[], fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

export function sqliteInstallReads(db: Db): InstallReads {
  return {
    async fixtureAccount(uid) {
      const rows = await db.select().from(fixtureAccounts).where(eq(fixtureAccounts.uid, uid)).limit(1);
      return rows[0] ?? null;
    },
  };
}

export function sqliteInstallTxOps(tx: Db): InstallTxOps {
  const run = (text: string) => tx.run(sql.raw(text));
  return {
    async fixtureAccounts(uids) {
      const found = new Map<string, FixtureAccountRow>();
      await chunked(uids, async (part) => {
        for (const r of (await run(q.selectFixtureAccounts(part))).rows) {
          const row = q.fixtureRow(r as unknown as Record<string, unknown>);
          found.set(row.uid, row);
        }
      });
      return found;
    },
    async existingAccounts(ids) {
      const found = new Set<string>();
      await chunked(ids, async (part) => {
        for (const r of (await run(q.selectAccountIds(part))).rows) found.add(String(r.id));
      });
      return found;
    },
    insertAccounts: (rows) => chunked(rows, (part) => run(q.insertAccounts(part))),
    insertFixtureAccounts: (rows) => chunked(rows, (part) => run(q.insertFixtureAccounts(part))),
    insertLedgerChunked: (rows) => chunked(rows, (part) => run(q.insertLedger(part))),
  };
}
