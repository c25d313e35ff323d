/**
 * Issue 5: fixture accounts. `PUT /finance/admin/accounts` installs up to 1,000 users in one
 * transaction (signed like every admin call, never faulted); `GET /finance/realname/:uid` (signed)
 * answers the mocked real-name result installed for a user.
 */
import { Hono } from 'hono';
import { parseWith, jsonBody } from '../../server/validate.js';
import { randomBytes } from 'node:crypto';
import type { FinanceStore } from '../store/types.js';
import { InstallAccountsBody, RealnameUid } from '../wire.js';
import type { ReplayGuard } from '../replay-guard.js';
import { requireSignature } from './require-signature.js';

export interface AccountRoutesDeps {
  store: FinanceStore;
  signSecret: string;
  /** Issue 18: signed writes accepted once. */
  replay?: ReplayGuard | undefined;
  now: () => number;
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Transaction ids shaped as ids.ts makes them (`T` + time + 10 random characters), for up to
 * 1,000 funding movements a batch: one randomBytes call per 100 ids instead of one per id.
 */
function txnIdSource(now: number): () => string {
  const time = `T${now.toString(32).toUpperCase().padStart(9, '0')}`;
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + 10 > pool.length) {
      pool = randomBytes(1000);
      at = 0;
    }
    let id = time;
    for (let i = 0; i < 10; i++) id += ALPHABET[(pool[at++] ?? 0) & 31];
    return id;
  };
}

export function accountRoutes(deps: AccountRoutesDeps): Hono {
  const app = new Hono();
  const signed = requireSignature(deps.signSecret, deps.now, deps.replay);

  app.put('/finance/admin/accounts', signed, async (c) => {
    const { accounts } = await jsonBody(c, InstallAccountsBody);
    const now = deps.now();
    const summary = await deps.store.installAccounts(accounts, { now, newTxnId: txnIdSource(now) });
    return c.json(summary);
  });

  app.get('/finance/realname/:uid', signed, async (c) => {
    const uid = parseWith(RealnameUid, c.req.param('uid'));
    const realname = await deps.store.realnameOf(uid);
    return c.json({ uid, realname: realname ?? 'unknown' });
  });

  return app;
}
