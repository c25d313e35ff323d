import type { ClaimCoalescer } from '../core/claim-coalescer.js';
import type { PacketLimits } from '../domain/limits.js';
import type { PacketStore, PaymentProvider } from '../domain/ports.js';
import type { RandomInt } from '../domain/split.js';
import type { PaymentMock, SwitchReader } from '../switches/ports.js';
import type { SubsidyPorts } from './subsidy/subsidy-ports.js';

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
  /** Issue 4: how long after creation a payment is first re-checked at finance (default 30 s). */
  paymentRecheckDelayMs?: number;
  /** Issue 3: B2C subsidies (token key, reward issuer); absent where B2C is not served. */
  subsidy?: SubsidyPorts;
  /**
   * Issue 7: the live switches, read from memory (`switches.isOn('degrade', 'subsidy-issuer')`,
   * `switches.isOn('mock', 'payment')`, `switches.limitOf('claim')`); absent: every switch off.
   */
  switches?: SwitchReader;
  /** Issue 7: `mock payment`: the C2C create answers the payment itself (src/switches/mocks/). */
  paymentMock?: PaymentMock;
  /**
   * Issue 5: true in the shadow lane (requests marked `x-redpkt-shadow: 1`): these deps hold the
   * shadow store, queue and provider, and every number made here carries the shadow mark
   * (src/domain/ids.ts). Absent: the real lane.
   */
  shadow?: boolean;
}
