/**
 * Issue 8: which lane a reconciliation reads, and which numbers belong to the other one. Every
 * number the shadow (load-test) lane makes starts with `S` (src/domain/ids.ts); reconciling the
 * real lane, those are reported apart under `shadow`; reconciling the shadow lane (`--shadow`),
 * the real-marked ones are. Grant numbers are the issuer's, not ours: the shadow lane's issuer
 * need not mark them, so under `--shadow` no grant is put apart by its number (its books are the
 * shadow finance's own database anyway).
 */
import { isShadowNo } from '../domain/ids.js';

export type ReconLane = 'real' | 'shadow';

/** Whether an order number belongs to the other lane than `lane`. */
export function otherLane(lane: ReconLane): (orderNo: string) => boolean {
  return lane === 'real' ? isShadowNo : (no) => !isShadowNo(no);
}

/** Whether a grant number belongs to the other lane (see above: only shadow-marked ones, in the real lane). */
export function otherLaneGrant(lane: ReconLane): (outGrantNo: string) => boolean {
  return lane === 'real' ? isShadowNo : () => false;
}
