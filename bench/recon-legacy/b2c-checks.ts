/**
 * Issue 8: the B2C side of a window (DESIGN §9): the issuer's grants against our booked
 * subsidies (grants.ts), every B2C packet's invariants, and the summary checks the report shows:
 * subsidies issued == booked + outstanding tokens, used subsidies == B2C packets' amounts,
 * claims == transfers (credits to the claimers' subsidy balances).
 */
import type { ReconStore } from '../../src/domain/ports.js';
import type { RainExportReads } from '../../src/finance/rain/grant-export.js';
import { matchGrants, type GrantReport } from './grants.js';
import type { InvariantTotals } from './invariants.js';
import type { ReconLane } from '../../src/recon/lane.js';
import { otherLane, otherLaneGrant } from '../../src/recon/lane.js';
import { checkPackets } from './packet-checks.js';
import { issuedGrants, ourSubsidies } from './sources.js';
import type { Discrepancy } from './types.js';

export type CheckStatus = 'ok' | 'violated' | 'not_computable';

export interface B2cCheck {
  name: string;
  status: CheckStatus;
  ours: number | null;
  theirs: number | null;
  note: string;
}

export interface B2cSide {
  checks: B2cCheck[];
  grants: GrantReport;
  packets: InvariantTotals;
  /** Grant and campaign discrepancies, packet violations, and violated summary checks. */
  discrepancyCount: number;
}

export interface B2cRequest {
  fromMs: number;
  toMs: number;
  cutoffMs: number;
  now: number;
  lane: ReconLane;
  pageSize: number;
}

export async function checkB2c(
  deps: {
    store: Pick<ReconStore, 'listSubsidies' | 'findSubsidy' | 'listPacketTotals' | 'b2cTotals'>;
    issuer: Pick<RainExportReads, 'listGrants' | 'getGrant'>;
  },
  req: B2cRequest,
  onDiscrepancy: (d: Discrepancy) => void,
): Promise<B2cSide> {
  const { store, issuer } = deps;
  const grants = await matchGrants(
    ourSubsidies(store, req.fromMs, req.toMs, req.pageSize),
    issuedGrants(issuer, req.fromMs, req.toMs, req.pageSize),
    {
      fromMs: req.fromMs,
      toMs: req.toMs,
      now: req.now,
      cutoffMs: req.cutoffMs,
      apart: otherLaneGrant(req.lane),
      lookups: { grant: (no) => issuer.getGrant(no), subsidy: (no) => store.findSubsidy(no) },
      onDiscrepancy,
    },
  );
  const packets = await checkPackets(
    store,
    { type: 'b2c', fromMs: req.fromMs, toMs: req.toMs, pageSize: req.pageSize },
    { paidIsTotal: true, kind: 'b2c packet', apart: otherLane(req.lane) },
    onDiscrepancy,
  );
  const t = await store.b2cTotals(req.fromMs, req.toMs);
  const { total } = grants;
  const used: B2cCheck = {
    name: 'used subsidies == B2C packets (fen)',
    status: t.usedAmount === t.packetAmount && t.usedSubsidies === t.packets ? 'ok' : 'violated',
    ours: t.usedAmount,
    theirs: t.packetAmount,
    note: `${t.usedSubsidies} subsidies used, ${t.packets} B2C packets created in the window`,
  };
  const checks: B2cCheck[] = [
    {
      name: 'subsidies issued == booked + outstanding tokens (fen)',
      status: total.ok ? 'ok' : 'violated',
      ours: total.booked.fen + total.outstanding.fen,
      theirs: total.issued.fen,
      note:
        `the issuer issued ${total.issued.count} grants (${total.issued.fen} fen) in the window; booked ` +
        `${total.booked.count} (${total.booked.fen} fen), outstanding ${total.outstanding.count} ` +
        `(${total.outstanding.fen} fen, ${grants.totals.in_transit.count} of them in transit); ` +
        `${grants.campaigns.filter((c) => !c.ok).length} of ${grants.campaigns.length} campaigns unbalanced`,
    },
    used,
    {
      name: 'B2C claims == transfers (credits), per packet once final',
      status: packets.violations === 0 ? 'ok' : 'violated',
      ours: packets.claims,
      theirs: packets.transfers,
      note:
        `${packets.packets} B2C packets (${packets.finalPackets} final): spent ${packets.paid} fen, ` +
        `credited ${packets.transferred}, returned ${packets.refunded}; ${packets.violations} violations`,
    },
  ];
  const discrepancyCount =
    grants.discrepancyCount + packets.violations + (used.status === 'violated' ? 1 : 0);
  return { checks, grants, packets, discrepancyCount };
}
