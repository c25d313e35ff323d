/** The switch store over either dialect: the same statements, placeholders `?` on both. */
import type { SwitchKind } from '../../switches/catalog.js';
import type {
  AuditEntry,
  ChangeVia,
  MockedKind,
  MockedOrder,
  SwitchChangeResult,
  SwitchRecord,
  SwitchStore,
} from '../../switches/ports.js';
import type { SqlRow, SwitchDialect } from './switch-dialect.js';
import { num, numOrNull, str, strOrNull } from './switch-dialect.js';
import { countMocked, countRowStates, sumStateCounts } from './state-counts.js';

const toRecord = (r: SqlRow): SwitchRecord => ({
  kind: str(r['kind']) as SwitchKind,
  name: str(r['name']),
  value: num(r['value']),
  reason: strOrNull(r['reason']),
  updatedBy: strOrNull(r['updated_by']),
  updatedAt: numOrNull(r['updated_at']),
});

const toAudit = (r: SqlRow): AuditEntry => ({
  id: num(r['id']),
  kind: str(r['kind']) as SwitchKind,
  name: str(r['name']),
  oldValue: num(r['old_value']),
  newValue: num(r['new_value']),
  actor: str(r['actor']),
  via: str(r['via']) as ChangeVia,
  reason: strOrNull(r['reason']),
  at: num(r['at']),
});

const toMocked = (r: SqlRow): MockedOrder => ({
  orderNo: str(r['order_no']),
  kind: str(r['kind']) as MockedKind,
  packetId: strOrNull(r['packet_id']),
  uid: str(r['uid']),
  amount: num(r['amount']),
  txnId: str(r['txn_id']),
  createdAt: num(r['created_at']),
});

const MOCKED_COLUMNS = 'order_no, kind, packet_id, uid, amount, txn_id, created_at';

export function createSwitchStoreOver(d: SwitchDialect): SwitchStore {
  return {
    async migrate() {
      await d.batch(d.migrations.map((sql) => ({ sql })));
    },
    close: () => d.close(),

    async listSwitches() {
      const rows = await d.reads.all(
        'SELECT kind, name, value, reason, updated_by, updated_at FROM ops_switches ORDER BY kind, name',
      );
      return rows.map(toRecord);
    },

    async setSwitch(change): Promise<SwitchChangeResult> {
      const key = [change.kind, change.name];
      // One transaction: the row exists before it is read under lock (so two first-time writers
      // queue on one row), the audit row copies the old value only if it differs, then the update.
      const [, old, audit] = await d.batch([
        { sql: `${d.insertIgnore} INTO ops_switches (kind, name, value) VALUES (?, ?, 0)`, args: key },
        { sql: `SELECT value FROM ops_switches WHERE kind = ? AND name = ?${d.forUpdate}`, args: key },
        {
          sql: `INSERT INTO ops_switch_audit (kind, name, old_value, new_value, actor, via, reason, at)
                SELECT kind, name, value, ?, ?, ?, ?, ? FROM ops_switches
                WHERE kind = ? AND name = ? AND value <> ?`,
          args: [change.value, change.actor, change.via, change.reason, change.at, ...key, change.value],
        },
        {
          sql: `UPDATE ops_switches SET value = ?, reason = ?, updated_by = ?, updated_at = ?
                WHERE kind = ? AND name = ? AND value <> ?`,
          args: [change.value, change.reason, change.actor, change.at, ...key, change.value],
        },
        // turning off a switch never set leaves no placeholder row behind
        { sql: 'DELETE FROM ops_switches WHERE kind = ? AND name = ? AND updated_by IS NULL', args: key },
      ]);
      const changed = (audit?.affected ?? 0) > 0;
      return {
        kind: change.kind,
        name: change.name,
        oldValue: num(old?.rows[0]?.['value']),
        newValue: change.value,
        changed,
        actor: change.actor,
        at: change.at,
        auditId: changed ? (audit?.insertId ?? null) : null,
      };
    },

    async listAudit(query) {
      const where: string[] = [];
      const args: Array<string | number> = [];
      if (query.kind) {
        where.push('kind = ?');
        args.push(query.kind);
      }
      if (query.name) {
        where.push('name = ?');
        args.push(query.name);
      }
      const rows = await d.reads.all(
        `SELECT id, kind, name, old_value, new_value, actor, via, reason, at FROM ops_switch_audit
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...args, Math.max(1, Math.min(1000, Math.trunc(query.limit)))],
      );
      return rows.map(toAudit);
    },

    async recordMocked(order) {
      const [, stored] = await d.batch([
        {
          sql: `${d.insertIgnore} INTO ops_mocked_orders (${MOCKED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          args: [
            order.orderNo,
            order.kind,
            order.packetId,
            order.uid,
            order.amount,
            order.txnId,
            order.createdAt,
          ],
        },
        { sql: `SELECT ${MOCKED_COLUMNS} FROM ops_mocked_orders WHERE order_no = ?`, args: [order.orderNo] },
      ]);
      const row = stored?.rows[0];
      return row ? toMocked(row) : order;
    },

    async getMocked(orderNo) {
      const [row] = await d.reads.all(`SELECT ${MOCKED_COLUMNS} FROM ops_mocked_orders WHERE order_no = ?`, [
        orderNo,
      ]);
      return row ? toMocked(row) : null;
    },

    async isPacketMocked(packetId) {
      const rows = await d.reads.all(
        "SELECT 1 AS x FROM ops_mocked_orders WHERE packet_id = ? AND kind = 'payment' LIMIT 1",
        [packetId],
      );
      return rows.length > 0;
    },

    async listMocked(query) {
      const rows = await d.reads.all(
        `SELECT ${MOCKED_COLUMNS} FROM ops_mocked_orders WHERE created_at >= ?
         ORDER BY created_at, order_no LIMIT ?`,
        [query.since ?? 0, Math.max(1, Math.min(10_000, Math.trunc(query.limit)))],
      );
      return rows.map(toMocked);
    },

    async countStates() {
      // a sharded packet store: every shard's rows, added up (./state-counts.ts)
      const [rows, mocked] = await Promise.all([
        Promise.all([d.reads, ...(d.shardReads ?? [])].map(countRowStates)).then(sumStateCounts),
        countMocked(d.reads),
      ]);
      return mocked ? { ...rows, mocked } : rows;
    },
  };
}
