/**
 * Issue 6: reconciliation reads over every shard. Each shard streams its own keyset pages; a page
 * here is the first `limit` rows of the shards' pages after the same cursor, merged in the same
 * (createdAt, key) order, so walking it page by page sees every row of every shard exactly once.
 * (Keys are ASCII order numbers: JavaScript's comparison agrees with the binary collation.)
 *
 * Not sharded: the stored reports and the switch store's `ops_mocked_orders` live on the first
 * shard (as the switches do). The other shards carry an empty `ops_mocked_orders` (created by the
 * sharded store's migrate) so the same SQL runs there, and their rows' `mocked` flags are
 * completed here from the first shard's table, one query per page.
 */
import type { ReconOrderRow, ReconStore } from '../../domain/ports.js';
import { createReconStore, type SqlRunner } from '../recon/recon-store.js';

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byCreatedThen =
  <T extends { createdAt: number }>(key: (row: T) => string) =>
  (a: T, b: T): number =>
    a.createdAt - b.createdAt || compareKeys(key(a), key(b));

/** Which of these order numbers the first shard's `ops_mocked_orders` holds. */
async function mockedAmong(first: SqlRunner, orderNos: readonly string[]): Promise<Set<string>> {
  if (orderNos.length === 0) return new Set();
  const rows = await first.all(
    `SELECT order_no FROM ops_mocked_orders WHERE order_no IN (${orderNos.map(() => '?').join(', ')})`,
    orderNos,
  );
  return new Set(rows.map((r) => String(r['order_no'])));
}

/** One runner per shard, in shard order. */
export function createShardedReconStore(runners: readonly SqlRunner[]): ReconStore {
  const [firstRunner] = runners;
  const shards = runners.map(createReconStore);
  const [first] = shards;
  if (!first || !firstRunner) throw new Error('a sharded recon store needs at least one shard');
  return {
    async listOrders(query) {
      const pages = await Promise.all(shards.map((s) => s.listOrders(query)));
      const page = pages
        .flatMap((rows, shard) => rows.map((row) => ({ row, shard })))
        .sort((a, b) => byCreatedThen((r: ReconOrderRow) => r.orderNo)(a.row, b.row))
        .slice(0, Math.max(0, Math.floor(query.limit)));
      const unsure = page.filter((p) => p.shard > 0 && !p.row.mocked).map((p) => p.row.orderNo);
      const mocked = await mockedAmong(firstRunner, unsure);
      return page.map(({ row }) => (mocked.has(row.orderNo) ? { ...row, mocked: true } : row));
    },
    async findOrder(orderNo) {
      const found = await Promise.all(shards.map((s) => s.findOrder(orderNo)));
      return found.find((f) => f !== null) ?? null;
    },
    async listPacketTotals(query) {
      const pages = await Promise.all(shards.map((s) => s.listPacketTotals(query)));
      return pages
        .flat()
        .sort(byCreatedThen((r) => r.packetId))
        .slice(0, Math.max(0, Math.floor(query.limit)));
    },
    async listSubsidies(query) {
      // a booked subsidy is on its uid's shard only (the grant and token guards see to that)
      const pages = await Promise.all(shards.map((s) => s.listSubsidies(query)));
      return pages
        .flat()
        .sort((a, b) => a.issuedAt - b.issuedAt || compareKeys(a.outGrantNo, b.outGrantNo))
        .slice(0, Math.max(0, Math.floor(query.limit)));
    },
    async findSubsidy(outGrantNo) {
      const found = await Promise.all(shards.map((s) => s.findSubsidy(outGrantNo)));
      return found.find((f) => f !== null) ?? null;
    },
    async b2cTotals(fromMs, toMs) {
      // a B2C packet and the subsidy that funded it are on the sender's shard: per-shard sums add up
      const totals = await Promise.all(shards.map((s) => s.b2cTotals(fromMs, toMs)));
      return totals.reduce((a, b) => ({
        packets: a.packets + b.packets,
        packetAmount: a.packetAmount + b.packetAmount,
        usedSubsidies: a.usedSubsidies + b.usedSubsidies,
        usedAmount: a.usedAmount + b.usedAmount,
        booked: a.booked + b.booked,
        bookedAmount: a.bookedAmount + b.bookedAmount,
      }));
    },
    saveReport: (report) => first.saveReport(report),
    listReports: (limit) => first.listReports(limit),
    async close() {
      await Promise.all(shards.map((s) => s.close()));
    },
  };
}
