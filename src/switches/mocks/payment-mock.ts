/**
 * `mock payment` (DESIGN §7): the service builds the provider's answer itself, makes no call to
 * finance, and marks the order mocked.
 *
 * Where "mocked" is recorded: the packet store's schema belongs to the packet store, so the mark
 * lives in this module's own table, `ops_mocked_orders`, keyed by the order number finance would
 * have seen (payOrderNo; a mocked packet's transfers by claimNo and its refund by refundNo). The
 * payment's provider txn id, written by `markPaid`, is `MOCK-<payOrderNo>`, so the packet store's
 * own rows say it too. Reconciliation reads either to set mocked orders apart.
 *
 * A mocked packet's money never reaches finance at all: its claimers' transfers and its refund are
 * answered here as well (./mocking-provider.ts), whatever the switch says by then, or finance's
 * ledger would pay out money it never received.
 */
import type { PaymentOrder } from '../../domain/order.js';
import type { ProviderOrder, ProviderOrderKind } from '../../domain/ports.js';
import type { MockedOrder, PaymentMock, SwitchReader, SwitchStore } from '../ports.js';

export const MOCK_TXN_PREFIX = 'MOCK-';

export type MockedOrderStore = Pick<SwitchStore, 'recordMocked' | 'getMocked' | 'isPacketMocked'>;

/** The provider's answer for a mocked order: succeeded at once. */
export function mockedProviderOrder(order: MockedOrder): ProviderOrder {
  const kind: ProviderOrderKind =
    order.kind === 'transfer' || order.kind === 'refund' ? order.kind : 'payment';
  return {
    orderNo: order.orderNo,
    kind,
    uid: order.uid,
    amount: order.amount,
    status: 'succeeded',
    txnId: order.txnId,
    payOrderNo: null,
    createdAt: order.createdAt,
    updatedAt: order.createdAt,
  };
}

export function createPaymentMock(deps: {
  switches: Pick<SwitchReader, 'isOn'>;
  store: MockedOrderStore;
  now: () => number;
}): PaymentMock {
  return {
    async payOrder(payment: PaymentOrder, fresh: boolean) {
      // the common path (switch off, a new order) costs no read at all
      if (fresh && !deps.switches.isOn('mock', 'payment')) return null;
      const before = await deps.store.getMocked(payment.payOrderNo);
      if (before) return mockedProviderOrder(before);
      if (!fresh || !deps.switches.isOn('mock', 'payment')) return null;
      const recorded = await deps.store.recordMocked({
        orderNo: payment.payOrderNo,
        kind: 'payment',
        packetId: payment.packetId,
        uid: payment.payerUid,
        amount: payment.amount,
        txnId: `${MOCK_TXN_PREFIX}${payment.payOrderNo}`,
        createdAt: deps.now(),
      });
      return mockedProviderOrder(recorded);
    },
  };
}
