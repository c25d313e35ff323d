/**
 * The reward issuer inside the simulated finance (issue 3): red-packet rain campaigns, their
 * budgets (each an account in finance's ledger), and the grants drawn from them. Finance's OWN
 * tables; the packet service sees only tokens, grant messages and the HTTP API.
 */
import type { Fen } from '../../domain/money.js';
import type { SealedGrant, SubsidyGrant } from '../../domain/subsidy.js';

/** Ledger kinds of budget movements: issuer <-> campaign, campaign -> merchant, merchant -> campaign. */
export const RAIN_LEDGER_KINDS = ['budget', 'grant', 'grant_return'] as const;
export type RainLedgerKind = (typeof RAIN_LEDGER_KINDS)[number];

export const campaignAccount = (campaign: string): string => `campaign:${campaign}`;

export interface CampaignConfig {
  /** Total funded budget in fen; what is left = budget - granted + returned. */
  budget: Fen;
  /** Chance that one draw wins, 0..1. */
  probability: number;
  /** A win is uniform in [minAmount, maxAmount] fen, capped by what is left. */
  minAmount: Fen;
  maxAmount: Fen;
  /** How long a token may be spent. */
  tokenTtlSec: number;
}

export interface Campaign extends CampaignConfig {
  id: string;
  /** Sum of every grant's amount. */
  granted: Fen;
  /** Sum of remainders returned by expired packets. */
  returned: Fen;
  /** Number of grants. */
  grants: number;
  createdAt: number;
  updatedAt: number;
}

export const remainingBudget = (c: Pick<Campaign, 'budget' | 'granted' | 'returned'>): Fen =>
  c.budget - c.granted + c.returned;

/** A grant as finance stores it. */
export interface RainGrant extends SealedGrant {
  /** The ledger transaction that moved its amount out of the campaign's budget. */
  txnId: string;
  /** true once its message is on the grant queue (an outbox flag: unpublished ones are re-sent). */
  published: boolean;
}

export interface RainReturn {
  returnNo: string;
  campaign: string;
  amount: Fen;
  txnId: string;
  createdAt: number;
}

/** One draw with its dice rolled beforehand (so a retried transaction decides the same). */
export interface DrawRequest {
  uid: string;
  /** Uniform in [0, 1): wins when below the campaign's probability. */
  roll: number;
  /** Uniform in [0, 1): picks the amount in [minAmount, maxAmount]. */
  pick: number;
}

export type DrawOutcome =
  { won: true; grant: RainGrant } | { won: false; reason: 'unlucky' | 'budget_exhausted' };

export interface DrawOptions {
  now: number;
  newTxnId: () => string;
  /** Ids and sealed token for a new grant (the store keeps what it returns). */
  mint: (grant: Omit<SubsidyGrant, 'tokenId' | 'outGrantNo'>) => SealedGrant;
}

export interface RainStore {
  /** Creates or reconfigures a campaign; a budget change is ledgered (issuer <-> campaign). */
  setCampaign(
    id: string,
    config: CampaignConfig,
    opts: { now: number; newTxnId: () => string },
  ): Promise<Campaign>;
  getCampaign(id: string): Promise<Campaign | null>;
  /**
   * Decides a batch of draws of one campaign in ONE transaction under the campaign's lock: the
   * budget is never overspent, whatever the concurrency. Outcomes in request order.
   * NOT_FOUND for an unknown campaign.
   */
  drawGrants(campaign: string, draws: readonly DrawRequest[], opts: DrawOptions): Promise<DrawOutcome[]>;
  /**
   * Idempotent by returnNo: merchant -> campaign, ledgered. Returns never exceed what the campaign
   * granted (INSUFFICIENT_BALANCE). changed=false for a replay.
   */
  returnToCampaign(
    input: { returnNo: string; campaign: string; amount: Fen },
    opts: { now: number; newTxnId: () => string },
  ): Promise<{ rainReturn: RainReturn; changed: boolean }>;
  /** Newest first. */
  grantsOf(uid: string): Promise<RainGrant[]>;
  /** Grants not yet on the queue, issued before `issuedBefore`, oldest first. */
  unpublishedGrants(issuedBefore: number, limit: number): Promise<RainGrant[]>;
  markPublished(tokenIds: readonly string[]): Promise<void>;
}
