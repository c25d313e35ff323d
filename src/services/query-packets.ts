import { bestLuck } from '../domain/claim.js';
import type { Claim } from '../domain/claim.js';
import { RedpktError } from '../domain/errors.js';
import type { Packet } from '../domain/packet.js';
import type { ServiceDeps } from './deps.js';

export async function getPacket(deps: Pick<ServiceDeps, 'store'>, packetId: string): Promise<Packet> {
  const packet = await deps.store.getPacket(packetId);
  if (!packet) throw new RedpktError('PACKET_NOT_FOUND', 'no such packet');
  return packet;
}

export interface ClaimListEntry {
  claimNo: string;
  uid: string;
  amount: number;
  claimedAt: number;
  status: Claim['status'];
  bestLuck: boolean;
}

export interface ClaimList {
  packetId: string;
  status: Packet['status'];
  totalAmount: number;
  totalCount: number;
  claimedAmount: number;
  claimedCount: number;
  claims: ClaimListEntry[];
}

/**
 * Every claim in claim order. "Best luck" is only known once every share is out, so the marker
 * is set (on the largest share, the earliest on a tie) when the packet is exhausted.
 */
export async function listClaims(deps: Pick<ServiceDeps, 'store'>, packetId: string): Promise<ClaimList> {
  const packet = await getPacket(deps, packetId);
  const claims = await deps.store.listClaims(packetId);
  const best = packet.status === 'exhausted' ? bestLuck(claims) : undefined;
  return {
    packetId,
    status: packet.status,
    totalAmount: packet.totalAmount,
    totalCount: packet.totalCount,
    claimedAmount: claims.reduce((sum, c) => sum + c.amount, 0),
    claimedCount: claims.length,
    claims: claims.map((c) => ({
      claimNo: c.claimNo,
      uid: c.uid,
      amount: c.amount,
      claimedAt: c.createdAt,
      status: c.status,
      bestLuck: c === best,
    })),
  };
}
