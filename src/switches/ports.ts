/**
 * Issue 7's ports: what the switch board, the mocks and the metrics need from the database, and
 * what the services may read. Adapters: src/storage/switches/ (SQLite and MySQL, over the same
 * database as the packet store, in tables of their own).
 */
import type { Fen } from '../domain/money.js';
import type { PaymentOrder } from '../domain/order.js';
import type { ProviderOrder } from '../domain/ports.js';
import type { DegradeName, LimitEndpoint, MockName, SwitchKind } from './catalog.js';

/**
 * One switch's stored state. `value` is 0 (off) or 1 (on) for degrade and mock switches, and the
 * requests per second (0: no limit) for a limit.
 */
export interface SwitchRecord {
  kind: SwitchKind;
  name: string;
  value: number;
  reason: string | null;
  updatedBy: string | null;
  updatedAt: number | null;
}

/** Who changed a switch and how: through the admin API, or straight in the database by the CLI. */
export type ChangeVia = 'admin-api' | 'direct';

export interface SwitchChange {
  kind: SwitchKind;
  name: string;
  value: number;
  actor: string;
  via: ChangeVia;
  reason: string | null;
  at: number;
}

export interface SwitchChangeResult {
  kind: SwitchKind;
  name: string;
  oldValue: number;
  newValue: number;
  /** false when the switch already had that value: nothing written, no audit row. */
  changed: boolean;
  actor: string;
  at: number;
  /** The audit row written (null when nothing changed). */
  auditId: number | null;
}

/** One row of the audit trail: who, when, old -> new, why, and how. */
export interface AuditEntry {
  id: number;
  kind: SwitchKind;
  name: string;
  oldValue: number;
  newValue: number;
  actor: string;
  via: ChangeVia;
  reason: string | null;
  at: number;
}

export interface AuditQuery {
  limit: number;
  kind?: SwitchKind;
  name?: string;
}

/**
 * An order whose provider answer the service built itself (`mock payment on`). Keyed by the order
 * number the provider would have seen: payOrderNo, claimNo (transfers), refundNo. Reconciliation
 * reads these to set mocked orders apart; their provider txn ids start with `MOCK-`.
 */
export type MockedKind = 'payment' | 'transfer' | 'refund' | 'issuer-return';

export interface MockedOrder {
  orderNo: string;
  kind: MockedKind;
  /** The packet whose payment was mocked (null for orders outside a packet). */
  packetId: string | null;
  uid: string;
  amount: Fen;
  txnId: string;
  createdAt: number;
}

/** Row counts by state, computed when /metrics is scraped. A table that cannot be read is left out. */
export interface StateCounts {
  packets?: Array<{ type: string; status: string; count: number }>;
  payments?: Array<{ status: string; count: number }>;
  claims?: Array<{ status: string; count: number }>;
  refunds?: Array<{ status: string; count: number }>;
  mocked?: Array<{ kind: string; count: number }>;
  /** Outbox tasks not done (pending, dead) by kind and status. */
  tasks?: Array<{ kind: string; status: string; count: number }>;
  /** The due time (epoch ms) of the earliest pending task; null when none is pending. */
  oldestPendingDueAt?: number | null;
  /** Unsettled-order alerts raised (rows in `alerts`, never deleted) by the order's kind. */
  alerts?: Array<{ kind: string; count: number }>;
  /** Rows with a shadow-marked number (`S…`, src/domain/ids.ts) in this (the real lane's) database. */
  shadowMarked?: Array<{ table: string; count: number }>;
}

export interface SwitchStore {
  /** Creates the switch, audit and mocked-order tables if they are missing; safe to run again. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Every switch ever set (a switch never set is off). */
  listSwitches(): Promise<SwitchRecord[]>;
  /**
   * Sets one switch and writes its audit row, in one transaction (the old value read under the
   * row lock, so two operators racing each get a true old -> new). Setting the value it already
   * has writes nothing (changed=false).
   */
  setSwitch(change: SwitchChange): Promise<SwitchChangeResult>;
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;

  /** Idempotent by orderNo: the stored order when it was recorded before. */
  recordMocked(order: MockedOrder): Promise<MockedOrder>;
  getMocked(orderNo: string): Promise<MockedOrder | null>;
  /** true when the packet's payment was mocked. */
  isPacketMocked(packetId: string): Promise<boolean>;
  /** Oldest first (by creation time, then order number), from `since` (ms) when given. */
  listMocked(query: { limit: number; since?: number }): Promise<MockedOrder[]>;

  countStates(): Promise<StateCounts>;
}

/** What the hot path reads: memory only, never the database. */
export interface SwitchReader {
  isOn(kind: 'degrade', name: DegradeName): boolean;
  isOn(kind: 'mock', name: MockName): boolean;
  /** Requests per second allowed at the gateway for the endpoint; null: no limit. */
  limitOf(endpoint: LimitEndpoint): number | null;
}

/**
 * The payment side of `mock payment` for the C2C create (src/services/create-c2c-packet.ts).
 * Returns the provider's answer built here when the order's payment is mocked (no call to
 * finance), or null to go to finance. A fresh order (written by this request: finance has never
 * heard of it) is mocked when the switch is on; an older one only when it was mocked before (a
 * client's replay), so an order finance has seen is never mocked behind its back.
 */
export interface PaymentMock {
  payOrder(payment: PaymentOrder, fresh: boolean): Promise<ProviderOrder | null>;
}
