import { createRng, randomInt } from '../../fixtures/rng.js';
import type { Scenario, Step, StepContext } from '../define-scenario.js';
import { abort, defineScenario } from '../define-scenario.js';
import type { MoneyCheck } from '../money-check.js';
import type { UserPool } from '../user-pool.js';
import type { C2cOptions, C2cState } from './c2c-state.js';
import { C2C_EXPIRE_STEP } from './c2c-state.js';
import { checkClaims, claimListStep, claimStep, packetIdOf } from '../claim-steps.js';
import { readCreated, readPacket } from './wire.js';

/**
 * c2c: create (unpaid) -> pay at the cashier as the sender -> wait until the signed callback
 * made it active -> M distinct claimers at once -> claim list -> (--expire) wait for the refund.
 * The money check runs when the iteration settles.
 */
export interface C2cDeps {
  users: UserPool;
  money: MoneyCheck;
  options: C2cOptions;
}

type Ctx = StepContext<C2cState>;

export function c2cScenario(deps: C2cDeps): Scenario<C2cState> {
  const { users, money, options } = deps;
  const auth = (uid: string) => ({ authorization: users.auth(uid) });
  const packetId = packetIdOf;

  const create: Step<C2cState> = {
    name: 'create',
    async run({ state, http }: Ctx) {
      const r = await http.request({
        method: 'POST',
        path: '/v1/c2c/packets',
        headers: auth(state.sender),
        body: {
          outOrderNo: state.outOrderNo,
          totalAmount: state.amount,
          totalCount: options.shares,
          splitMode: 'random',
          greeting: 'redpkt load c2c',
          ...(options.expire ? { expiresInSec: options.expire.afterSec } : {}),
        },
      });
      if (!r.ok) abort(r.code ?? 'FAILED');
      const created = readCreated(r.body) ?? abort('BAD_RESPONSE');
      state.packetId = created.packetId;
      state.payOrderNo = created.payOrderNo;
      // `redpkt mock payment on`: the service answered the payment itself; nothing to pay.
      state.paid = created.status === 'active';
      money.touch(created.packetId);
    },
  };

  const pay: Step<C2cState> = {
    name: 'pay',
    async run({ state, http }: Ctx) {
      if (state.paid) return;
      const payOrderNo = state.payOrderNo ?? abort('NO_PAY_ORDER');
      const r = await http.request({
        method: 'POST',
        path: `/finance/cashier/${encodeURIComponent(payOrderNo)}/pay`,
        headers: auth(state.sender),
      });
      if (!r.ok) abort(r.code ?? 'FAILED');
    },
  };

  /** Polls the packet until `until` says done; one sample for the whole wait. */
  const waitFor = async (
    ctx: Ctx,
    timeoutMs: number,
    until: (p: NonNullable<ReturnType<typeof readPacket>>) => 'done' | 'wait' | 'unexpected',
    onDone?: (p: NonNullable<ReturnType<typeof readPacket>>) => void,
  ) => {
    const started = ctx.now();
    const id = packetId(ctx.state);
    let delay = 10;
    for (;;) {
      const r = await ctx.http.request(
        { method: 'GET', path: `/v1/packets/${encodeURIComponent(id)}`, headers: auth(ctx.state.sender) },
        { record: false },
      );
      const p = r.ok ? readPacket(r.body) : undefined;
      const verdict = p ? until(p) : 'wait';
      if (p && verdict === 'done') {
        onDone?.(p);
        ctx.sample(started);
        return;
      }
      if (verdict === 'unexpected') {
        ctx.sample(started, 'UNEXPECTED_STATUS');
        abort('UNEXPECTED_STATUS');
      }
      if (ctx.now() - started >= timeoutMs) {
        ctx.sample(started, 'TIMEOUT');
        abort('TIMEOUT');
      }
      await ctx.sleep(Math.min(delay, Math.max(1, timeoutMs - (ctx.now() - started))));
      delay = Math.min(delay * 2, 250);
    }
  };

  const waitActive: Step<C2cState> = {
    name: 'wait-active',
    run: (ctx) =>
      waitFor(ctx, options.activeTimeoutMs, (p) =>
        p.status === 'active' ? 'done' : p.status === 'unpaid' ? 'wait' : 'unexpected',
      ),
  };

  const claim = claimStep<C2cState>(users, { expire: options.expire !== undefined });
  const claimList = claimListStep<C2cState>(users);

  const refund: Step<C2cState> = {
    name: C2C_EXPIRE_STEP,
    run: (ctx) => {
      const expire = options.expire ?? abort('NOT_EXPIRING');
      return waitFor(
        ctx,
        expire.afterSec * 1000 + expire.refundTimeoutMs,
        (p) =>
          p.status === 'refunded' || p.status === 'exhausted'
            ? 'done'
            : p.status === 'closed'
              ? 'unexpected'
              : 'wait',
        (p) => {
          // Exhausted: nothing was left to give back, and the sum check needs no refund.
          if (p.status === 'refunded') ctx.state.refund = p.refundedAmount ?? p.remainingAmount ?? 0;
        },
      );
    },
  };

  const steps = [create, pay, waitActive, claim, claimList, ...(options.expire ? [refund] : [])];

  return defineScenario<C2cState>({
    name: 'c2c',
    steps,
    init(iteration) {
      const rng = createRng(`${options.seed}:c2c:${iteration}`);
      return {
        iteration,
        sender: users.sender(iteration),
        claimers: users.claimers(iteration, options.claimers),
        // 1..200 fen a share on average, not always a multiple of the share count.
        amount: options.shares * randomInt(rng, 1, 200) + randomInt(rng, 0, options.shares - 1),
        outOrderNo: `lt-${options.runId}-${iteration}`,
        answered: [],
        refused: [],
      };
    },
    settle(state) {
      if (!state.packetId) return;
      checkClaims(money, state, {
        packetId: state.packetId,
        amount: state.amount,
        shares: options.shares,
        refund: state.refund,
      });
    },
  });
}
