/** Issue 3: the reward issuer's rows in finance's SQLite store (see ../rain-dialect.ts). */
import type { ResultSet } from '@libsql/client';
import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { RainReads, RainTxOps } from '../rain-dialect.js';
import { rainCampaigns, rainGrants, rainReturns } from './rain-schema.js';

type Db = BaseSQLiteDatabase<'async', ResultSet>;

/** Rows per INSERT, far below SQLite's placeholder limit. */
const CHUNK = 500;

export function sqliteRainReads(db: Db): RainReads {
  return {
    async getCampaign(id) {
      const rows = await db.select().from(rainCampaigns).where(eq(rainCampaigns.id, id)).limit(1);
      return rows[0] ?? null;
    },
    async grantsOf(uid) {
      return db
        .select()
        .from(rainGrants)
        .where(eq(rainGrants.uid, uid))
        .orderBy(desc(rainGrants.issuedAt), asc(rainGrants.tokenId));
    },
    async unpublishedGrants(issuedBefore, limit) {
      return db
        .select()
        .from(rainGrants)
        .where(and(eq(rainGrants.published, false), lt(rainGrants.issuedAt, issuedBefore)))
        .orderBy(asc(rainGrants.issuedAt))
        .limit(limit);
    },
  };
}

export function sqliteRainTxOps(tx: Db): RainTxOps {
  return {
    async lockCampaign(id) {
      const rows = await tx.select().from(rainCampaigns).where(eq(rainCampaigns.id, id)).limit(1);
      return rows[0] ?? null;
    },
    async insertCampaign(campaign) {
      await tx.insert(rainCampaigns).values(campaign);
    },
    async updateCampaign({ id, ...fields }) {
      await tx.update(rainCampaigns).set(fields).where(eq(rainCampaigns.id, id));
    },
    async insertGrants(grants) {
      for (let i = 0; i < grants.length; i += CHUNK) {
        await tx.insert(rainGrants).values(grants.slice(i, i + CHUNK));
      }
    },
    async rainReturn(returnNo) {
      const rows = await tx.select().from(rainReturns).where(eq(rainReturns.returnNo, returnNo)).limit(1);
      return rows[0] ?? null;
    },
    async insertRainReturn(row) {
      await tx.insert(rainReturns).values(row);
    },
    async markPublished(tokenIds) {
      for (let i = 0; i < tokenIds.length; i += CHUNK) {
        await tx
          .update(rainGrants)
          .set({ published: true })
          .where(inArray(rainGrants.tokenId, tokenIds.slice(i, i + CHUNK)));
      }
    },
  };
}
