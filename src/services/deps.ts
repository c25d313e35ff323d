import type { ClaimCoalescer } from '../core/claim-coalescer.js';
import type { PacketLimits } from '../domain/limits.js';
import type { PacketStore, PaymentProvider } from '../domain/ports.js';
import type { RandomInt } from '../domain/split.js';

/** What every use case may need; built once in src/runtime/ and passed down. */
export interface ServiceDeps {
  store: PacketStore;
  /** The per-packet claim queue in front of `store.claimShares`. */
  claims: ClaimCoalescer;
  provider: PaymentProvider;
  limits: PacketLimits;
  /** Where finance posts signed order events. */
  notifyUrl: string;
  now: () => number;
  random?: RandomInt;
}
