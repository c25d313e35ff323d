/**
 * Issue 8: walks a window's packets of one type (keyset pages) through the per-packet invariants
 * (invariants.ts), keeping the first violations and summing the rest.
 */
import type { ReconStore } from '../../src/domain/ports.js';
import {
  addPacket,
  emptyInvariantTotals,
  type InvariantTotals,
  type PacketCheckOptions,
} from './invariants.js';
import type { Discrepancy } from './types.js';

export async function checkPackets(
  store: Pick<ReconStore, 'listPacketTotals'>,
  q: { type: 'c2c' | 'b2c'; fromMs: number; toMs: number; pageSize: number },
  opts: PacketCheckOptions,
  onViolation: (d: Discrepancy) => void,
): Promise<InvariantTotals> {
  const totals = emptyInvariantTotals();
  let after: { createdAt: number; packetId: string } | undefined;
  for (;;) {
    const page = await store.listPacketTotals({
      type: q.type,
      fromMs: q.fromMs,
      toMs: q.toMs,
      limit: q.pageSize,
      ...(after ? { after } : {}),
    });
    for (const p of page) for (const v of addPacket(totals, p, opts)) onViolation(v);
    const last = page.at(-1);
    if (!last || page.length < q.pageSize) return totals;
    after = { createdAt: last.createdAt, packetId: last.packetId };
  }
}
