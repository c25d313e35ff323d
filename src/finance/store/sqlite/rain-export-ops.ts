/** Issue 8: the reward issuer's export reads on finance's SQLite store (see ../../rain/grant-export.ts). */
import type { ResultSet } from '@libsql/client';
import { eq } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RainExportReads } from '../../rain/grant-export.js';
import { grantExportPage } from '../rain-export-query.js';
import { rainGrants, rainReturns } from './rain-schema.js';

type Db = BaseSQLiteDatabase<'async', ResultSet>;

const grantColumns = {
  outGrantNo: rainGrants.outGrantNo,
  tokenId: rainGrants.tokenId,
  uid: rainGrants.uid,
  campaign: rainGrants.campaign,
  amount: rainGrants.amount,
  issuedAt: rainGrants.issuedAt,
  expiresAt: rainGrants.expiresAt,
};

export function sqliteRainExportReads(db: Db): RainExportReads {
  return {
    async listGrants(q) {
      const page = grantExportPage(rainGrants, q);
      return db
        .select(grantColumns)
        .from(rainGrants)
        .where(page.where)
        .orderBy(...page.orderBy)
        .limit(q.limit);
    },
    async getGrant(outGrantNo) {
      const rows = await db
        .select(grantColumns)
        .from(rainGrants)
        .where(eq(rainGrants.outGrantNo, outGrantNo))
        .limit(1);
      return rows[0] ?? null;
    },
    async getReturn(returnNo) {
      const rows = await db.select().from(rainReturns).where(eq(rainReturns.returnNo, returnNo)).limit(1);
      return rows[0] ?? null;
    },
  };
}
