/** Issue 5: fixture accounts in finance's MySQL store (see ../install-dialect.ts). */
import { eq, sql } from 'drizzle-orm';
import type { MySqlDatabase } from 'drizzle-orm/mysql-core';
import type { MySql2PreparedQueryHKT, MySql2QueryResultHKT } from 'drizzle-orm/mysql2';
import type { InstallReads, InstallTxOps } from '../install-dialect.js';
import * as q from '../install-sql.js';
import type { FixtureAccountRow } from '../install-types.js';
import { fixtureAccounts } from './install-schema.js';

type Db = MySqlDatabase<MySql2QueryResultHKT, MySql2PreparedQueryHKT>;

/** Rows per statement (the statement text stays well under max_allowed_packet). */
const CHUNK = 1000;

async function chunked<T>(rows: readonly T[], fn: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await fn(rows.slice(i, i + CHUNK));
}

export function mysqlInstallReads(db: Db): InstallReads {
  return {
    async fixtureAccount(uid) {
      const rows = await db.select().from(fixtureAccounts).where(eq(fixtureAccounts.uid, uid)).limit(1);
      return rows[0] ?? null;
    },
  };
}

export function mysqlInstallTxOps(tx: Db): InstallTxOps {
  const run = async (text: string): Promise<Record<string, unknown>[]> => {
    const [result] = await tx.execute(sql.raw(text));
    return Array.isArray(result) ? (result as Record<string, unknown>[]) : [];
  };
  return {
    // Plain reads (READ COMMITTED: the latest committed rows): every install and every account
    // opening holds the issuer's row lock, taken first, so none of these rows can appear meanwhile.
    async fixtureAccounts(uids) {
      const found = new Map<string, FixtureAccountRow>();
      await chunked(uids, async (part) => {
        for (const r of await run(q.selectFixtureAccounts(part))) {
          const row = q.fixtureRow(r);
          found.set(row.uid, row);
        }
      });
      return found;
    },
    async existingAccounts(ids) {
      const found = new Set<string>();
      await chunked(ids, async (part) => {
        for (const r of await run(q.selectAccountIds(part))) found.add(String(r.id));
      });
      return found;
    },
    insertAccounts: (rows) => chunked(rows, (part) => run(q.insertAccounts(part))),
    insertFixtureAccounts: (rows) => chunked(rows, (part) => run(q.insertFixtureAccounts(part))),
    insertLedgerChunked: (rows) => chunked(rows, (part) => run(q.insertLedger(part))),
  };
}
