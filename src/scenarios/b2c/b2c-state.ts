import type { ClaimingState } from '../claim-steps.js';

/** What one b2c iteration carries from step to step. */
export interface B2cState extends ClaimingState {
  iteration: number;
  outOrderNo: string;
  /** The won grant: its sealed token funds the packet. */
  grant?: { tokenId: string; token: string; amount: number };
  /** The packet's amount: the grant's. */
  amount?: number;
}

export interface B2cOptions {
  shares: number;
  claimers: number;
  seed: string;
  runId: string;
}

export const B2C_STEPS = ['draw', 'subsidies', 'send', 'claim', 'claim-list'] as const;
