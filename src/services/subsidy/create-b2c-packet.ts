import { openSubsidyToken } from '../../auth/subsidy-token.js';
import { RedpktError } from '../../domain/errors.js';
import { newPacketId } from '../../domain/ids.js';
import { validatePacketShape } from '../../domain/limits.js';
import type { CreateB2cResult } from '../../domain/ports.js';
import type { SplitMode } from '../../domain/split.js';
import type { ServiceDeps } from '../deps.js';
import { subsidyDeps } from './subsidy-deps.js';

export interface CreateB2cInput {
  senderUid: string;
  outOrderNo: string;
  /** The sealed token from the reward issuer (the draw's answer or the subsidy list). */
  subsidyToken: string;
  totalCount: number;
  splitMode?: SplitMode | undefined;
  expiresInSec?: number | undefined;
  greeting?: string | undefined;
}

/**
 * Sends a B2C packet funded by a subsidy (DESIGN §4): the token is opened and checked here
 * (SUBSIDY_INVALID when tampered with or drawn in the other lane: `subsidy.tokenKey` is this lane's
 * own key, src/auth/subsidy-token.ts; SUBSIDY_NOT_OWNER when it is someone else's); then the store
 * books the grant if the queue has not yet, spends it and creates the ACTIVE packet in one
 * transaction, so one subsidy funds at most one packet whatever the concurrency.
 */
export async function createB2cPacket(deps: ServiceDeps, input: CreateB2cInput): Promise<CreateB2cResult> {
  const { subsidy } = subsidyDeps(deps);
  const grant = openSubsidyToken(subsidy.tokenKey, input.subsidyToken);
  if (grant.uid !== input.senderUid) {
    throw new RedpktError('SUBSIDY_NOT_OWNER', 'this subsidy was granted to another user', {
      details: { tokenId: grant.tokenId },
    });
  }
  const expiresInSec = input.expiresInSec ?? deps.limits.defaultExpiresInSec;
  validatePacketShape(grant.amount, input.totalCount, expiresInSec, deps.limits);
  const now = deps.now();
  return deps.store.createB2cPacket({
    id: newPacketId(deps.store.packetShard?.(input.senderUid) ?? 0, now, deps.shadow === true, deps.random),
    senderUid: input.senderUid,
    outOrderNo: input.outOrderNo,
    grant: { ...grant, token: input.subsidyToken },
    totalCount: input.totalCount,
    splitMode: input.splitMode ?? 'random',
    greeting: input.greeting ?? '',
    expiresAt: now + expiresInSec * 1000,
    now,
  });
}
