/** The simulated payment provider: what the rest of redpkt may import. */
export {
  createFinance,
  DEFAULT_INITIAL_BALANCE,
  DEFAULT_MERCHANT_INITIAL_BALANCE,
} from './create-finance.js';
export type { Finance, FinanceConfig } from './create-finance.js';
export { createFinanceApp } from './http/create-finance-app.js';
export type { FinanceAppDeps } from './http/create-finance-app.js';
export { createFinanceStore } from './store/create-finance-store.js';
export type * from './store/types.js';
export { ISSUER_ACCOUNT, MERCHANT_ACCOUNT, userAccount } from './store/types.js';
export { createFinanceClient } from './client.js';
export type { FinanceClient, FinanceClientOptions } from './client.js';
export { createFinanceAdminClient } from './admin-client.js';
export type { FinanceAdminClient } from './admin-client.js';
export { payAtCashier } from './cashier-client.js';
export {
  signPayload,
  verifySignature,
  signRequest,
  verifyRequest,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from './signature.js';
export { createKnobs, DEFAULT_KNOBS } from './knobs.js';
export type { FinanceKnobs, Knobs, KnobsPatch } from './knobs.js';
export { createSeededRandom } from './random.js';
export type { Random } from './random.js';
