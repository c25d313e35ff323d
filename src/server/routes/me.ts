/** Issue 3: the caller's withdrawable subsidy balance and its withdrawals to the wallet. */
import type { TokenVerifier } from '../../auth/token-cache.js';
import { Hono } from 'hono';
import type { Withdrawal } from '../../domain/subsidy.js';
import type { ServiceDeps } from '../../services/deps.js';
import { withdraw } from '../../services/subsidy/withdrawals.js';
import { identity } from '../middleware/identity.js';
import type { IdentityEnv } from '../middleware/identity.js';
import { WithdrawBody } from '../subsidy-schemas.js';
import { jsonBody } from '../validate.js';

const view = ({ uid: _uid, providerTxnId: _txn, ...w }: Withdrawal) => w;

export function meRoutes(deps: ServiceDeps, verify: TokenVerifier, log: (msg: string, err: unknown) => void) {
  const app = new Hono<IdentityEnv>();
  const auth = identity(verify);

  app.get('/v1/me/balance', auth, async (c) => c.json(await deps.store.getSubsidyBalance(c.get('uid'))));

  app.get('/v1/me/withdrawals', auth, async (c) =>
    c.json({ withdrawals: (await deps.store.listWithdrawals(c.get('uid'))).map(view) }),
  );

  app.post('/v1/me/withdrawals', auth, async (c) => {
    const body = await jsonBody(c, WithdrawBody);
    const { withdrawal, created } = await withdraw(deps, { ...body, uid: c.get('uid') }, log);
    return c.json({ ...view(withdrawal), created }, created ? 201 : 200);
  });

  return app;
}
