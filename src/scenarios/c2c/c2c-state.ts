import type { ClaimingState } from '../claim-steps.js';

/** What one c2c iteration carries from step to step (ids flow forward). */
export interface C2cState extends ClaimingState {
  iteration: number;
  amount: number;
  outOrderNo: string;
  payOrderNo?: string;
  /** Active at creation (payment mocked): the pay step has nothing to do. */
  paid?: boolean;
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
