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

export const packetIdOf = (s: ClaimingState): string => s.packetId ?? abort('NO_PACKET');

/** M distinct claimers at once; a 429 is retried after its retryAfterMs, as real clients do. */
export function claimStep<S extends ClaimingState>(users: UserPool): Step<S> {
  return {
    name: 'claim',
    async run(ctx: StepContext<S>) {
      const { state, http } = ctx;
      const path = `/v1/packets/${encodeURIComponent(packetIdOf(state))}/claims`;
      await Promise.all(
        state.claimers.map(async (uid) => {
          for (let attempt = 0; ; attempt++) {
            const r = await http.request({
              method: 'POST',
              path,
              headers: { authorization: users.auth(uid) },
            });
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
    amount: packet.amount,
    shares: packet.shares,
    claimers: state.claimers,
    answered: state.answered,
    refused: state.refused,
    ...(state.list ? { list: state.list } : {}),
    ...(packet.refund !== undefined ? { refund: packet.refund } : {}),
  });
}
