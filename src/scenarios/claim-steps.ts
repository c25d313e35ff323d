import type { Step, StepContext } from './define-scenario.js';
import { abort } from './define-scenario.js';
import type { ClaimAnswer, ListedClaim, MoneyCheck } from './money-check.js';
import type { UserPool } from './user-pool.js';
import { readClaim, readClaimList, retryAfterMs } from './c2c/wire.js';

/** What the claim steps need from a scenario's state (c2c and b2c share them). */
export interface ClaimingState {
  sender: string;
  claimers: string[];
  packetId?: string;
  answered: ClaimAnswer[];
  refused: string[];
  list?: { status: string; totalAmount: number; claims: ListedClaim[] };
}

const MAX_RATE_LIMIT_RETRIES = 10;

/**
 * Expected answers to a claim, not failures: the packet is gone (more claimers than shares), and
 * a 429 the claimer will retry (the last allowed attempt's 429 is a failure). With `--expire` a
 * claim may also come after the expiry.
 */
const GONE = ['PACKET_EXHAUSTED'];
const claimOutcomes = (expire: boolean, retrying: boolean): ReadonlySet<string> =>
  new Set([...GONE, ...(expire ? ['PACKET_EXPIRED'] : []), ...(retrying ? ['RATE_LIMITED'] : [])]);

export const packetIdOf = (s: ClaimingState): string => s.packetId ?? abort('NO_PACKET');

/**
 * M distinct claimers at once; a 429 is retried after its retryAfterMs, as real clients do. A
 * claimer whose last answer is neither a share nor an expected outcome fails the flow (the claim
 * list still runs, for the money check).
 */
export function claimStep<S extends ClaimingState>(
  users: UserPool,
  opts: { expire?: boolean } = {},
): Step<S> {
  const retrying = claimOutcomes(opts.expire ?? false, true);
  const last = claimOutcomes(opts.expire ?? false, false);
  return {
    name: 'claim',
    async run(ctx: StepContext<S>) {
      const { state, http } = ctx;
      const path = `/v1/packets/${encodeURIComponent(packetIdOf(state))}/claims`;
      await Promise.all(
        state.claimers.map(async (uid) => {
          for (let attempt = 0; ; attempt++) {
            const expected = attempt < MAX_RATE_LIMIT_RETRIES ? retrying : last;
            const r = await http.request(
              { method: 'POST', path, headers: { authorization: users.auth(uid) } },
              { expected },
            );
            if (r.ok) {
              const c = readClaim(r.body);
              if (c) state.answered.push({ uid, amount: c.amount, claimNo: c.claimNo });
              return;
            }
            if (r.code === 'RATE_LIMITED' && attempt < MAX_RATE_LIMIT_RETRIES) {
              await ctx.sleep(retryAfterMs(r.body));
              continue;
            }
            // A lost response (status 0) may or may not have claimed: not "refused".
            if (r.status > 0) state.refused.push(uid);
            if (r.code !== undefined && !expected.has(r.code)) ctx.fail(r.code);
            return;
          }
        }),
      );
    },
  };
}

/** The claim list as the sender sees it, kept for the money check. */
export function claimListStep<S extends ClaimingState>(users: UserPool): Step<S> {
  return {
    name: 'claim-list',
    async run({ state, http }: StepContext<S>) {
      const r = await http.request({
        method: 'GET',
        path: `/v1/packets/${encodeURIComponent(packetIdOf(state))}/claims`,
        headers: { authorization: users.auth(state.sender) },
      });
      if (!r.ok) abort(r.code ?? 'FAILED');
      state.list = readClaimList(r.body) ?? abort('BAD_RESPONSE');
    },
  };
}

/** The money check of one settled iteration: what the claimers were told against the claim list. */
export function checkClaims(
  money: MoneyCheck,
  state: ClaimingState,
  packet: { packetId: string; amount: number; shares: number; refund?: number | undefined },
): void {
  money.check({
    packetId: packet.packetId,
    sender: state.sender,
    amount: packet.amount,
    shares: packet.shares,
    claimers: state.claimers,
    answered: state.answered,
    refused: state.refused,
    ...(state.list ? { list: state.list } : {}),
    ...(packet.refund !== undefined ? { refund: packet.refund } : {}),
  });
}
