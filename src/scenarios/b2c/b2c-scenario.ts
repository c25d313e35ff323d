import type { Scenario, Step, StepContext } from '../define-scenario.js';
import { abort, defineScenario } from '../define-scenario.js';
import { checkClaims, claimListStep, claimStep } from '../claim-steps.js';
import type { MoneyCheck } from '../money-check.js';
import type { UserPool } from '../user-pool.js';
import type { B2cOptions, B2cState } from './b2c-state.js';
import { readGrant, readSentPacket, readSubsidyIds } from './wire.js';

/**
 * b2c: a rain draw (the reward issuer grants a subsidy and answers a sealed token at once) ->
 * my subsidies (the token is listed, booked or not yet) -> send a B2C packet funded by it ->
 * M distinct claimers at once -> claim list. The money check runs when the iteration settles.
 * The campaign is set up once, before the first draw, by `prepare` (the signed admin API).
 */
export interface B2cDeps {
  users: UserPool;
  money: MoneyCheck;
  options: B2cOptions;
  /** Sets up the rain campaign the draws go to; called once, before the first draw. */
  prepare: () => Promise<void>;
  campaign: string;
}

type Ctx = StepContext<B2cState>;

export function b2cScenario(deps: B2cDeps): Scenario<B2cState> {
  const { users, money, options, campaign } = deps;
  const auth = (uid: string) => ({ authorization: users.auth(uid) });
  let prepared: Promise<void> | undefined;

  const draw: Step<B2cState> = {
    name: 'draw',
    async run({ state, http }: Ctx) {
      await (prepared ??= deps.prepare());
      const r = await http.request({
        method: 'POST',
        path: `/finance/rain/${encodeURIComponent(campaign)}/draw`,
        headers: auth(state.sender),
      });
      if (!r.ok) abort(r.code ?? 'FAILED');
      state.grant = readGrant(r.body) ?? abort('NOT_WON');
      state.amount = state.grant.amount;
    },
  };

  const subsidies: Step<B2cState> = {
    name: 'subsidies',
    async run({ state, http }: Ctx) {
      const r = await http.request({ method: 'GET', path: '/v1/subsidies', headers: auth(state.sender) });
      if (!r.ok) abort(r.code ?? 'FAILED');
      const tokenId = state.grant?.tokenId ?? abort('NO_GRANT');
      if (!readSubsidyIds(r.body).includes(tokenId)) abort('SUBSIDY_NOT_LISTED');
    },
  };

  const send: Step<B2cState> = {
    name: 'send',
    async run({ state, http }: Ctx) {
      const grant = state.grant ?? abort('NO_GRANT');
      const r = await http.request({
        method: 'POST',
        path: '/v1/b2c/packets',
        headers: auth(state.sender),
        body: {
          outOrderNo: state.outOrderNo,
          subsidyToken: grant.token,
          totalCount: options.shares,
          splitMode: 'random',
          greeting: 'redpkt load b2c',
        },
      });
      if (!r.ok) abort(r.code ?? 'FAILED');
      const sent = readSentPacket(r.body) ?? abort('BAD_RESPONSE');
      if (sent.totalAmount !== grant.amount) abort('AMOUNT_MISMATCH');
      state.packetId = sent.packetId;
      money.touch(sent.packetId);
    },
  };

  return defineScenario<B2cState>({
    name: 'b2c',
    steps: [draw, subsidies, send, claimStep<B2cState>(users), claimListStep<B2cState>(users)],
    init(iteration) {
      return {
        iteration,
        sender: users.sender(iteration),
        claimers: users.claimers(iteration, options.claimers),
        outOrderNo: `lb-${options.runId}-${iteration}`,
        answered: [],
        refused: [],
      };
    },
    settle(state) {
      if (!state.packetId || state.amount === undefined) return;
      checkClaims(money, state, { packetId: state.packetId, amount: state.amount, shares: options.shares });
    },
  });
}
