/**
 * The payment provider as the service and the worker see it, with mocked packets kept away from
 * finance: a packet whose payment was mocked (./payment-mock.ts) has its claimers' transfers and
 * its refund answered here, recorded as mocked too, and never sent. Every other order passes
 * through untouched (`inner` is a plain object of functions, as createFinanceClient's is). The decision follows the packet, not the switch: turning `mock payment` off
 * during a rehearsal does not make finance pay out money it never received.
 */
import type { PaymentProvider, ProviderOrder, TransferResult } from '../../domain/ports.js';
import type { MockedKind } from '../ports.js';
import type { MockedOrderStore } from './payment-mock.js';
import { MOCK_TXN_PREFIX, mockedProviderOrder } from './payment-mock.js';

/** A claim number is `<packetId>-<seq>` (src/domain/claim.ts). */
const packetOfClaim = (claimNo: string): string | null => {
  const dash = claimNo.lastIndexOf('-');
  return dash > 0 ? claimNo.slice(0, dash) : null;
};

export function withPaymentMocks<P extends PaymentProvider>(
  inner: P,
  deps: { store: MockedOrderStore; now: () => number },
): P {
  async function mocked(
    orderNo: string,
    kind: MockedKind,
    packetId: string | null,
    uid: string,
    amount: number,
  ): Promise<ProviderOrder> {
    const order = await deps.store.recordMocked({
      orderNo,
      kind,
      packetId,
      uid,
      amount,
      txnId: `${MOCK_TXN_PREFIX}${orderNo}`,
      createdAt: deps.now(),
    });
    return mockedProviderOrder(order);
  }

  return {
    ...inner,
    async transfer(input) {
      const packetId = packetOfClaim(input.transferNo);
      if (packetId && (await deps.store.isPacketMocked(packetId)))
        return mocked(input.transferNo, 'transfer', packetId, input.uid, input.amount);
      return inner.transfer(input);
    },
    /** The mocked packets' items answered here, the rest sent to finance in one call, answers in input order. */
    async transferMany({ transfers, notifyUrl }) {
      const packets = [...new Set(transfers.map((t) => packetOfClaim(t.transferNo)))];
      const mockedPackets = new Set<string>();
      await Promise.all(
        packets.map(async (id) => {
          if (id && (await deps.store.isPacketMocked(id))) mockedPackets.add(id);
        }),
      );
      const isMocked = (t: (typeof transfers)[number]) =>
        mockedPackets.has(packetOfClaim(t.transferNo) ?? '');
      const real = transfers.filter((t) => !isMocked(t));
      const fromFinance = real.length > 0 ? await inner.transferMany({ transfers: real, notifyUrl }) : [];
      let next = 0;
      return Promise.all(
        transfers.map(async (t): Promise<TransferResult> => {
          if (!isMocked(t)) return fromFinance[next++]!;
          const packetId = packetOfClaim(t.transferNo);
          return { order: await mocked(t.transferNo, 'transfer', packetId, t.uid, t.amount) };
        }),
      );
    },
    async refund(input) {
      const payment = await deps.store.getMocked(input.payOrderNo);
      if (payment?.kind === 'payment') {
        const order = await mocked(input.refundNo, 'refund', payment.packetId, payment.uid, input.amount);
        return { ...order, payOrderNo: input.payOrderNo };
      }
      return inner.refund(input);
    },
    async queryOrder(orderNo) {
      const order = await deps.store.getMocked(orderNo);
      return order ? mockedProviderOrder(order) : inner.queryOrder(orderNo);
    },
    async closePayOrder(payOrderNo) {
      // a mocked payment "succeeded": the caller marks it paid instead of closing it
      const order = await deps.store.getMocked(payOrderNo);
      return order ? mockedProviderOrder(order) : inner.closePayOrder(payOrderNo);
    },
  };
}
