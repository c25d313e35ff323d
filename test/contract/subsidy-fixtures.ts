/** Issue 3: grants and B2C packets for the subsidy contract suites. */
import { expect } from 'vitest';
import type { NewB2cPacket, PacketStore } from '../../src/domain/ports.js';
import type { SealedGrant } from '../../src/domain/subsidy.js';
import { creditSubsidyBalance } from '../../src/services/subsidy/credit-subsidy.js';
import { HOUR, NOW, packetIdFor, unique } from './contract-fixtures.js';

export function grantOf(overrides: Partial<SealedGrant> = {}): SealedGrant {
  return {
    tokenId: unique('tok'),
    outGrantNo: unique('grant'),
    uid: unique('user'),
    amount: 888,
    campaign: 'spring',
    expiresAt: NOW + 2 * HOUR,
    issuedAt: NOW - 60_000,
    // the store keeps the sealed token as given; the services open it before anything is stored
    token: unique('st1.sealed'),
    ...overrides,
  };
}

export function b2cInput(grant: SealedGrant, overrides: Partial<NewB2cPacket> = {}): NewB2cPacket {
  return {
    id: packetIdFor(overrides.senderUid ?? grant.uid, NOW),
    senderUid: grant.uid,
    outOrderNo: unique('b2c'),
    grant,
    totalCount: 4,
    splitMode: 'random',
    greeting: 'Happy new year',
    expiresAt: NOW + HOUR,
    now: NOW,
    ...overrides,
  };
}

/** An active B2C packet funded by a fresh grant of `amount` fen. */
export async function b2cPacket(store: PacketStore, amount = 888, totalCount = 4) {
  const grant = grantOf({ amount });
  const { packet } = await store.createB2cPacket(b2cInput(grant, { totalCount }));
  return { grant, packet };
}

/** A user with `amount` fen of withdrawable subsidy balance, credited from a B2C claim. */
export async function richUser(
  deps: Parameters<typeof creditSubsidyBalance>[0],
  amount: number,
): Promise<string> {
  const { packet } = await deps.store.createB2cPacket(b2cInput(grantOf({ amount }), { totalCount: 1 }));
  const uid = unique('rich');
  const [outcome] = (await deps.store.claimShares(packet.id, [uid], NOW + 1)).outcomes;
  if (!outcome?.ok) throw new Error('claim failed');
  const credit = await creditSubsidyBalance(deps, outcome.claim.claimNo);
  expect(credit).toMatchObject({ status: 'credited', created: true });
  return uid;
}

export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}
