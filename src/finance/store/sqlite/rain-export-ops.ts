/** Issue 8: the reward issuer's export reads on finance's SQLite store (see ../../rain/grant-export.ts). */
import type { ResultSet } from '@libsql/client';
import { and, asc, eq, gt, gte, lt, or } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { GrantExportQuery, RainExportReads } from '../../rain/grant-export.js';
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

function grantFilter(q: GrantExportQuery) {
  return and(
    q.fromMs === undefined ? undefined : gte(rainGrants.issuedAt, q.fromMs),
    q.toMs === undefined ? undefined : lt(rainGrants.issuedAt, q.toMs),
    q.after === undefined
      ? undefined
      : or(
          gt(rainGrants.issuedAt, q.after.issuedAt),
          and(eq(rainGrants.issuedAt, q.after.issuedAt), gt(rainGrants.outGrantNo, q.after.outGrantNo)),
        ),
  );
}

export function sqliteRainExportReads(db: Db): RainExportReads {
  return {
    async listGrants(q) {
      return db
        .select(grantColumns)
        .from(rainGrants)
        .where(grantFilter(q))
        .orderBy(asc(rainGrants.issuedAt), asc(rainGrants.outGrantNo))
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
