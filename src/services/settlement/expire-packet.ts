/**
 * Issue 4: a packet's `expire` task, due at expiresAt. The store does the work under the packet
 * lock (active -> expired -> refunding, the refund order and its task), so a racing claim either
 * wins before it or gets PACKET_EXPIRED, never both a share and a full refund.
 */
import { returnB2cRemainder } from '../subsidy/return-b2c-remainder.js';
import type { PacketType } from '../../domain/packet.js';
import type { SettlementDeps } from './settlement-deps.js';
import { DONE, dead, retry, type TaskOutcome } from './task-outcome.js';

type Expire = (deps: SettlementDeps, packetId: string) => Promise<TaskOutcome>;

/**
 * Per packet type. A B2C remainder goes back to the campaign budget, which issue 3 books: it adds
 * its line here. Until then a B2C expire task is retried with backoff, never dropped.
 */
const EXPIRE_BY_PACKET_TYPE: Partial<Record<PacketType, Expire>> = {
  c2c: expireC2cPacket,
  b2c: expireB2cPacket,
};

/** B2C: the unclaimed remainder goes back to the campaign's budget, not to the sender (DESIGN §4). */
async function expireB2cPacket(deps: SettlementDeps, packetId: string): Promise<TaskOutcome> {
  if (!deps.issuer) return retry('no reward issuer configured for B2C returns');
  const result = await returnB2cRemainder(
    { store: deps.store, now: deps.now, issuer: deps.issuer },
    packetId,
  );
  if (result.status === 'not_due') return retry('the packet has not expired yet', result.notBefore);
  return DONE;
}

export async function runExpireTask(deps: SettlementDeps, packetId: string): Promise<TaskOutcome> {
  const packet = await deps.store.getPacket(packetId);
  if (!packet) return dead(`no packet ${packetId}`);
  const expire = EXPIRE_BY_PACKET_TYPE[packet.type];
  if (!expire) return retry(`no expiry route for ${packet.type} packets yet`);
  return expire(deps, packetId);
}

async function expireC2cPacket(deps: SettlementDeps, packetId: string): Promise<TaskOutcome> {
  const result = await deps.store.expirePacket(packetId, deps.now());
  if (result.outcome === 'not_due' && result.packet) {
    return retry('the packet has not expired yet', result.packet.expiresAt);
  }
  return DONE;
}
