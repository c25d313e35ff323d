import type { Claim } from '../domain/claim.js';
import { RedpktError } from '../domain/errors.js';
import type { ServiceDeps } from './deps.js';

export interface ClaimResult {
  claim: Claim;
  remainingCount: number;
  created: boolean;
}

/**
 * One claimer, one share; the same claimer again gets the same claim back. Goes through the
 * per-packet queue, which coalesces concurrent claimers of a packet into one transaction.
 */
export async function claimPacket(deps: ServiceDeps, packetId: string, uid: string): Promise<ClaimResult> {
  const { outcome, packet } = await deps.claims.claim(packetId, uid);
  if (!outcome.ok) throw new RedpktError(outcome.code, messageFor(outcome.code));
  return { claim: outcome.claim, remainingCount: packet?.remainingCount ?? 0, created: outcome.created };
}

function messageFor(code: string): string {
  switch (code) {
    case 'PACKET_NOT_FOUND':
      return 'no such packet';
    case 'PACKET_NOT_ACTIVE':
      return 'the packet is not open for claims (not paid yet, or closed)';
    case 'PACKET_EXHAUSTED':
      return 'all shares of this packet have been claimed';
    case 'PACKET_EXPIRED':
      return 'the packet has expired';
    default:
      return code;
  }
}
