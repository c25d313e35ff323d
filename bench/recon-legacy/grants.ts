/**
 * Issue 8: the reward issuer's grants against our booked subsidies, one by one by out_grant_no,
 * and the B2C invariant "subsidies issued == booked + outstanding tokens" per campaign and in
 * total, in fen. A booked subsidy carries the issuer's issuedAt (sealed in its token), so both
 * sides are walked in the same (issuedAt, outGrantNo) keyset order and merge-joined: memory holds
 * one row per side and one line per campaign, whatever the size of the rain.
 *
 * - booked: issued and booked with the same amount, owner and campaign;
 * - in_transit: issued, not booked yet, less than the cut-off before the run (the booking worker
 *   shaves the rain's peak: a big rain takes minutes to book);
 * - outstanding: issued, not booked after the cut-off. A legitimate state (a token nobody spent
 *   whose message has not been booked): counted with its fen, part of the invariant, not an error;
 * - shadow: a grant of the other lane (lane.ts), reported apart;
 * - amount_mismatch: booked with another amount than issued;
 * - record_mismatch: booked for another uid, campaign or issue time than issued;
 * - missing_at_provider: booked, never issued.
 */
import type { Fen } from '../../src/domain/money.js';
import type { ReconSubsidyRow } from '../../src/domain/ports.js';
import type { IssuedGrant } from '../../src/finance/rain/grant-export.js';
import type { CategoryTotal, Discrepancy } from './types.js';

export const GRANT_CATEGORIES = [
  'booked',
  'in_transit',
  'outstanding',
  'shadow',
  'amount_mismatch',
  'record_mismatch',
  'missing_at_provider',
] as const;
export type GrantCategory = (typeof GRANT_CATEGORIES)[number];
export const CLEAN_GRANT_CATEGORIES: ReadonlySet<GrantCategory> = new Set([
  'booked',
  'in_transit',
  'outstanding',
  'shadow',
]);

export interface CampaignCheck {
  campaign: string;
  /** What the issuer issued in the window (its amounts). */
  issued: CategoryTotal;
  /** What we booked of it, or booked without it (our amounts). */
  booked: CategoryTotal;
  /** Issued, not booked (in transit or outstanding), the issuer's amounts. */
  outstanding: CategoryTotal;
  /** issued.fen == booked.fen + outstanding.fen (and the counts likewise). */
  ok: boolean;
}

export interface GrantReport {
  totals: Record<GrantCategory, CategoryTotal>;
  /** Per campaign, by campaign id. */
  campaigns: CampaignCheck[];
  total: Omit<CampaignCheck, 'campaign'>;
  /** Grant discrepancies plus campaigns whose invariant does not hold. */
  discrepancyCount: number;
}

export interface GrantMatchOptions {
  fromMs: number;
  toMs: number;
  /** The run's clock: an unbooked grant younger than the cut-off is in transit. */
  now: number;
  cutoffMs: number;
  apart: (outGrantNo: string) => boolean;
  lookups: {
    grant(outGrantNo: string): Promise<IssuedGrant | null>;
    subsidy(outGrantNo: string): Promise<ReconSubsidyRow | null>;
  };
  /** Receives the discrepancies (the caller keeps the first N). */
  onDiscrepancy: (d: Discrepancy) => void;
}

const zero = (): CategoryTotal => ({ count: 0, fen: 0 });
const add = (t: CategoryTotal, fen: Fen): void => {
  t.count += 1;
  t.fen += fen;
};

function compare(a: { issuedAt: number; outGrantNo: string }, b: typeof a): number {
  if (a.issuedAt !== b.issuedAt) return a.issuedAt - b.issuedAt;
  return a.outGrantNo < b.outGrantNo ? -1 : a.outGrantNo > b.outGrantNo ? 1 : 0;
}

function balanced(c: Omit<CampaignCheck, 'campaign' | 'ok'>): boolean {
  return (
    c.issued.fen === c.booked.fen + c.outstanding.fen &&
    c.issued.count === c.booked.count + c.outstanding.count
  );
}

export async function matchGrants(
  ours: AsyncIterable<ReconSubsidyRow>,
  theirs: AsyncIterable<IssuedGrant>,
  opts: GrantMatchOptions,
): Promise<GrantReport> {
  const totals = Object.fromEntries(GRANT_CATEGORIES.map((c) => [c, zero()])) as Record<
    GrantCategory,
    CategoryTotal
  >;
  const campaigns = new Map<string, Omit<CampaignCheck, 'campaign' | 'ok'>>();
  let discrepancyCount = 0;
  const inWindow = (ms: number) => ms >= opts.fromMs && ms < opts.toMs;
  const campaign = (id: string) => {
    let c = campaigns.get(id);
    if (!c) campaigns.set(id, (c = { issued: zero(), booked: zero(), outstanding: zero() }));
    return c;
  };

  function count(
    category: GrantCategory,
    fen: Fen,
    o: ReconSubsidyRow | null,
    g: IssuedGrant | null,
    detail = '',
  ) {
    add(totals[category], fen);
    if (CLEAN_GRANT_CATEGORIES.has(category)) return;
    discrepancyCount += 1;
    opts.onDiscrepancy({
      category: category as Discrepancy['category'],
      orderNo: (o ?? g)?.outGrantNo ?? '',
      kind: 'grant',
      ours: o?.amount ?? null,
      theirs: g?.amount ?? null,
      detail,
    });
  }

  /** Both records of one grant: the issuer's counts as issued if it is this window's. */
  function pair(o: ReconSubsidyRow, g: IssuedGrant): void {
    if (inWindow(g.issuedAt)) add(campaign(g.campaign).issued, g.amount);
    add(campaign(o.campaign).booked, o.amount);
    if (o.amount !== g.amount) {
      return count('amount_mismatch', o.amount, o, g, `booked ${o.amount} fen, issued ${g.amount} fen`);
    }
    const differs = [
      o.uid !== g.uid ? `uid ${o.uid} vs ${g.uid}` : '',
      o.campaign !== g.campaign ? `campaign ${o.campaign} vs ${g.campaign}` : '',
      o.issuedAt !== g.issuedAt ? `issued at ${o.issuedAt} vs ${g.issuedAt}` : '',
    ].filter(Boolean);
    if (differs.length > 0)
      return count('record_mismatch', o.amount, o, g, `booked vs issued: ${differs.join(', ')}`);
    count('booked', o.amount, o, g);
  }

  async function onlyOurs(o: ReconSubsidyRow): Promise<void> {
    if (opts.apart(o.outGrantNo)) return count('shadow', o.amount, o, null);
    const g = await opts.lookups.grant(o.outGrantNo);
    if (g) return pair(o, g); // issued at another time than we booked it as
    add(campaign(o.campaign).booked, o.amount);
    count('missing_at_provider', o.amount, o, null, `booked ${o.amount} fen, the issuer never issued it`);
  }

  async function onlyTheirs(g: IssuedGrant): Promise<void> {
    if (opts.apart(g.outGrantNo)) return count('shadow', g.amount, null, g);
    const o = await opts.lookups.subsidy(g.outGrantNo);
    if (o) {
      if (inWindow(o.issuedAt)) return; // judged from our side, where it came in this window
      return pair(o, g);
    }
    const c = campaign(g.campaign);
    add(c.issued, g.amount);
    add(c.outstanding, g.amount);
    count(g.issuedAt + opts.cutoffMs > opts.now ? 'in_transit' : 'outstanding', g.amount, null, g);
  }

  const a = ours[Symbol.asyncIterator]();
  const b = theirs[Symbol.asyncIterator]();
  let na = await a.next();
  let nb = await b.next();
  while (!na.done || !nb.done) {
    if (!na.done && !nb.done && compare(na.value, nb.value) === 0) {
      if (opts.apart(na.value.outGrantNo)) count('shadow', nb.value.amount, null, nb.value);
      else pair(na.value, nb.value);
      na = await a.next();
      nb = await b.next();
    } else if (nb.done || (!na.done && compare(na.value, nb.value) < 0)) {
      await onlyOurs(na.value as ReconSubsidyRow);
      na = await a.next();
    } else {
      await onlyTheirs(nb.value);
      nb = await b.next();
    }
  }

  const list: CampaignCheck[] = [...campaigns.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([id, c]) => ({ campaign: id, ...c, ok: balanced(c) }));
  const sum = { issued: zero(), booked: zero(), outstanding: zero() };
  for (const c of list) {
    for (const k of ['issued', 'booked', 'outstanding'] as const) {
      sum[k].count += c[k].count;
      sum[k].fen += c[k].fen;
    }
    if (!c.ok) {
      discrepancyCount += 1;
      opts.onDiscrepancy({
        category: 'invariant',
        orderNo: `campaign:${c.campaign}`,
        kind: 'campaign',
        ours: c.booked.fen + c.outstanding.fen,
        theirs: c.issued.fen,
        detail: `issued ${c.issued.fen} fen (${c.issued.count}) != booked ${c.booked.fen} (${c.booked.count}) + outstanding ${c.outstanding.fen} (${c.outstanding.count})`,
      });
    }
  }
  return { totals, campaigns: list, total: { ...sum, ok: balanced(sum) }, discrepancyCount };
}
