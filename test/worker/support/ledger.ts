/** Issue 4: finance's ledger read through the client, page by page, summed per order. */
import type { FinanceClient } from '../../../src/finance/client.js';
import type { LedgerEntry } from '../../../src/finance/store/types.js';

export async function allLedger(finance: FinanceClient): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await finance.listLedger({ limit: 5000, ...(afterId === undefined ? {} : { afterId }) });
    entries.push(...page.entries);
    if (page.nextAfterId === null) return entries;
    afterId = page.nextAfterId;
  }
}

/** Credits per order number of one kind: a claim paid twice shows up as two credits. */
export function creditsByOrder(
  entries: readonly LedgerEntry[],
  kind: LedgerEntry['kind'],
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const e of entries) {
    if (e.kind !== kind || e.direction !== 'credit') continue;
    out.set(e.orderNo, [...(out.get(e.orderNo) ?? []), e.amount]);
  }
  return out;
}
