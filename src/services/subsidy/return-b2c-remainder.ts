import type { SubsidyIssuer } from '../../domain/ports.js';
import type { ServiceDeps } from '../deps.js';

export type B2cReturnResult =
  /** The remainder is back in the campaign's budget (now or before): the packet is `refunded`. */
  | { status: 'returned'; amount: number }
  /** The packet is still active: come back at `notBefore`. */
  | { status: 'not_due'; notBefore: number }
  /** Nothing to return: exhausted, unknown, or not B2C. */
  | { status: 'nothing' };

/**
 * For the worker's `expire` task of a B2C packet (due at expiresAt). Under the packet lock the store
 * moves it active -> expired -> refunding and writes a pending return of the remaining amount (so a
 * racing claim either wins before or gets PACKET_EXPIRED); the issuer then takes the remainder back
 * into the campaign's budget, idempotent by returnNo (`${packetId}-R`); then return -> succeeded and
 * packet -> refunded. Safe to run again at any point: a throw (DEPENDENCY_FAILED when the issuer is
 * down, or while `mock issuer` is on) means "retry later", with the return still pending.
 *
 * The packet is settled only once the issuer really took the remainder back: every B2C packet is
 * funded by a real grant, so its return is never answered by a mock (src/switches/mocks/mocking-issuer.ts).
 */
export async function returnB2cRemainder(
  deps: Pick<ServiceDeps, 'store' | 'now'> & { issuer: SubsidyIssuer },
  packetId: string,
): Promise<B2cReturnResult> {
  const started = await deps.store.startB2cReturn(packetId, deps.now());
  if (started.outcome === 'not_due' && started.packet)
    return { status: 'not_due', notBefore: started.packet.expiresAt };
  const pending = started.b2cReturn;
  if (started.outcome !== 'returning' || !pending) return { status: 'nothing' };
  if (pending.status === 'pending') {
    await deps.issuer.returnRemainder({
      returnNo: pending.returnNo,
      campaign: pending.campaign,
      amount: pending.amount,
    });
    await deps.store.settleB2cReturn(packetId, deps.now());
  }
  return { status: 'returned', amount: pending.amount };
}
