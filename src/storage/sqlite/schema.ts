/**
 * drizzle's view of the SQLite tables, for typed queries. The DDL that creates them lives in
 * ./migrations.ts; the contract suite proves the two agree (every column is written and read back).
 * Column names are snake_case; property names match the domain types, so rows ARE domain objects.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { CLAIM_STATUSES } from '../../domain/claim.js';
import { PAYMENT_STATUSES, REFUND_STATUSES } from '../../domain/order.js';
import { PACKET_STATUSES } from '../../domain/packet.js';
import { ALERT_KINDS, TASK_KINDS } from '../../domain/ports.js';
import { TASK_STATUSES } from '../shared/store-dialect.js';

const fen = (name: string) => integer(name, { mode: 'number' });
const epochMs = (name: string) => integer(name, { mode: 'number' });

export const packets = sqliteTable(
  'packets',
  {
    id: text('id').primaryKey(),
    type: text('type', { enum: ['c2c', 'b2c'] }).notNull(),
    senderUid: text('sender_uid').notNull(),
    outOrderNo: text('out_order_no').notNull(),
    totalAmount: fen('total_amount').notNull(),
    totalCount: integer('total_count', { mode: 'number' }).notNull(),
    remainingAmount: fen('remaining_amount').notNull(),
    remainingCount: integer('remaining_count', { mode: 'number' }).notNull(),
    splitMode: text('split_mode', { enum: ['random', 'fixed'] }).notNull(),
    status: text('status', { enum: PACKET_STATUSES }).notNull(),
    greeting: text('greeting').notNull(),
    payOrderNo: text('pay_order_no'),
    expiresAt: epochMs('expires_at').notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('packets_sender_order_uq').on(t.senderUid, t.outOrderNo),
    // issue 8: recon walks a window of C2C packets
    index('packets_type_created_idx').on(t.type, t.createdAt, t.id),
    // the sweeper finds active packets past their expiry (migration 6)
    index('packets_status_expires_idx').on(t.status, t.expiresAt, t.id),
  ],
);

export const paymentOrders = sqliteTable(
  'payment_orders',
  {
    payOrderNo: text('pay_order_no').primaryKey(),
    packetId: text('packet_id').notNull(),
    payerUid: text('payer_uid').notNull(),
    amount: fen('amount').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    providerTxnId: text('provider_txn_id'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    index('payment_orders_packet_idx').on(t.packetId),
    index('payment_orders_status_created_idx').on(t.status, t.createdAt),
    index('payment_orders_created_idx').on(t.createdAt, t.payOrderNo), // issue 8: recon
  ],
);

export const claims = sqliteTable(
  'claims',
  {
    claimNo: text('claim_no').primaryKey(),
    packetId: text('packet_id').notNull(),
    uid: text('uid').notNull(),
    seq: integer('seq', { mode: 'number' }).notNull(),
    amount: fen('amount').notNull(),
    status: text('status', { enum: CLAIM_STATUSES }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('claims_packet_uid_uq').on(t.packetId, t.uid),
    uniqueIndex('claims_packet_seq_uq').on(t.packetId, t.seq),
    index('claims_status_created_idx').on(t.status, t.createdAt),
    index('claims_created_idx').on(t.createdAt, t.claimNo), // issue 8: recon
  ],
);

export const refundOrders = sqliteTable(
  'refund_orders',
  {
    refundNo: text('refund_no').primaryKey(),
    packetId: text('packet_id').notNull(),
    payOrderNo: text('pay_order_no').notNull(),
    uid: text('uid').notNull(),
    amount: fen('amount').notNull(),
    status: text('status', { enum: REFUND_STATUSES }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    index('refund_orders_packet_idx').on(t.packetId),
    index('refund_orders_status_created_idx').on(t.status, t.createdAt),
    index('refund_orders_created_idx').on(t.createdAt, t.refundNo), // issue 8: recon
  ],
);

export const tasks = sqliteTable(
  'tasks',
  {
    id: integer('id', { mode: 'number' }).primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: TASK_KINDS }).notNull(),
    ref: text('ref').notNull(),
    status: text('status', { enum: TASK_STATUSES }).notNull(),
    dueAt: epochMs('due_at').notNull(),
    attempts: integer('attempts', { mode: 'number' }).notNull(),
    lastError: text('last_error'),
    leaseOwner: text('lease_owner'),
    leaseUntil: epochMs('lease_until'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('tasks_kind_ref_uq').on(t.kind, t.ref),
    index('tasks_status_due_idx').on(t.status, t.dueAt),
    // the worker's lanes: the due tasks of some kinds, without passing (and locking) the others'
    index('tasks_status_kind_due_idx').on(t.status, t.kind, t.dueAt),
  ],
);

/** Issue 4: one alert per stuck order (kind, ref). */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id', { mode: 'number' }).primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ALERT_KINDS }).notNull(),
    ref: text('ref').notNull(),
    message: text('message').notNull(),
    attempts: integer('attempts', { mode: 'number' }).notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [uniqueIndex('alerts_kind_ref_uq').on(t.kind, t.ref)],
);
