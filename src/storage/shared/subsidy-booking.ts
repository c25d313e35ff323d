/**
 * Issue 3: booking grants and spending one on a B2C packet, inside a write transaction.
 *
 * Lock order: grant guard (by out_grant_no) -> subsidy (by token id) -> packet insert -> task.
 * Every writer of a grant's rows takes its guard first, so the plain reads after it cannot miss a
 * row, and racing spenders of one token queue on the guard.
 */
import { RedpktError } from '../../domain/errors.js';
import type { Packet } from '../../domain/packet.js';
import type { BookingResult, CreateB2cResult, NewB2cPacket } from '../../domain/ports.js';
import type { GrantGuard, SealedGrant, Subsidy } from '../../domain/subsidy.js';
import type { StoreTx } from './store-dialect.js';
import { sameLifetime } from './c2c-packet-rows.js';

export function guardOf(grant: SealedGrant, now: number): GrantGuard {
  return { outGrantNo: grant.outGrantNo, tokenId: grant.tokenId, uid: grant.uid, createdAt: now };
}

function subsidyRow(grant: SealedGrant, now: number): Subsidy {
  return {
    tokenId: grant.tokenId,
    outGrantNo: grant.outGrantNo,
    uid: grant.uid,
    campaign: grant.campaign,
    amount: grant.amount,
    expiresAt: grant.expiresAt,
    issuedAt: grant.issuedAt,
    token: grant.token,
    status: 'available',
    packetId: null,
    bookedAt: now,
    updatedAt: now,
  };
}

export const ownsGuard = (guard: GrantGuard | undefined, grant: SealedGrant): boolean =>
  guard !== undefined && guard.uid === grant.uid && guard.tokenId === grant.tokenId;

/** A booked row is this grant when every granted field agrees (the token string may be re-sealed). */
const sameGrant = (row: Subsidy, grant: SealedGrant): boolean =>
  row.outGrantNo === grant.outGrantNo &&
  row.uid === grant.uid &&
  row.amount === grant.amount &&
  row.campaign === grant.campaign &&
  row.expiresAt === grant.expiresAt &&
  row.issuedAt === grant.issuedAt;

/** Books distinct grants (by outGrantNo); see SubsidyStore.bookSubsidies. */
export async function bookInTx(
  tx: StoreTx,
  grants: readonly SealedGrant[],
  now: number,
): Promise<BookingResult[]> {
  const guards = new Map(
    (await tx.lockGrantGuards(grants.map((g) => guardOf(g, now)))).map((g) => [g.outGrantNo, g]),
  );
  const owned = grants.filter((g) => ownsGuard(guards.get(g.outGrantNo), g));
  const booked = new Map((await tx.lockSubsidies(owned.map((g) => g.tokenId))).map((s) => [s.tokenId, s]));
  const fresh = owned.filter((g) => !booked.has(g.tokenId));
  await tx.insertSubsidies(fresh.map((g) => subsidyRow(g, now)));
  const freshIds = new Set(fresh.map((g) => g.tokenId));
  return grants.map((g) => {
    const base = { tokenId: g.tokenId, outGrantNo: g.outGrantNo };
    if (freshIds.has(g.tokenId)) return { ...base, outcome: 'booked' };
    const row = booked.get(g.tokenId);
    return { ...base, outcome: row && sameGrant(row, g) ? 'duplicate' : 'conflict' };
  });
}

function conflict(grant: SealedGrant, why: string): RedpktError {
  return new RedpktError('SUBSIDY_CONFLICT', `grant ${grant.outGrantNo} ${why}`, {
    details: { outGrantNo: grant.outGrantNo, tokenId: grant.tokenId },
  });
}

/** The grant's booked row, locked: booked now if the queue has not yet. */
async function bookOne(tx: StoreTx, grant: SealedGrant, now: number): Promise<Subsidy> {
  const [guard] = await tx.lockGrantGuards([guardOf(grant, now)]);
  if (!ownsGuard(guard, grant)) throw conflict(grant, 'is booked for another user or token');
  const [row] = await tx.lockSubsidies([grant.tokenId]);
  if (row) {
    if (!sameGrant(row, grant)) throw conflict(grant, 'does not match its booked subsidy');
    return row;
  }
  const fresh = subsidyRow(grant, now);
  await tx.insertSubsidies([fresh]);
  return fresh;
}

/** What the sender asked for; a retry may carry a new packet id, expiry and clock. */
function sameB2cBody(stored: Packet, input: NewB2cPacket): boolean {
  return (
    stored.type === 'b2c' &&
    sameLifetime(stored, input) &&
    stored.totalAmount === input.grant.amount &&
    stored.totalCount === input.totalCount &&
    stored.splitMode === input.splitMode &&
    stored.greeting === input.greeting
  );
}

function b2cPacketRow(input: NewB2cPacket): Packet {
  return {
    id: input.id,
    type: 'b2c',
    senderUid: input.senderUid,
    outOrderNo: input.outOrderNo,
    totalAmount: input.grant.amount,
    totalCount: input.totalCount,
    remainingAmount: input.grant.amount,
    remainingCount: input.totalCount,
    splitMode: input.splitMode,
    status: 'active',
    greeting: input.greeting,
    payOrderNo: null,
    expiresAt: input.expiresAt,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** The stored order, when (senderUid, outOrderNo) exists: a replay, or a conflict. */
export async function replayB2c(
  read: Pick<StoreTx, 'packetByOrder' | 'subsidyOfPacket'>,
  input: NewB2cPacket,
): Promise<CreateB2cResult | null> {
  const stored = await read.packetByOrder(input.senderUid, input.outOrderNo);
  if (!stored) return null;
  const funding = stored.type === 'b2c' ? await read.subsidyOfPacket(stored.id) : null;
  if (!funding || funding.tokenId !== input.grant.tokenId || !sameB2cBody(stored, input)) {
    throw new RedpktError(
      'IDEMPOTENCY_CONFLICT',
      `order ${input.outOrderNo} of ${input.senderUid} already exists with a different body or subsidy`,
      { details: { packetId: stored.id, outOrderNo: input.outOrderNo } },
    );
  }
  return { packet: stored, subsidy: funding, created: false };
}

/** See SubsidyStore.createB2cPacket. */
export async function createB2cInTx(tx: StoreTx, input: NewB2cPacket): Promise<CreateB2cResult> {
  const { grant, now } = input;
  const subsidy = await bookOne(tx, grant, now);
  const replay = await replayB2c(tx, input);
  if (replay) return replay;
  if (subsidy.status === 'used') {
    throw new RedpktError('SUBSIDY_USED', 'this subsidy already funded a packet', {
      details: { tokenId: grant.tokenId },
    });
  }
  if (now >= grant.expiresAt) {
    throw new RedpktError('SUBSIDY_EXPIRED', 'this subsidy has expired', {
      details: { tokenId: grant.tokenId, expiresAt: grant.expiresAt },
    });
  }
  const packet = b2cPacketRow(input);
  await tx.insertPacket(packet);
  if (!(await tx.spendSubsidy(grant.tokenId, packet.id, now))) {
    throw new RedpktError('INTERNAL', `subsidy ${grant.tokenId} changed while locked; nothing was written`);
  }
  await tx.insertTasks([{ kind: 'expire', ref: packet.id, dueAt: packet.expiresAt, now }]);
  return {
    packet,
    subsidy: { ...subsidy, status: 'used', packetId: packet.id, updatedAt: now },
    created: true,
  };
}
