/**
 * The operators' API (issue 7), behind the admin key (../middleware/admin-auth.ts):
 *   GET  /admin/switches                     every switch with its value and last change
 *   PUT  /admin/switches/:kind/:name         {on} for degrade and mock, {perSecond|null} for limit;
 *                                            optional {reason, actor}; audited, pushed to every instance
 *   GET  /admin/audit?kind&name&limit        the audit trail, newest first
 *   GET  /admin/mocked-orders?since&limit    orders answered by a mock (for reconciliation)
 */
import { Hono } from 'hono';
import { RedpktError, isRedpktError } from '../../domain/errors.js';
import type { SwitchKind } from '../../switches/catalog.js';
import { parseSwitchKind, parseSwitchName } from '../../switches/catalog.js';
import type { SwitchStore } from '../../switches/ports.js';
import type { SwitchBoard } from '../../switches/switch-board.js';
import { adminAuth } from '../middleware/admin-auth.js';
import { AuditQuery, LimitBody, MockedQuery, ToggleBody } from '../admin-schemas.js';
import { jsonBody, parseWith } from '../validate.js';

export interface AdminRoutesDeps {
  board: SwitchBoard;
  store: Pick<SwitchStore, 'listAudit' | 'listMocked'>;
  adminKey: string;
  jwtSecret: string;
}

/** A bad switch name on the wire is a validation error (400), listing the valid ones. */
function named<T>(field: 'kind' | 'name', parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (isRedpktError(e) && e.code === 'USAGE') {
      const valid = e.details?.['valid'];
      throw new RedpktError('VALIDATION_FAILED', e.message, {
        details: { fields: [field], ...(Array.isArray(valid) ? { allowed: valid } : {}) },
      });
    }
    throw e;
  }
}

export function adminRoutes(deps: AdminRoutesDeps): Hono {
  const app = new Hono();
  app.use('/admin/*', adminAuth(deps.adminKey, deps.jwtSecret));

  app.get('/admin/switches', (c) => c.json({ switches: deps.board.list() }));

  app.put('/admin/switches/:kind/:name', async (c) => {
    const kind: SwitchKind = named('kind', () => parseSwitchKind(c.req.param('kind')));
    const name = named('name', () => parseSwitchName(kind, c.req.param('name')));
    let value: number;
    let meta: { reason?: string | undefined; actor?: string | undefined };
    if (kind === 'limit') {
      const body = await jsonBody(c, LimitBody);
      value = body.perSecond ?? 0;
      meta = body;
    } else {
      const body = await jsonBody(c, ToggleBody);
      value = body.on ? 1 : 0;
      meta = body;
    }
    const change = await deps.board.set({
      kind,
      name,
      value,
      actor: meta.actor ?? 'admin-api',
      via: 'admin-api',
      reason: meta.reason?.trim() || null,
    });
    const view = deps.board.list().find((s) => s.kind === kind && s.name === name);
    return c.json({ change, switch: view });
  });

  app.get('/admin/audit', async (c) => {
    const q = parseWith(AuditQuery, c.req.query());
    const kind = q.kind === undefined ? undefined : named('kind', () => parseSwitchKind(q.kind ?? ''));
    const entries = await deps.store.listAudit({
      limit: q.limit,
      ...(kind ? { kind } : {}),
      ...(q.name ? { name: q.name } : {}),
    });
    return c.json({ entries });
  });

  app.get('/admin/mocked-orders', async (c) => {
    const q = parseWith(MockedQuery, c.req.query());
    return c.json({
      orders: await deps.store.listMocked({
        limit: q.limit,
        ...(q.since === undefined ? {} : { since: q.since }),
      }),
    });
  });

  return app;
}
