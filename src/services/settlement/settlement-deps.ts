/** Issue 4: what the worker's task handlers need (a subset of ServiceDeps plus the timings). */
import type { PacketStore, PaymentProvider, SubsidyIssuer } from '../../domain/ports.js';

export interface SettlementDeps {
  store: PacketStore;
  provider: PaymentProvider;
  /** Where finance posts signed order events about our transfers and refunds. */
  notifyUrl: string;
  now: () => number;
  /** How long a payer has to pay; then the packet and its payment order are closed. */
  paymentTimeoutMs: number;
  /** The first re-check of a pending payment; later ones back off from it, doubling. */
  paymentRecheckDelayMs: number;
  /** No re-check waits longer than this. */
  retryMaxMs: number;
  /** B2C: the reward issuer that takes an expired packet's remainder back into its campaign. */
  issuer?: SubsidyIssuer | undefined;
}
