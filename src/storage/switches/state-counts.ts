/**
 * The row counts `/metrics` shows (StateCounts), read from one database, and added up over a
 * sharded store's databases: every shard holds its own packets, orders, outbox tasks and alerts,
 * so a count read from one shard would hide the others' backlog. A table a database cannot
 * answer for (not there yet, or the shard is down) leaves its gauge out, never a partial sum: an
 * outbox backlog missing one shard's tasks would look healthy.
 */
import type { StateCounts } from '../../switches/ports.js';
import type { SqlRunner } from './switch-dialect.js';
import { num, str } from './switch-dialect.js';

type Counted = Array<{ key: string; sub: string; count: number }>;

async function countBy(reads: SqlRunner, sql: string): Promise<Counted | undefined> {
  try {
    const rows = await reads.all(sql);
    return rows.map((r) => ({ key: str(r['k']), sub: str(r['s']), count: num(r['n']) }));
  } catch {
    // the table is not there (yet), or the database does not answer: that gauge is left out
    return undefined;
  }
}

/** Mocked orders live beside the switches (one database, not per shard). */
export async function countMocked(reads: SqlRunner): Promise<StateCounts['mocked']> {
  const rows = await countBy(reads, 'SELECT kind AS k, COUNT(*) AS n FROM ops_mocked_orders GROUP BY kind');
  return rows?.map((r) => ({ kind: r.key, count: r.count }));
}

/**
 * One database's rows by state: packets, payments, claims, refunds; the outbox backlog (pending
 * and dead tasks, by the (status, due_at) index) and its earliest due pending task; the alerts
 * raised; shadow-marked rows (the real lane's books: there must be none).
 */
export async function countRowStates(reads: SqlRunner): Promise<StateCounts> {
  const [packets, payments, claims, refunds, tasks, oldest, alerts, shadowPackets, shadowPayments] =
    await Promise.all([
      countBy(reads, 'SELECT type AS k, status AS s, COUNT(*) AS n FROM packets GROUP BY type, status'),
      countBy(reads, 'SELECT status AS k, COUNT(*) AS n FROM payment_orders GROUP BY status'),
      countBy(reads, 'SELECT status AS k, COUNT(*) AS n FROM claims GROUP BY status'),
      countBy(reads, 'SELECT status AS k, COUNT(*) AS n FROM refund_orders GROUP BY status'),
      countBy(
        reads,
        "SELECT kind AS k, status AS s, COUNT(*) AS n FROM tasks WHERE status IN ('pending', 'dead') GROUP BY kind, status",
      ),
      countBy(reads, "SELECT 'due' AS k, MIN(due_at) AS n FROM tasks WHERE status = 'pending'"),
      countBy(reads, 'SELECT kind AS k, COUNT(*) AS n FROM alerts GROUP BY kind'),
      countBy(reads, "SELECT 'packets' AS k, COUNT(*) AS n FROM packets WHERE id >= 'S' AND id < 'T'"),
      countBy(
        reads,
        "SELECT 'payment_orders' AS k, COUNT(*) AS n FROM payment_orders WHERE pay_order_no >= 'S' AND pay_order_no < 'T'",
      ),
    ]);
  const counts: StateCounts = {};
  if (packets) counts.packets = packets.map((r) => ({ type: r.key, status: r.sub, count: r.count }));
  if (payments) counts.payments = payments.map((r) => ({ status: r.key, count: r.count }));
  if (claims) counts.claims = claims.map((r) => ({ status: r.key, count: r.count }));
  if (refunds) counts.refunds = refunds.map((r) => ({ status: r.key, count: r.count }));
  if (tasks) counts.tasks = tasks.map((r) => ({ kind: r.key, status: r.sub, count: r.count }));
  if (oldest) counts.oldestPendingDueAt = oldest[0] && oldest[0].count > 0 ? oldest[0].count : null;
  if (alerts) counts.alerts = alerts.map((r) => ({ kind: r.key, count: r.count }));
  if (shadowPackets || shadowPayments)
    counts.shadowMarked = [...(shadowPackets ?? []), ...(shadowPayments ?? [])].map((r) => ({
      table: r.key,
      count: r.count,
    }));
  return counts;
}

/** The lists of counts by labels (every field of a row but `count` is a label). */
const COUNT_LISTS = ['packets', 'payments', 'claims', 'refunds', 'tasks', 'alerts', 'shadowMarked'] as const;

/** The same labels' counts added up; undefined when any database left the list out. */
function sumRows(
  lists: ReadonlyArray<ReadonlyArray<{ count: number }> | undefined>,
): { count: number }[] | undefined {
  if (lists.some((l) => l === undefined)) return undefined;
  const sums = new Map<string, { count: number }>();
  for (const list of lists)
    for (const row of list ?? []) {
      const id = Object.entries(row)
        .filter(([k]) => k !== 'count')
        .map(([, v]) => String(v))
        .join('\u0000');
      const seen = sums.get(id);
      if (seen) seen.count += row.count;
      else sums.set(id, { ...row });
    }
  return [...sums.values()];
}

/**
 * Several databases' row counts as one: counts with the same labels added, the earliest due task
 * the earliest of all. A field some database left out is left out of the sum.
 */
export function sumStateCounts(parts: readonly StateCounts[]): StateCounts {
  const out: Record<string, unknown> = {};
  for (const key of COUNT_LISTS) {
    const sum = sumRows(parts.map((p) => p[key]));
    if (sum !== undefined) out[key] = sum;
  }
  if (parts.length > 0 && parts.every((p) => p.oldestPendingDueAt !== undefined)) {
    const due = parts.map((p) => p.oldestPendingDueAt).filter((d): d is number => typeof d === 'number');
    out.oldestPendingDueAt = due.length > 0 ? Math.min(...due) : null;
  }
  return out as StateCounts;
}
