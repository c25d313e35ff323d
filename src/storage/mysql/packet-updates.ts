/**
 * The guarded packet UPDATEs of a claim group (issue 25), as few statements as the IN lists allow.
 *
 * A spread group holds hundreds of packets of a few claims each. One `UPDATE … WHERE id = ?` per
 * packet made MariaDB parse, plan and answer hundreds of statements per transaction: its CPU per
 * spread claim was 3x a hot claim's (98 against 30 µs), the hot packet's one UPDATE being shared by
 * up to 1,000 claims. Now one statement updates up to IN_LIST_MAX_VALUES packets:
 *
 *   UPDATE packets SET status = CASE id WHEN ? THEN ? … END, remaining_amount = CASE …,
 *     remaining_count = CASE …, updated_at = CASE … END
 *   WHERE id IN (…) AND CASE id WHEN ? THEN status = ? AND remaining_count = ? … END
 *
 * The guard is the same as before, per packet (the status and remaining count read under the lock),
 * and checked the same way: the statements' affected rows must add up to one per packet (every
 * change moves `remaining_count`, so a matched row is always a changed row). A miss fails the
 * whole group, which rolls back. The id list is a range read on the primary key (checked by EXPLAIN
 * in test/contract/packet-updates.mysql.test.ts). A group of one packet (the hot packet) keeps the
 * plain single-row statement.
 */
import type { PacketWrite } from '../shared/store-dialect.js';
import { chunks } from '../shared/store-dialect.js';
import { IN_LIST_MAX_VALUES } from './in-lists.js';

const ONE_SQL = `UPDATE packets SET status = ?, remaining_amount = ?, remaining_count = ?, updated_at = ?
WHERE id = ? AND status = ? AND remaining_count = ?`;

/** `CASE id WHEN ? THEN <then> … END` for `n` packets. */
const caseOf = (n: number, then: string) => `CASE id${' WHEN ? THEN '.concat(then).repeat(n)} END`;

function manySql(n: number): string {
  return `UPDATE packets SET status = ${caseOf(n, '?')}, remaining_amount = ${caseOf(n, '?')},
remaining_count = ${caseOf(n, '?')}, updated_at = ${caseOf(n, '?')}
WHERE id IN (?) AND ${caseOf(n, '(status = ? AND remaining_count = ?)')}`;
}

/** Statement texts by packet count: a spread run asks for the same few sizes over and over. */
const sqlBySize = new Map<number, string>();
function sqlFor(n: number): string {
  let sql = sqlBySize.get(n);
  if (sql === undefined) {
    sql = manySql(n);
    if (sqlBySize.size < 1_000) sqlBySize.set(n, sql);
  }
  return sql;
}

/**
 * The statements (to be sent in one round trip with the claim inserts) and their values, one
 * statement per IN_LIST_MAX_VALUES packets. Exported for the plan test.
 */
export function packetUpdateStatements(packets: readonly PacketWrite[]): {
  statements: string[];
  values: unknown[];
} {
  if (packets.length === 1) {
    const { packetId, guard, change } = packets[0]!;
    return {
      statements: [ONE_SQL],
      values: [
        change.status,
        change.remainingAmount,
        change.remainingCount,
        change.updatedAt,
        packetId,
        guard.status,
        guard.remainingCount,
      ],
    };
  }
  const statements: string[] = [];
  const values: unknown[] = [];
  for (const part of chunks(packets, IN_LIST_MAX_VALUES)) {
    statements.push(sqlFor(part.length));
    for (const p of part) values.push(p.packetId, p.change.status);
    for (const p of part) values.push(p.packetId, p.change.remainingAmount);
    for (const p of part) values.push(p.packetId, p.change.remainingCount);
    for (const p of part) values.push(p.packetId, p.change.updatedAt);
    values.push(part.map((p) => p.packetId));
    for (const p of part) values.push(p.packetId, p.guard.status, p.guard.remainingCount);
  }
  return { statements, values };
}
