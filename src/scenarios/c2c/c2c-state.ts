import type { ClaimAnswer, ListedClaim } from '../money-check.js';

/** What one c2c iteration carries from step to step (ids flow forward). */
export interface C2cState {
  iteration: number;
  sender: string;
  claimers: string[];
  amount: number;
  outOrderNo: string;
  packetId?: string;
  payOrderNo?: string;
  answered: ClaimAnswer[];
  refused: string[];
  list?: { status: string; totalAmount: number; claims: ListedClaim[] };
  refund?: number;
}

export interface C2cOptions {
  shares: number;
  claimers: number;
  seed: string;
  /** Makes order numbers unique to this run (a persistent target keeps earlier runs' orders). */
  runId: string;
  /** How long to wait for the pay callback to make a packet active. */
  activeTimeoutMs: number;
  /** `--expire`: packets expire after `afterSec`; wait up to `refundTimeoutMs` after that for the refund. */
  expire?: { afterSec: number; refundTimeoutMs: number };
}

export const C2C_STEPS = ['create', 'pay', 'wait-active', 'claim', 'claim-list'] as const;
export const C2C_EXPIRE_STEP = 'refund';

export function c2cStepNames(opts: Pick<C2cOptions, 'expire'>): string[] {
  return opts.expire ? [...C2C_STEPS, C2C_EXPIRE_STEP] : [...C2C_STEPS];
}
