import type { CreditResult } from '../../domain/ports.js';
import type { ServiceDeps } from '../deps.js';

/**
 * For the worker's `transfer` task of a claim on a B2C packet: the share goes to the claimer's
 * withdrawable subsidy balance (no finance call) and the claim becomes `transferred`, in one
 * transaction, idempotent by claimNo. A C2C claim answers `not_b2c` and nothing is written (the
 * worker transfers it through finance). ORDER_NOT_FOUND for an unknown claim.
 */
export function creditSubsidyBalance(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  claimNo: string,
): Promise<CreditResult> {
  return deps.store.creditSubsidyBalance(claimNo, deps.now());
}
