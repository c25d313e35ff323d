/**
 * The guarded packet UPDATE of a claim group (issue 25): one statement for the whole group.
 *
 * A spread group holds hundreds of packets of a few claims each. One `UPDATE … WHERE id = ?` per
 * packet made MariaDB parse, plan and answer hundreds of statements per transaction. The next form,
 * `SET status = CASE id WHEN ? THEN ? … END, …` over an IN list, was one statement but quadratic:
 * every row's CASE walks the list, 38–48 µs a packet at 800 packets (docs/performance.md). Now the
 * group's changes travel as ONE JSON parameter, read as a table by JSON_TABLE (MariaDB 10.6+,
 * MySQL 8.0.4+) and joined to the packets on the primary key (eq_ref: one lookup a packet):
 *
 *   UPDATE packets p JOIN JSON_TABLE(?, '$[*]' COLUMNS (id …, status …, …)) c ON p.id = c.id
 *   SET p.status = c.status, p.remaining_amount = …, p.remaining_count = …, p.updated_at = …
 *   WHERE p.status = c.guard_status AND p.remaining_count = c.guard_count
 *
 * The guard is the same as before, per packet (the status and remaining count read under the lock),
 * and checked the same way: the affected rows must be one per packet (every change moves
 * `remaining_count`, so a matched row is always a changed row). A miss fails the whole group, which
 * rolls back. The text columns are utf8mb4_bin, as the table's, so the join compares ids byte for
 * byte and keeps the primary key (checked by EXPLAIN in test/contract/packet-updates.mysql.test.ts).
 * MariaDB's JSON_TABLE turns a value that does not fit its column into 0 or NULL with a warning
 * (ERROR ON ERROR notwithstanding), so every number is checked to be a safe integer before it is
 * sent: a change that is not one fails the group here, it is never written as something else. A
 * group of one packet (the hot packet) keeps the plain single-row statement.
 */
import { RedpktError } from '../../domain/errors.js';
import type { PacketWrite } from '../shared/store-dialect.js';

const ONE_SQL = `UPDATE packets SET status = ?, remaining_amount = ?, remaining_count = ?, updated_at = ?
WHERE id = ? AND status = ? AND remaining_count = ?`;

const text = (name: string, at: number, length: number) =>
  `${name} VARCHAR(${length}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$[${at}]' ERROR ON EMPTY ERROR ON ERROR`;
const bigint = (name: string, at: number) => `${name} BIGINT PATH '$[${at}]' ERROR ON EMPTY ERROR ON ERROR`;

/** The columns of one change, in the order `changeRow` writes them. */
const MANY_SQL = `UPDATE packets p JOIN JSON_TABLE(?, '$[*]' COLUMNS (
  ${text('id', 0, 64)}, ${text('status', 1, 16)}, ${bigint('remaining_amount', 2)},
  ${bigint('remaining_count', 3)}, ${bigint('updated_at', 4)},
  ${text('guard_status', 5, 16)}, ${bigint('guard_count', 6)})) c ON p.id = c.id
SET p.status = c.status, p.remaining_amount = c.remaining_amount, p.remaining_count = c.remaining_count,
  p.updated_at = c.updated_at
WHERE p.status = c.guard_status AND p.remaining_count = c.guard_count`;

function whole(packetId: string, value: number): number {
  if (Number.isSafeInteger(value)) return value;
  throw new RedpktError(
    'INTERNAL',
    `packet ${packetId}: a change of ${String(value)} is not a whole number`,
    {
      details: { packetId },
    },
  );
}

const changeRow = ({ packetId, guard, change }: PacketWrite) => [
  packetId,
  change.status,
  whole(packetId, change.remainingAmount),
  whole(packetId, change.remainingCount),
  whole(packetId, change.updatedAt),
  guard.status,
  whole(packetId, guard.remainingCount),
];

/**
 * The statement (sent in one round trip with the claim inserts) and its values: one statement for
 * any number of packets, none for none. Exported for the plan test.
 */
export function packetUpdateStatements(packets: readonly PacketWrite[]): {
  statements: string[];
  values: unknown[];
} {
  if (packets.length === 0) return { statements: [], values: [] };
  if (packets.length === 1) {
    const [id, status, remainingAmount, remainingCount, updatedAt, guardStatus, guardCount] = changeRow(
      packets[0]!,
    );
    return {
      statements: [ONE_SQL],
      values: [status, remainingAmount, remainingCount, updatedAt, id, guardStatus, guardCount],
    };
  }
  return { statements: [MANY_SQL], values: [JSON.stringify(packets.map(changeRow))] };
}
