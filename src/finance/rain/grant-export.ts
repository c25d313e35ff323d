/**
 * Issue 8: the reward issuer's books as reconciliation reads them: every grant it issued (keyset
 * pages in (issuedAt, outGrantNo) order) and single grants and returns by number. Plain reads of
 * finance's own tables; the sealed token (a bearer credential) never leaves finance this way.
 */
import type { Fen } from '../../domain/money.js';
import type { RainReturn } from './types.js';

/** One issued grant, without its sealed token. */
export interface IssuedGrant {
  outGrantNo: string;
  tokenId: string;
  uid: string;
  campaign: string;
  amount: Fen;
  issuedAt: number;
  expiresAt: number;
}

/** The keyset cursor of the grant export: rows strictly after this one. */
export interface GrantCursor {
  issuedAt: number;
  outGrantNo: string;
}

export interface GrantExportQuery {
  /** Inclusive. */
  fromMs?: number;
  /** Exclusive. */
  toMs?: number;
  after?: GrantCursor;
  limit: number;
}

export interface RainExportReads {
  /** Grants issued in [fromMs, toMs), in (issuedAt, outGrantNo) order, one page. */
  listGrants(query: GrantExportQuery): Promise<IssuedGrant[]>;
  getGrant(outGrantNo: string): Promise<IssuedGrant | null>;
  getReturn(returnNo: string): Promise<RainReturn | null>;
}

export const toIssuedGrant = (g: IssuedGrant): IssuedGrant => ({
  outGrantNo: g.outGrantNo,
  tokenId: g.tokenId,
  uid: g.uid,
  campaign: g.campaign,
  amount: g.amount,
  issuedAt: g.issuedAt,
  expiresAt: g.expiresAt,
});
