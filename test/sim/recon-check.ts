/**
 * Issue 24: at quiescence, the real reconciliation (src/recon/run-recon.ts, DuckDB embedded) over
 * the simulated window: our packet store against finance's orders, ledger and the issuer's grants
 * and returns, C2C and B2C together. Clean is what `redpkt recon` exits 0 on.
 */
import type { FinanceStore } from '../../src/finance/store/types.js';
import { runRecon } from '../../src/recon/run-recon.js';
import { openReconStore } from '../../src/storage/recon/create-recon-store.js';

export async function checkRecon(
  packetsFile: string,
  finance: FinanceStore,
  window: { fromMs: number; toMs: number },
  now: number,
): Promise<string[]> {
  const ours = openReconStore({ kind: 'sqlite', file: packetsFile });
  try {
    const report = await runRecon(
      {
        store: ours,
        ledger: (q) => finance.listLedger(q),
        providerOrder: (no) => finance.getOrder(no),
        issuer: finance,
      },
      {
        window: {
          key: 'sim',
          date: new Date(window.fromMs).toISOString().slice(0, 10),
          hour: null,
          tz: 'UTC',
          ...window,
        },
        type: 'all',
        cutoffMs: 15 * 60_000,
        now,
        keep: 10,
      },
    );
    if (report.clean) return [];
    return [
      `recon of the simulated window: ${report.discrepancyCount} discrepancies (not clean)`,
      ...report.discrepancies.map(
        (d) => `recon: ${d.category} ${d.kind} ${d.orderNo} ours ${d.ours} theirs ${d.theirs}: ${d.detail}`,
      ),
    ];
  } finally {
    await ours.close();
  }
}
