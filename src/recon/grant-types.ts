/**
 * Issue 8: the reward issuer's grants against our booked subsidies, one by one by out_grant_no,
 * and the B2C invariant "subsidies issued == booked + outstanding tokens" per campaign and in
 * total, in fen: the shapes of the report. Issue 22: src/recon/sql/02-grants.sql decides them.
 *
 * - booked: issued and booked with the same amount, owner and campaign;
 * - in_transit: issued, not booked yet, less than the cut-off before the run (the booking worker
 *   shaves the rain's peak: a big rain takes minutes to book);
 * - outstanding: issued, not booked after the cut-off. A legitimate state (a token nobody spent
 *   whose message has not been booked): counted with its fen, part of the invariant, not an error;
 * - shadow: a grant of the other lane (lane.ts), reported apart;
 * - amount_mismatch: booked with another amount than issued;
 * - record_mismatch: booked for another uid, campaign or issue time than issued;
 * - missing_at_provider: booked, never issued.
 */
import type { CategoryTotal } from './types.js';

export const GRANT_CATEGORIES = [
  'booked',
  'in_transit',
  'outstanding',
  'shadow',
  'amount_mismatch',
  'record_mismatch',
  'missing_at_provider',
] as const;
export type GrantCategory = (typeof GRANT_CATEGORIES)[number];
export const CLEAN_GRANT_CATEGORIES: ReadonlySet<GrantCategory> = new Set([
  'booked',
  'in_transit',
  'outstanding',
  'shadow',
]);

export interface CampaignCheck {
  campaign: string;
  /** What the issuer issued in the window (its amounts). */
  issued: CategoryTotal;
  /** What we booked of it, or booked without it (our amounts). */
  booked: CategoryTotal;
  /** Issued, not booked (in transit or outstanding), the issuer's amounts. */
  outstanding: CategoryTotal;
  /** issued.fen == booked.fen + outstanding.fen (and the counts likewise). */
  ok: boolean;
}

export interface GrantReport {
  totals: Record<GrantCategory, CategoryTotal>;
  /** Per campaign, by campaign id. */
  campaigns: CampaignCheck[];
  total: Omit<CampaignCheck, 'campaign'>;
  /** Grant discrepancies plus campaigns whose invariant does not hold. */
  discrepancyCount: number;
}
