/**
 * Issue 8: the reward issuer's export for reconciliation, every route signed: the grants of a
 * window in keyset pages, one grant and one return by number. Read-only.
 */
import { Hono } from 'hono';
import { RedpktError } from '../../domain/errors.js';
import { parseWith } from '../../server/validate.js';
import { requireSignature } from '../http/require-signature.js';
import type { RainExportReads } from './grant-export.js';
import { toIssuedGrant } from './grant-export.js';
import { GrantExportQuerySchema, NumberParam } from './grant-export-wire.js';

export interface GrantExportRoutesDeps {
  store: RainExportReads;
  signSecret: string;
  now: () => number;
}

export function grantExportRoutes(deps: GrantExportRoutesDeps): Hono {
  const app = new Hono();
  const signed = requireSignature(deps.signSecret, deps.now);

  app.get('/finance/rain/grants', signed, async (c) => {
    const q = parseWith(GrantExportQuerySchema, c.req.query());
    const grants = await deps.store.listGrants({
      ...(q.fromMs === undefined ? {} : { fromMs: q.fromMs }),
      ...(q.toMs === undefined ? {} : { toMs: q.toMs }),
      ...(q.afterIssuedAt === undefined || q.afterGrantNo === undefined
        ? {}
        : { after: { issuedAt: q.afterIssuedAt, outGrantNo: q.afterGrantNo } }),
      limit: q.limit,
    });
    const last = grants.at(-1);
    return c.json({
      grants: grants.map(toIssuedGrant),
      next:
        grants.length === q.limit && last ? { issuedAt: last.issuedAt, outGrantNo: last.outGrantNo } : null,
    });
  });

  app.get('/finance/rain/grants/:outGrantNo', signed, async (c) => {
    const no = parseWith(NumberParam, c.req.param('outGrantNo'));
    const grant = await deps.store.getGrant(no);
    if (!grant) throw new RedpktError('NOT_FOUND', `no grant ${no}`);
    return c.json({ grant: toIssuedGrant(grant) });
  });

  app.get('/finance/rain/returns/:returnNo', signed, async (c) => {
    const no = parseWith(NumberParam, c.req.param('returnNo'));
    const found = await deps.store.getReturn(no);
    if (!found) throw new RedpktError('NOT_FOUND', `no return ${no}`);
    return c.json({ return: found });
  });

  return app;
}
