/**
 * The decision part of the claim transaction, pure: given the locked packet and the claims the
 * asked uids already have, who gets which share. The adapters then write the result with one
 * UPDATE of the packet and one multi-row INSERT each of claims and transfer tasks.
 */
import { claimNoFor, type Claim } from '../../domain/claim.js';
import type { Packet } from '../../domain/packet.js';
import type { ClaimFailureCode, ClaimOutcome } from '../../domain/ports.js';
import { nextShare, type RandomInt } from '../../domain/split.js';

export interface ClaimPlan {
  /** One per distinct uid, in the order first asked. */
  outcomes: ClaimOutcome[];
  /** Claims to insert, in seq order. */
  newClaims: Claim[];
  /** The packet after the new claims (the same object when nothing changed; null if missing). */
  packetAfter: Packet | null;
}

/** Why nobody new may claim from this packet now, or null when someone may. */
export function refusal(packet: Packet | null, now: number): ClaimFailureCode | null {
  if (!packet) return 'PACKET_NOT_FOUND';
  switch (packet.status) {
    case 'unpaid':
    case 'closed':
      return 'PACKET_NOT_ACTIVE';
    case 'exhausted':
      return 'PACKET_EXHAUSTED';
    case 'expired':
    case 'refunding':
    case 'refunded':
      return 'PACKET_EXPIRED';
    case 'active':
      break;
  }
  if (packet.remainingCount <= 0) return 'PACKET_EXHAUSTED';
  // Expiry is answered, never written: the expire task moves the status later.
  if (now >= packet.expiresAt) return 'PACKET_EXPIRED';
  return null;
}

export function distinct(uids: readonly string[]): string[] {
  return [...new Set(uids)];
}

export function planClaims(
  packet: Packet | null,
  existing: readonly Claim[],
  uids: readonly string[],
  now: number,
  random?: RandomInt,
): ClaimPlan {
  const byUid = new Map(existing.map((c) => [c.uid, c]));
  const outcomes: ClaimOutcome[] = [];
  const newClaims: Claim[] = [];
  let current = packet;
  for (const uid of distinct(uids)) {
    const had = byUid.get(uid);
    if (had) {
      outcomes.push({ uid, ok: true, claim: had, created: false });
      continue;
    }
    const code = refusal(current, now);
    if (code !== null || !current) {
      outcomes.push({ uid, ok: false, code: code ?? 'PACKET_NOT_FOUND' });
      continue;
    }
    const amount = nextShare(current.splitMode, current.remainingAmount, current.remainingCount, random);
    const seq = current.totalCount - current.remainingCount + 1;
    const claim: Claim = {
      claimNo: claimNoFor(current.id, seq),
      packetId: current.id,
      uid,
      seq,
      amount,
      status: 'claimed',
      createdAt: now,
      updatedAt: now,
    };
    newClaims.push(claim);
    outcomes.push({ uid, ok: true, claim, created: true });
    const remainingCount = current.remainingCount - 1;
    current = {
      ...current,
      remainingAmount: current.remainingAmount - amount,
      remainingCount,
      status: remainingCount === 0 ? 'exhausted' : current.status,
      updatedAt: now,
    };
  }
  return { outcomes, newClaims, packetAfter: current };
}
