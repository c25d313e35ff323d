import type { Fen } from './money.js';
import type { Transitions } from './state-machine.js';

export const CLAIM_STATUSES = ['claimed', 'transferring', 'transferred', 'failed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** claimed -> transferring -> transferred | failed; a failed transfer may be retried. */
export const CLAIM_TRANSITIONS: Transitions<ClaimStatus> = {
  claimed: ['transferring'],
  transferring: ['transferred', 'failed'],
  failed: ['transferring'],
  transferred: [],
};

export interface Claim {
  /** `${packetId}-${seq}`: unique, and the transfer's order number at finance. */
  claimNo: string;
  packetId: string;
  uid: string;
  /** 1-based order of this claim within its packet. */
  seq: number;
  amount: Fen;
  status: ClaimStatus;
  createdAt: number;
  updatedAt: number;
}

export function claimNoFor(packetId: string, seq: number): string {
  return `${packetId}-${seq}`;
}

/** The claim with the largest amount; ties go to the earliest claimer. */
export function bestLuck(claims: readonly Claim[]): Claim | undefined {
  let best: Claim | undefined;
  for (const c of claims) if (!best || c.amount > best.amount) best = c;
  return best;
}
