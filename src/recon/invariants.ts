/**
 * Issue 8: the money invariants of one packet, from our own records (DESIGN §9):
 * paid >= transferred + refunded, and == once the packet is final; every claim is a transfer
 * (claims == transfers once final). Each packet is checked on its own; the report sums them.
 * A B2C packet is paid by the subsidy it spent (== its amount: "used subsidies == B2C packets'
 * amounts"), its transfers are the credits to the claimers' subsidy balances, its refund the
 * remainder returned to the issuer. Issue 22: src/recon/sql/03-packets.sql checks them; these are
 * the report's totals.
 */
import type { Fen } from '../domain/money.js';

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
