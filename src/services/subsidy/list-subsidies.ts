import type { Fen } from '../../domain/money.js';
import type { SealedGrant, Subsidy, SubsidyViewStatus } from '../../domain/subsidy.js';
import { subsidyViewStatus } from '../../domain/subsidy.js';
import type { ServiceDeps } from '../deps.js';
import { subsidyDeps } from './subsidy-deps.js';

export interface SubsidyView {
  tokenId: string;
  outGrantNo: string;
  campaign: string;
  amount: Fen;
  status: SubsidyViewStatus;
  issuedAt: number;
  expiresAt: number;
  /** The sealed token to send a packet with; null once used or expired. */
  token: string | null;
  /** true once the packet service has the grant in its database. */
  booked: boolean;
  /** The packet it funded, once used. */
  packetId: string | null;
}

export interface SubsidyList {
  subsidies: SubsidyView[];
  /** true when the issuer was not asked or did not answer: only booked subsidies are listed. */
  partial: boolean;
}

function view(grant: SealedGrant, booked: Subsidy | undefined, now: number): SubsidyView {
  const status = subsidyViewStatus(booked?.status ?? null, grant.expiresAt, now);
  return {
    tokenId: grant.tokenId,
    outGrantNo: grant.outGrantNo,
    campaign: grant.campaign,
    amount: grant.amount,
    status,
    issuedAt: grant.issuedAt,
    expiresAt: grant.expiresAt,
    token: status === 'available' ? grant.token : null,
    booked: booked !== undefined,
    packetId: booked?.packetId ?? null,
  };
}

/**
 * "My subsidies" (DESIGN §4): the issuer's token list merged with our booked rows, one entry per
 * token id, newest first. The issuer is not core: when it is down, erroring or switched off, the
 * list comes from booked rows alone with `partial: true`, and never fails because of it.
 */
export async function listSubsidies(
  deps: ServiceDeps,
  uid: string,
  log: (msg: string, err: unknown) => void = () => {},
): Promise<SubsidyList> {
  const { subsidy } = subsidyDeps(deps);
  const [booked, issued] = await Promise.all([
    deps.store.listSubsidies(uid),
    subsidy.issuerEnabled()
      ? subsidy.issuer.listTokens(uid).catch((e: unknown) => {
          log('subsidies: the reward issuer did not answer; listing booked subsidies only', e);
          return null;
        })
      : Promise.resolve(null),
  ]);
  const now = deps.now();
  const bookedById = new Map(booked.map((s) => [s.tokenId, s]));
  const merged = new Map<string, SubsidyView>();
  // the issuer only knows what it granted to this uid; never show a token granted to another
  for (const grant of issued ?? [])
    if (grant.uid === uid) merged.set(grant.tokenId, view(grant, bookedById.get(grant.tokenId), now));
  for (const row of booked) if (!merged.has(row.tokenId)) merged.set(row.tokenId, view(row, row, now));
  const subsidies = [...merged.values()].sort(
    (a, b) => b.issuedAt - a.issuedAt || (a.tokenId < b.tokenId ? -1 : 1),
  );
  return { subsidies, partial: issued === null };
}
