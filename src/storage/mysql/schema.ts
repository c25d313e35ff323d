/**
 * drizzle's view of the MySQL/MariaDB tables, for typed queries. The DDL that creates them lives
 * in ./migrations.ts; the contract suite proves the two agree. BIGINT columns use mode 'number'
 * (drizzle converts, and the pool returns safe integers as numbers anyway), so rows ARE domain objects.
 */
import { bigint, index, int, mysqlTable, text, uniqueIndex, varchar } from 'drizzle-orm/mysql-core';
import { CLAIM_STATUSES } from '../../domain/claim.js';
import { PAYMENT_STATUSES, REFUND_STATUSES } from '../../domain/order.js';
import { PACKET_STATUSES } from '../../domain/packet.js';
import { ALERT_KINDS, TASK_KINDS } from '../../domain/ports.js';
import { TASK_STATUSES } from '../shared/store-dialect.js';

const fen = (name: string) => bigint(name, { mode: 'number' });
const epochMs = (name: string) => bigint(name, { mode: 'number' });
const key = (name: string) => varchar(name, { length: 64 });

export const packets = mysqlTable(
  'packets',
  {
    id: key('id').primaryKey(),
    type: varchar('type', { length: 8, enum: ['c2c', 'b2c'] }).notNull(),
    senderUid: key('sender_uid').notNull(),
    outOrderNo: key('out_order_no').notNull(),
    totalAmount: fen('total_amount').notNull(),
    totalCount: int('total_count').notNull(),
    remainingAmount: fen('remaining_amount').notNull(),
    remainingCount: int('remaining_count').notNull(),
    splitMode: varchar('split_mode', { length: 8, enum: ['random', 'fixed'] }).notNull(),
    status: varchar('status', { length: 16, enum: PACKET_STATUSES }).notNull(),
    greeting: varchar('greeting', { length: 255 }).notNull(),
    payOrderNo: key('pay_order_no'),
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

export const paymentOrders = mysqlTable(
  'payment_orders',
  {
    payOrderNo: key('pay_order_no').primaryKey(),
    packetId: key('packet_id').notNull(),
    payerUid: key('payer_uid').notNull(),
    amount: fen('amount').notNull(),
    status: varchar('status', { length: 16, enum: PAYMENT_STATUSES }).notNull(),
    providerTxnId: varchar('provider_txn_id', { length: 128 }),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    index('payment_orders_packet_idx').on(t.packetId),
    index('payment_orders_status_created_idx').on(t.status, t.createdAt),
    index('payment_orders_created_idx').on(t.createdAt, t.payOrderNo), // issue 8: recon
  ],
);

export const claims = mysqlTable(
  'claims',
  {
    claimNo: varchar('claim_no', { length: 80 }).primaryKey(),
    packetId: key('packet_id').notNull(),
    uid: key('uid').notNull(),
    seq: int('seq').notNull(),
    amount: fen('amount').notNull(),
    status: varchar('status', { length: 16, enum: CLAIM_STATUSES }).notNull(),
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

export const refundOrders = mysqlTable(
  'refund_orders',
  {
    refundNo: key('refund_no').primaryKey(),
    packetId: key('packet_id').notNull(),
    payOrderNo: key('pay_order_no').notNull(),
    uid: key('uid').notNull(),
    amount: fen('amount').notNull(),
    status: varchar('status', { length: 16, enum: REFUND_STATUSES }).notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [
    index('refund_orders_packet_idx').on(t.packetId),
    index('refund_orders_status_created_idx').on(t.status, t.createdAt),
    index('refund_orders_created_idx').on(t.createdAt, t.refundNo), // issue 8: recon
  ],
);

export const tasks = mysqlTable(
  'tasks',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    kind: varchar('kind', { length: 32, enum: TASK_KINDS }).notNull(),
    ref: varchar('ref', { length: 96 }).notNull(),
    status: varchar('status', { length: 16, enum: TASK_STATUSES }).notNull(),
    dueAt: epochMs('due_at').notNull(),
    attempts: int('attempts').notNull(),
    lastError: text('last_error'),
    leaseOwner: varchar('lease_owner', { length: 128 }),
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
export const alerts = mysqlTable(
  'alerts',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    kind: varchar('kind', { length: 16, enum: ALERT_KINDS }).notNull(),
    ref: varchar('ref', { length: 96 }).notNull(),
    message: text('message').notNull(),
    attempts: int('attempts').notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  (t) => [uniqueIndex('alerts_kind_ref_uq').on(t.kind, t.ref)],
);
