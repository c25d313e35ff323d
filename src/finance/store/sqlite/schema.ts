import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { RAIN_LEDGER_KINDS } from '../../rain/types.js';

// Mirrors migrations.ts (the SQL is the source of truth; these give drizzle the column types).
export const accounts = sqliteTable('accounts', {
  id: text('id').primaryKey(),
  balance: integer('balance').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const orders = sqliteTable('orders', {
  orderNo: text('order_no').primaryKey(),
  kind: text('kind', { enum: ['payment', 'transfer', 'refund'] }).notNull(),
  uid: text('uid').notNull(),
  amount: integer('amount').notNull(),
  status: text('status', { enum: ['pending', 'succeeded', 'failed', 'closed'] }).notNull(),
  txnId: text('txn_id'),
  payOrderNo: text('pay_order_no'),
  subject: text('subject').notNull(),
  notifyUrl: text('notify_url').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const ledgerEntries = sqliteTable('ledger_entries', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  txnId: text('txn_id').notNull(),
  orderNo: text('order_no').notNull(),
  kind: text('kind', { enum: ['funding', 'payment', 'transfer', 'refund', ...RAIN_LEDGER_KINDS] }).notNull(),
  account: text('account').notNull(),
  direction: text('direction', { enum: ['debit', 'credit'] }).notNull(),
  amount: integer('amount').notNull(),
  createdAt: integer('created_at').notNull(),
});
