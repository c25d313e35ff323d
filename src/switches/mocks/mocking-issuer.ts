/**
 * `mock issuer`: the reward issuer is not called. The token list answers empty (so "my
 * subsidies" shows booked rows only, as with `degrade subsidy-issuer`). Off: every call passes
 * through.
 *
 * An expired B2C packet's remainder return is NOT answered here: the decision follows the packet,
 * not the switch (as with `mock payment`, ./mocking-provider.ts). Every subsidy is a real grant —
 * finance's rain issuer grants it and takes it out of its campaign's budget whatever the switch
 * says; nothing mocks a grant — so its unclaimed remainder must really go back to that budget.
 * While the switch is on, the return fails as if the issuer were down (DEPENDENCY_FAILED): it stays
 * pending, the packet stays `refunding`, and the worker's expire task retries with backoff until
 * the switch is off and the issuer takes it (idempotent by returnNo). Recording it as mocked would
 * settle the packet and lose the remainder for good. If a mocked grant is ever added, its packet's
 * return (and only that) may be answered here, decided by a mark on the grant.
 */
import { RedpktError } from '../../domain/errors.js';
import type { SubsidyIssuer } from '../../domain/ports.js';
import type { SwitchReader } from '../ports.js';
import type { MockedOrderStore } from './payment-mock.js';

export function withIssuerMock<I extends SubsidyIssuer>(
  inner: I,
  deps: {
    switches: Pick<SwitchReader, 'isOn'>;
    /**
     * Unused since returns are never mocked (above); still accepted so the composition
     * (src/switches/start-ops.ts) need not change.
     */
    store?: Pick<MockedOrderStore, 'recordMocked'>;
    now?: () => number;
  },
): I {
  return {
    ...inner,
    async listTokens(uid) {
      return deps.switches.isOn('mock', 'issuer') ? [] : inner.listTokens(uid);
    },
    async returnRemainder(input) {
      if (!deps.switches.isOn('mock', 'issuer')) return inner.returnRemainder(input);
      throw new RedpktError(
        'DEPENDENCY_FAILED',
        `mock issuer is on: the return ${input.returnNo} of a real grant waits for the reward issuer`,
        { details: { returnNo: input.returnNo, campaign: input.campaign, amount: input.amount } },
      );
    },
  };
}
