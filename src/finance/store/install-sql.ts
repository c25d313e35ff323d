/**
 * Issue 5: the install statements, the same text for SQLite and MariaDB (see ./sql-literals.ts for
 * why literals). Column lists name the tables of sqlite/ and mysql/ migrations.
 */
import type { FixtureAccountRow } from './install-types.js';
import { inList, valuesList } from './sql-literals.js';
import type { Account, LedgerEntry } from './types.js';

export const selectFixtureAccounts = (uids: readonly string[]): string =>
  `SELECT uid, balance, realname, installed_at FROM fixture_accounts WHERE uid IN ${inList(uids)}`;

export const selectAccountIds = (ids: readonly string[]): string =>
  `SELECT id FROM accounts WHERE id IN ${inList(ids)}`;

export const insertAccounts = (rows: readonly Account[]): string =>
  `INSERT INTO accounts (id, balance, created_at, updated_at) VALUES ${valuesList(
    rows.map((a) => [a.id, a.balance, a.createdAt, a.updatedAt]),
  )}`;

export const insertFixtureAccounts = (rows: readonly FixtureAccountRow[]): string =>
  `INSERT INTO fixture_accounts (uid, balance, realname, installed_at) VALUES ${valuesList(
    rows.map((r) => [r.uid, r.balance, r.realname, r.installedAt]),
  )}`;

export const insertLedger = (rows: readonly Omit<LedgerEntry, 'id'>[]): string =>
  `INSERT INTO ledger_entries (txn_id, order_no, kind, account, direction, amount, created_at) VALUES ${valuesList(
    rows.map((e) => [e.txnId, e.orderNo, e.kind, e.account, e.direction, e.amount, e.createdAt]),
  )}`;

/** A raw row of fixture_accounts, from either driver. */
export function fixtureRow(r: Record<string, unknown>): FixtureAccountRow {
  return {
    uid: String(r.uid),
    balance: Number(r.balance),
    realname: r.realname === 'fail' ? 'fail' : 'ok',
    installedAt: Number(r.installed_at),
  };
}
