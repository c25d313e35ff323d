/** Issue 4: reading back whether every order of some packets reached its final state, and the money. */
import { refundNoFor } from '../../../src/domain/order.js';
import type { Claim } from '../../../src/domain/claim.js';
import type { Packet } from '../../../src/domain/packet.js';
import type { PacketStore } from '../../../src/domain/ports.js';
import type { RefundOrder } from '../../../src/domain/order.js';

export interface PacketBooks {
  packet: Packet;
  claims: Claim[];
  refund: RefundOrder | null;
  paymentStatus: string | undefined;
}

export async function booksOf(store: PacketStore, packetId: string): Promise<PacketBooks> {
  const packet = await store.getPacket(packetId);
  if (!packet) throw new Error(`no packet ${packetId}`);
  return {
    packet,
    claims: await store.listClaims(packetId),
    refund: await store.getRefund(refundNoFor(packetId)),
    paymentStatus: packet.payOrderNo ? (await store.getPayment(packet.payOrderNo))?.status : undefined,
  };
}

/** Every order of the packet is final: payment paid or closed, claims transferred, refund succeeded. */
export function isSettled(b: PacketBooks): boolean {
  if (b.paymentStatus === 'closed') return b.packet.status === 'closed';
  if (b.paymentStatus !== 'paid') return false;
  if (!b.claims.every((c) => c.status === 'transferred')) return false;
  if (b.packet.status === 'exhausted') return b.refund === null;
  return b.packet.status === 'refunded' && b.refund?.status === 'succeeded';
}

export const claimedSum = (b: PacketBooks): number => b.claims.reduce((s, c) => s + c.amount, 0);
