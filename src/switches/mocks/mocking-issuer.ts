/**
 * `mock issuer`: the reward issuer is not called. The token list answers empty (so "my
 * subsidies" shows booked rows only, as with `degrade subsidy-issuer`), and an expired B2C
 * packet's remainder return is recorded as a mocked order (`issuer-return`, keyed by returnNo)
 * instead of being sent. Off: every call passes through.
 */
import type { SubsidyIssuer } from '../../domain/ports.js';
import type { SwitchReader } from '../ports.js';
import type { MockedOrderStore } from './payment-mock.js';
import { MOCK_TXN_PREFIX } from './payment-mock.js';

export function withIssuerMock<I extends SubsidyIssuer>(
  inner: I,
  deps: {
    switches: Pick<SwitchReader, 'isOn'>;
    store: Pick<MockedOrderStore, 'recordMocked'>;
    now: () => number;
  },
): I {
  return {
    ...inner,
    async listTokens(uid) {
      return deps.switches.isOn('mock', 'issuer') ? [] : inner.listTokens(uid);
    },
    async returnRemainder(input) {
      if (!deps.switches.isOn('mock', 'issuer')) return inner.returnRemainder(input);
      await deps.store.recordMocked({
        orderNo: input.returnNo,
        kind: 'issuer-return',
        packetId: null,
        uid: input.campaign,
        amount: input.amount,
        txnId: `${MOCK_TXN_PREFIX}${input.returnNo}`,
        createdAt: deps.now(),
      });
    },
  };
}
