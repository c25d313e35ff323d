/**
 * B2C subsidies (DESIGN §4): a rain grant, booked into the packet service, spent on one packet;
 * claims of B2C packets credit a withdrawable subsidy balance; withdrawals move it to the wallet.
 */
import type { Fen } from './money.js';
import type { Transitions } from './state-machine.js';

/** What the reward issuer granted, as sealed into the user's token (src/auth/subsidy-token.ts). */
export interface SubsidyGrant {
  /** The token's id: what "my subsidies" de-duplicates by. */
  tokenId: string;
  /** The issuer's business order number of the grant: unique, the booking's idempotency key. */
  outGrantNo: string;
  uid: string;
  amount: Fen;
  campaign: string;
  /** Epoch ms: the token cannot be spent from then on. */
  expiresAt: number;
  issuedAt: number;
}

/** A grant together with its sealed token, as the issuer lists it and the queue carries it. */
export interface SealedGrant extends SubsidyGrant {
  token: string;
}

/** Booked rows: `available` until one packet spends it (`used`). Expiry is read, never written. */
export const SUBSIDY_STATUSES = ['available', 'used'] as const;
export type SubsidyStatus = (typeof SUBSIDY_STATUSES)[number];
export const SUBSIDY_TRANSITIONS: Transitions<SubsidyStatus> = { available: ['used'], used: [] };

/** A grant booked into the packet service's database. */
export interface Subsidy extends SealedGrant {
  status: SubsidyStatus;
  /** The packet it funded, once used. */
  packetId: string | null;
  bookedAt: number;
  updatedAt: number;
}

/** What a client sees: `expired` is an available subsidy past its expiry. */
export type SubsidyViewStatus = 'available' | 'used' | 'expired';

export function subsidyViewStatus(
  status: SubsidyStatus | null,
  expiresAt: number,
  now: number,
): SubsidyViewStatus {
  if (status === 'used') return 'used';
  return now >= expiresAt ? 'expired' : 'available';
}

/** The grant guard row (DESIGN §2): keyed by out_grant_no alone, so a grant has one owner. */
export interface GrantGuard {
  outGrantNo: string;
  tokenId: string;
  uid: string;
  createdAt: number;
}

/** A user's withdrawable subsidy balance; `held` is on its way to the wallet. */
export interface SubsidyBalance {
  uid: string;
  available: Fen;
  held: Fen;
  updatedAt: number;
}

/** One B2C claim credited to its claimer's subsidy balance (idempotent by claimNo). */
export interface SubsidyCredit {
  claimNo: string;
  packetId: string;
  uid: string;
  amount: Fen;
  createdAt: number;
}

export const WITHDRAWAL_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];
/** pending -> succeeded (the transfer paid) | failed (the held amount went back to the balance). */
export const WITHDRAWAL_TRANSITIONS: Transitions<WithdrawalStatus> = {
  pending: ['succeeded', 'failed'],
  succeeded: [],
  failed: [],
};

export interface Withdrawal {
  /** Our order number at finance (the transfer's transferNo). */
  withdrawalNo: string;
  uid: string;
  /** The client's idempotency key, unique per uid. */
  outOrderNo: string;
  amount: Fen;
  status: WithdrawalStatus;
  providerTxnId: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The unclaimed remainder of an expired B2C packet, going back to its campaign's budget. */
export const B2C_RETURN_STATUSES = ['pending', 'succeeded'] as const;
export type B2cReturnStatus = (typeof B2C_RETURN_STATUSES)[number];
export const B2C_RETURN_TRANSITIONS: Transitions<B2cReturnStatus> = { pending: ['succeeded'], succeeded: [] };

export interface B2cReturn {
  /** `${packetId}-R`: the return's order number at the issuer. */
  returnNo: string;
  packetId: string;
  campaign: string;
  amount: Fen;
  status: B2cReturnStatus;
  createdAt: number;
  updatedAt: number;
}

export function b2cReturnNoFor(packetId: string): string {
  return `${packetId}-R`;
}
