/**
 * Issue 4: a claim's `transfer` task: claimed -> transferring -> transferred (or failed and retried),
 * through finance, idempotent by claimNo there, so a retried transfer never pays twice.
 */
import { creditSubsidyBalance } from '../subsidy/credit-subsidy.js';
import type { Claim } from '../../domain/claim.js';
import type { PacketType } from '../../domain/packet.js';
import type { ProviderOrder } from '../../domain/ports.js';
import type { SettlementDeps } from './settlement-deps.js';
import { DONE, dead, retry, type TaskOutcome } from './task-outcome.js';

type Credit = (deps: SettlementDeps, claim: Claim) => Promise<TaskOutcome>;

/**
 * How a share reaches the claimer, per packet type. B2C shares are credited to the claimer's
 * withdrawable subsidy balance instead of a finance transfer: issue 3 adds its line here. Until
 * then a B2C claim's transfer task is retried with backoff (and stays visible), never dropped.
 */
const CREDIT_BY_PACKET_TYPE: Partial<Record<PacketType, Credit>> = {
  c2c: transferThroughFinance,
  b2c: creditSubsidy,
};

/** B2C claims credit the claimer's withdrawable subsidy balance; no money leaves us yet (DESIGN §4). */
export async function creditSubsidy(deps: SettlementDeps, claim: Claim): Promise<TaskOutcome> {
  const result = await creditSubsidyBalance(deps, claim.claimNo);
  return result.status === 'credited' ? DONE : retry(`subsidy credit of ${claim.claimNo}: ${result.status}`);
}

export async function runTransferTask(deps: SettlementDeps, claimNo: string): Promise<TaskOutcome> {
  const claim = await deps.store.getClaimByNo(claimNo);
  if (!claim) return dead(`no claim ${claimNo}`);
  if (claim.status === 'transferred') return DONE;
  const packet = await deps.store.getPacket(claim.packetId);
  if (!packet) return dead(`claim ${claimNo} belongs to a missing packet ${claim.packetId}`);
  const credit = CREDIT_BY_PACKET_TYPE[packet.type];
  if (!credit) return retry(`no transfer route for ${packet.type} packets yet`);
  return credit(deps, claim);
}

async function transferThroughFinance(deps: SettlementDeps, claim: Claim): Promise<TaskOutcome> {
  // transferring BEFORE finance hears of it: a crash after the call leaves a transferring claim
  // that the next run (or the sweeper) settles by calling again with the same transferNo.
  await deps.store.advanceClaim(claim.claimNo, 'transferring', deps.now());
  const order = await deps.provider.transfer({
    transferNo: claim.claimNo,
    uid: claim.uid,
    amount: claim.amount,
    notifyUrl: deps.notifyUrl,
  });
  return settleTransfer(deps, claim.claimNo, order);
}

/** Applies finance's view of a transfer to our claim; shared by the task and the callback. */
export async function settleTransfer(
  deps: Pick<SettlementDeps, 'store' | 'now'>,
  claimNo: string,
  order: ProviderOrder,
): Promise<TaskOutcome & { changed: boolean }> {
  switch (order.status) {
    case 'succeeded': {
      const { changed } = await deps.store.advanceClaim(claimNo, 'transferred', deps.now());
      return { ...DONE, changed };
    }
    case 'failed':
    case 'closed': {
      const { changed } = await deps.store.advanceClaim(claimNo, 'failed', deps.now());
      return { ...retry(`finance says the transfer ${order.status}`), changed };
    }
    case 'pending':
      return { ...retry('finance has not settled the transfer yet'), changed: false };
  }
}
