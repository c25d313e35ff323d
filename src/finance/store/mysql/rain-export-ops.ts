/** Issue 8: the reward issuer's export reads on finance's MySQL store (see ../../rain/grant-export.ts). */

import { eq } from 'drizzle-orm';
import type { MySqlDatabase } from 'drizzle-orm/mysql-core';
import type { MySql2PreparedQueryHKT, MySql2QueryResultHKT } from 'drizzle-orm/mysql2';
import type { RainExportReads } from '../../rain/grant-export.js';
import { grantExportPage } from '../rain-export-query.js';
import { rainGrants, rainReturns } from './rain-schema.js';

type Db = MySqlDatabase<MySql2QueryResultHKT, MySql2PreparedQueryHKT>;

const grantColumns = {
  outGrantNo: rainGrants.outGrantNo,
  tokenId: rainGrants.tokenId,
  uid: rainGrants.uid,
  campaign: rainGrants.campaign,
  amount: rainGrants.amount,
  issuedAt: rainGrants.issuedAt,
  expiresAt: rainGrants.expiresAt,
};

export function mysqlRainExportReads(db: Db): RainExportReads {
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
