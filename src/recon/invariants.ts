/**
 * Issue 8: the money invariants of one C2C packet, from our own records (DESIGN §9):
 * paid >= transferred + refunded, and == once the packet is final; every claim is a transfer
 * (claims == transfers once final). Each packet is checked on its own; the report sums them.
 */
import type { Fen } from '../domain/money.js';
import type { ReconPacketRow } from '../domain/ports.js';
import type { Discrepancy } from './types.js';

/** One C2C packet's orders, summed by the store (its creation time is only the page cursor). */
export type PacketTotals = Omit<ReconPacketRow, 'createdAt'>;

export interface InvariantTotals {
  packets: number;
  /** Packets final and settled (refunded, exhausted or closed, nothing open). */
  finalPackets: number;
  mockedPackets: number;
  paid: Fen;
  transferred: Fen;
  refunded: Fen;
  claims: number;
  transfers: number;
  violations: number;
}

export function emptyInvariantTotals(): InvariantTotals {
  return {
    packets: 0,
    finalPackets: 0,
    mockedPackets: 0,
    paid: 0,
    transferred: 0,
    refunded: 0,
    claims: 0,
    transfers: 0,
    violations: 0,
  };
}

const FINAL_STATUSES = new Set(['refunded', 'exhausted', 'closed']);

export function isSettled(p: PacketTotals): boolean {
  return FINAL_STATUSES.has(p.status) && p.openOrders === 0;
}

/** The violations of one packet (empty when it is sound). */
export function checkPacket(p: PacketTotals): Discrepancy[] {
  const out: Discrepancy[] = [];
  const moved = p.transferred + p.refunded;
  const base = { category: 'invariant' as const, orderNo: p.packetId, kind: 'packet' };
  if (p.paid < moved) {
    out.push({
      ...base,
      ours: p.paid,
      theirs: moved,
      detail: `paid ${p.paid} < transferred ${p.transferred} + refunded ${p.refunded}`,
    });
  } else if (isSettled(p) && p.paid !== moved) {
    out.push({
      ...base,
      ours: p.paid,
      theirs: moved,
      detail: `final (${p.status}) but paid ${p.paid} != transferred ${p.transferred} + refunded ${p.refunded}`,
    });
  }
  if (isSettled(p) && p.claims !== p.transfers) {
    out.push({
      ...base,
      ours: p.claims,
      theirs: p.transfers,
      detail: `final (${p.status}) but ${p.claims} claims != ${p.transfers} transfers`,
    });
  }
  return out;
}

/** Adds one packet to the running totals; returns its violations. */
export function addPacket(totals: InvariantTotals, p: PacketTotals): Discrepancy[] {
  totals.packets += 1;
  if (p.mocked) {
    totals.mockedPackets += 1;
    return [];
  }
  if (isSettled(p)) totals.finalPackets += 1;
  totals.paid += p.paid;
  totals.transferred += p.transferred;
  totals.refunded += p.refunded;
  totals.claims += p.claims;
  totals.transfers += p.transfers;
  const violations = checkPacket(p);
  totals.violations += violations.length;
  return violations;
}
