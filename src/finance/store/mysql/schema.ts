import { bigint, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { RAIN_LEDGER_KINDS } from '../../rain/types.js';

// Mirrors migrations.ts (the SQL is the source of truth; these give drizzle the column types).
export const accounts = mysqlTable('accounts', {
  id: varchar('id', { length: 128 }).primaryKey(),
  balance: bigint('balance', { mode: 'number' }).notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const orders = mysqlTable('orders', {
  orderNo: varchar('order_no', { length: 64 }).primaryKey(),
  kind: varchar('kind', { length: 16, enum: ['payment', 'transfer', 'refund'] }).notNull(),
  uid: varchar('uid', { length: 64 }).notNull(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  status: varchar('status', { length: 16, enum: ['pending', 'succeeded', 'failed', 'closed'] }).notNull(),
  txnId: varchar('txn_id', { length: 40 }),
  payOrderNo: varchar('pay_order_no', { length: 64 }),
  subject: varchar('subject', { length: 128 }).notNull(),
  notifyUrl: varchar('notify_url', { length: 1024 }).notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
});

export const ledgerEntries = mysqlTable('ledger_entries', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  txnId: varchar('txn_id', { length: 40 }).notNull(),
  orderNo: varchar('order_no', { length: 80 }).notNull(),
  kind: varchar('kind', {
    length: 16,
    enum: ['funding', 'payment', 'transfer', 'refund', ...RAIN_LEDGER_KINDS],
  }).notNull(),
  account: varchar('account', { length: 128 }).notNull(),
  direction: varchar('direction', { length: 8, enum: ['debit', 'credit'] }).notNull(),
  amount: bigint('amount', { mode: 'number' }).notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});
