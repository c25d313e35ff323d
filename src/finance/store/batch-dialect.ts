/**
 * What each finance dialect adds for batch transfers and opening many accounts at once. Merged
 * into Dialect and TxOps (./dialect.ts), implemented in `sqlite/batch-ops.ts` and
 * `mysql/batch-ops.ts` (statements in ./batch-sql.ts); the logic is written once in
 * ./transfer-batch.ts and ./open-accounts.ts. Lists are cut into chunks of BATCH_CHUNK values.
 */
import type { Fen } from '../../domain/money.js';
import type { Account, StoredOrder } from './types.js';

/** Values per IN list and rows per multi-row statement (MySQL IN lists stay at 800 or fewer). */
export const BATCH_CHUNK = 800;

export interface BatchReads {
  /** Which of these account ids exist (a plain read, outside any transaction). */
  openAccountIds(ids: readonly string[]): Promise<Set<string>>;
}

export interface BatchTxOps {
  /** The orders with these numbers (unknown ones left out), locked in order_no order until commit. */
  lockOrders(orderNos: readonly string[]): Promise<Map<string, StoredOrder>>;
  /** The accounts with these ids, locked in id order, one statement per chunk. */
  lockAccountSet(ids: readonly string[]): Promise<Map<string, Account>>;
  /** Multi-row insert, the orders as given (pending, or succeeded with their txnId). */
  insertOrders(orders: readonly StoredOrder[]): Promise<void>;
  /** Pending orders -> succeeded with their own txnId, one UPDATE per chunk; answers how many. */
  settleOrders(settled: readonly { orderNo: string; txnId: string }[], now: number): Promise<number>;
  /** Pending orders -> failed (no money moved), one UPDATE per chunk; answers how many. */
  failOrders(orderNos: readonly string[], now: number): Promise<number>;
  /** Adds each account's delta to its balance, one UPDATE per chunk. */
  addToBalances(deltas: ReadonlyMap<string, Fen>, now: number): Promise<void>;
}
