/**
 * Issue 24: deliberate bugs the simulator must catch (sim.test.ts keeps them as tests). Each
 * wraps the real component and removes one guard; nothing here runs outside the mutant tests.
 */
import type { Client } from '@libsql/client';
import type { PacketStore } from '../../src/domain/ports.js';
import type { MockedOrderStore } from '../../src/switches/mocks/payment-mock.js';
import type { SwitchReader } from '../../src/switches/ports.js';

/**
 * Mutant "refund without the status guard": a packet's expiry refunds whatever the packet's status
 * (exhausted, closed unpaid, already refunded), as if the guard `status = 'active'` were gone.
 * Written as "take the packet for active, then expire it", so the real expiry does the rest.
 */
export function unguardedExpiry(store: PacketStore, db: Client): PacketStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'expirePacket') return Reflect.get(target, prop, receiver) as unknown;
      return async (packetId: string, now: number) => {
        await db.execute({
          sql: `UPDATE packets SET status = 'active'
                 WHERE id = ? AND type = 'c2c' AND status <> 'active' AND expires_at <= ?`,
          args: [packetId, now],
        });
        return target.expirePacket(packetId, now);
      };
    },
  });
}

/**
 * Mutant "mock follows the switch, not the packet": the payment mocks take a packet for mocked
 * only while `mock payment` is still on, so turning it off sends a mocked packet's transfers and
 * refund to finance, which pays out money it never received (what src/switches/mocks/
 * mocking-provider.ts rules out by deciding on the packet's mocked payment).
 */
export function mockFollowsSwitch(
  store: MockedOrderStore,
  switches: Pick<SwitchReader, 'isOn'>,
): MockedOrderStore {
  const on = () => switches.isOn('mock', 'payment');
  return {
    recordMocked: (order) => store.recordMocked(order),
    getMocked: async (orderNo) => (on() ? store.getMocked(orderNo) : null),
    isPacketMocked: async (packetId) => on() && (await store.isPacketMocked(packetId)),
  };
}
