import type { PacketLimits } from '../domain/limits.js';
import type { PacketStore, PaymentProvider } from '../domain/ports.js';
import type { RandomInt } from '../domain/split.js';

/** What every use case may need; built once in src/runtime/ and passed down. */
export interface ServiceDeps {
  store: PacketStore;
  provider: PaymentProvider;
  limits: PacketLimits;
  /** Where finance posts signed order events. */
  notifyUrl: string;
  now: () => number;
  random?: RandomInt;
}
