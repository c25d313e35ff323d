/**
 * Migration 8, the same SQL in both dialects: alerts filed under the stuck order's own kind. Before
 * it, the table took three kinds, and withdrawals, B2C remainder returns and overdue expiries were
 * filed as transfers and refunds; their messages always began with the order's name (the
 * sweeper's ORDER_NAMES), which is how the old rows are re-filed.
 */
import { ALERT_KINDS } from '../../domain/ports.js';

export const ALERT_KIND_LIST = ALERT_KINDS.map((k) => `'${k}'`).join(', ');

export const REFILED_ALERTS: readonly string[] = [
  `UPDATE alerts SET kind = 'withdrawal' WHERE kind = 'transfer' AND message LIKE 'withdrawal %'`,
  `UPDATE alerts SET kind = 'b2c_return' WHERE kind = 'refund' AND message LIKE 'B2C remainder return %'`,
  `UPDATE alerts SET kind = 'expiry' WHERE kind = 'refund' AND message LIKE 'expiry of packet %'`,
];
