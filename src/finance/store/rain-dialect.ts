/**
 * Issue 3: what each finance dialect adds for the reward issuer. Merged into Dialect and TxOps
 * (./dialect.ts), implemented in `sqlite/rain-ops.ts` and `mysql/rain-ops.ts`; the logic is written
 * once in ../rain/rain-operations.ts.
 */
import type { Campaign, RainGrant, RainReturn } from '../rain/types.js';

export interface RainReads {
  getCampaign(id: string): Promise<Campaign | null>;
  /** Newest first. */
  grantsOf(uid: string): Promise<RainGrant[]>;
  /** Oldest first. */
  unpublishedGrants(issuedBefore: number, limit: number): Promise<RainGrant[]>;
}

export interface RainTxOps {
  /** The campaign row, locked until commit (FOR UPDATE; SQLite writers are serialized). */
  lockCampaign(id: string): Promise<Campaign | null>;
  insertCampaign(campaign: Campaign): Promise<void>;
  updateCampaign(campaign: Campaign): Promise<void>;
  /** One multi-row INSERT per chunk. */
  insertGrants(grants: readonly RainGrant[]): Promise<void>;
  /** A plain read: returns are written under their campaign's lock, taken first. */
  rainReturn(returnNo: string): Promise<RainReturn | null>;
  insertRainReturn(row: RainReturn): Promise<void>;
  markPublished(tokenIds: readonly string[]): Promise<void>;
}
