/**
 * Issue 24: deliberate bugs the simulator must catch (sim.test.ts keeps them as tests). Each
 * wraps the real component and removes one guard; nothing here runs outside the mutant tests.
 */
import type { Client } from '@libsql/client';
import type { PacketStore } from '../../src/domain/ports.js';

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
