/**
 * Issue 8: the money invariants of one packet, from our own records (DESIGN §9):
 * paid >= transferred + refunded, and == once the packet is final; every claim is a transfer
 * (claims == transfers once final). Each packet is checked on its own; the report sums them.
 * A B2C packet is paid by the subsidy it spent (== its amount: "used subsidies == B2C packets'
 * amounts"), its transfers are the credits to the claimers' subsidy balances, its refund the
 * remainder returned to the issuer.
 */
import type { Fen } from '../../src/domain/money.js';
import type { ReconPacketRow } from '../../src/domain/ports.js';
import type { Discrepancy } from './types.js';

/** One packet's orders, summed by the store (its creation time is only the page cursor). */
export type PacketTotals = Omit<ReconPacketRow, 'createdAt'>;

export interface InvariantTotals {
  packets: number;
  /** Packets final and settled (refunded, exhausted or closed, nothing open). */
  finalPackets: number;
  mockedPackets: number;
  /** Packets of the other lane (shadow-marked ids in the real lane): apart, not checked. */
  shadowPackets: number;
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
    shadowPackets: 0,
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

export interface PacketCheckOptions {
  /** B2C: the subsidy spent must be the packet's amount. */
  paidIsTotal?: boolean;
  /** The discrepancy's kind (default `packet`). */
  kind?: string;
  /** Packet ids of the other lane (lane.ts): counted apart, not checked. */
  apart?: (packetId: string) => boolean;
}

/** The violations of one packet (empty when it is sound). */
export function checkPacket(p: PacketTotals, opts: PacketCheckOptions = {}): Discrepancy[] {
  const out: Discrepancy[] = [];
  const moved = p.transferred + p.refunded;
  const base = { category: 'invariant' as const, orderNo: p.packetId, kind: opts.kind ?? 'packet' };
  if (opts.paidIsTotal && p.paid !== p.totalAmount) {
    out.push({
      ...base,
      ours: p.paid,
      theirs: p.totalAmount,
      detail: `subsidy spent ${p.paid} != packet amount ${p.totalAmount}`,
    });
  }
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
export function addPacket(
  totals: InvariantTotals,
  p: PacketTotals,
  opts: PacketCheckOptions = {},
): Discrepancy[] {
  totals.packets += 1;
  if (opts.apart?.(p.packetId)) {
    totals.shadowPackets += 1;
    return [];
  }
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
  const violations = checkPacket(p, opts);
  totals.violations += violations.length;
  return violations;
}
