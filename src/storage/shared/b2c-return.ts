/**
 * Issue 3: the expiry of a B2C packet inside write transactions. Its unclaimed remainder goes back
 * to the campaign's budget at the issuer, not to the sender. Lock order: packet -> return.
 */
import { RedpktError } from '../../domain/errors.js';
import type { Packet } from '../../domain/packet.js';
import { PACKET_TRANSITIONS } from '../../domain/packet.js';
import type { StartB2cReturnResult } from '../../domain/ports.js';
import { assertTransition } from '../../domain/state-machine.js';
import { B2C_RETURN_TRANSITIONS, b2cReturnNoFor } from '../../domain/subsidy.js';
import type { B2cReturn } from '../../domain/subsidy.js';
import type { StoreTx } from './store-dialect.js';

const changedUnderLock = (what: string): RedpktError =>
  new RedpktError('INTERNAL', `${what} changed while locked; nothing was written`, { details: { what } });

/** See SubsidyStore.startB2cReturn. */
export async function startReturnInTx(
  tx: StoreTx,
  packetId: string,
  now: number,
): Promise<StartB2cReturnResult> {
  const packet = await tx.lockPacket(packetId);
  if (!packet || packet.type !== 'b2c') return { outcome: 'nothing', packet, b2cReturn: null };
  const existing = await tx.b2cReturn(packetId);
  if (existing) return { outcome: 'returning', packet, b2cReturn: existing };
  if (packet.status !== 'active' && packet.status !== 'expired') {
    return { outcome: 'nothing', packet, b2cReturn: null };
  }
  if (packet.status === 'active' && now < packet.expiresAt)
    return { outcome: 'not_due', packet, b2cReturn: null };
  const funding = await tx.subsidyOfPacket(packetId);
  if (!funding) throw new RedpktError('INTERNAL', `b2c packet ${packetId} has no funding subsidy`);
  if (packet.status === 'active')
    assertTransition(`packet ${packetId}`, PACKET_TRANSITIONS, 'active', 'expired');
  assertTransition(`packet ${packetId}`, PACKET_TRANSITIONS, 'expired', 'refunding');
  // As C2C refunds do, the packet keeps its remaining amount and count: the return records what went back.
  const refunding: Packet = { ...packet, status: 'refunding', updatedAt: now };
  const guard = { status: packet.status, remainingCount: packet.remainingCount };
  if (!(await tx.updatePacket(packetId, guard, refunding))) throw changedUnderLock(`packet ${packetId}`);
  const b2cReturn: B2cReturn = {
    returnNo: b2cReturnNoFor(packetId),
    packetId,
    campaign: funding.campaign,
    amount: packet.remainingAmount,
    status: 'pending',
    createdAt: now,
    updatedAt: now,
  };
  await tx.insertB2cReturn(b2cReturn);
  return { outcome: 'returning', packet: refunding, b2cReturn };
}

/** See SubsidyStore.settleB2cReturn. */
export async function settleReturnInTx(
  tx: StoreTx,
  packetId: string,
  now: number,
): Promise<{ b2cReturn: B2cReturn; changed: boolean }> {
  const packet = await tx.lockPacket(packetId);
  const b2cReturn = packet ? await tx.b2cReturn(packetId) : null;
  if (!packet || !b2cReturn) {
    throw new RedpktError('ORDER_NOT_FOUND', `no b2c return for packet ${packetId}`, {
      details: { packetId },
    });
  }
  if (b2cReturn.status === 'succeeded') return { b2cReturn, changed: false };
  assertTransition(`return ${b2cReturn.returnNo}`, B2C_RETURN_TRANSITIONS, b2cReturn.status, 'succeeded');
  assertTransition(`packet ${packetId}`, PACKET_TRANSITIONS, packet.status, 'refunded');
  const ok = await tx.updateB2cReturnStatus(b2cReturn.returnNo, 'pending', 'succeeded', now);
  const guard = { status: packet.status, remainingCount: packet.remainingCount };
  if (!ok || !(await tx.updatePacket(packetId, guard, { ...packet, status: 'refunded', updatedAt: now }))) {
    throw changedUnderLock(`packet ${packetId}`);
  }
  return { b2cReturn: { ...b2cReturn, status: 'succeeded', updatedAt: now }, changed: true };
}
