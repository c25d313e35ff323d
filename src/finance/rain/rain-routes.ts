/**
 * Issue 3: the reward issuer's HTTP API. Users draw with their bearer token (as at the cashier);
 * the packet service lists tokens and returns remainders with signed calls; campaigns are set
 * through the signed admin API (never faulted by the knobs).
 */
import { Hono } from 'hono';
import { bearerFrom, tokenPolicy, verifyToken } from '../../auth/tokens.js';
import { RedpktError } from '../../domain/errors.js';
import { jsonBody, parseWith } from '../../server/validate.js';
import type { ReplayGuard } from '../replay-guard.js';
import { requireSignature } from '../http/require-signature.js';
import type { RainService } from './rain-service.js';
import {
  CampaignConfigBody,
  CampaignParam,
  ReturnBody,
  TokensQuery,
  toCampaignView,
  toDrawView,
  toGrantView,
} from './rain-wire.js';

export interface RainRoutesDeps {
  rain: RainService;
  jwtSecret: string;
  /** Issue 18: serve's `--max-token-lifetime`, as on every route that reads a bearer token. */
  maxTokenLifetimeSec?: number | undefined;
  signSecret: string;
  /** Issue 18: signed writes accepted once. */
  replay?: ReplayGuard | undefined;
  now: () => number;
}

export function rainRoutes(deps: RainRoutesDeps): Hono {
  const app = new Hono();
  const signed = requireSignature(deps.signSecret, deps.now, deps.replay);
  const policy = tokenPolicy(deps.maxTokenLifetimeSec);

  app.post('/finance/rain/:campaign/draw', async (c) => {
    const token = bearerFrom(c.req.header('authorization'));
    const uid = await verifyToken(deps.jwtSecret, token, deps.now(), policy);
    const campaign = parseWith(CampaignParam, c.req.param('campaign'));
    return c.json(toDrawView(await deps.rain.draw(campaign, uid)));
  });

  app.get('/finance/rain/tokens', signed, async (c) => {
    const { uid } = parseWith(TokensQuery, c.req.query());
    return c.json({ tokens: (await deps.rain.listTokens(uid)).map(toGrantView) });
  });

  app.post('/finance/rain/returns', signed, async (c) => {
    const body = await jsonBody(c, ReturnBody);
    return c.json({ return: await deps.rain.returnRemainder(body) });
  });

  app.put('/finance/admin/rain/campaigns/:campaign', signed, async (c) => {
    const id = parseWith(CampaignParam, c.req.param('campaign'));
    const config = await jsonBody(c, CampaignConfigBody);
    return c.json({ campaign: toCampaignView(await deps.rain.setCampaign(id, config)) });
  });

  app.get('/finance/admin/rain/campaigns/:campaign', signed, async (c) => {
    const id = parseWith(CampaignParam, c.req.param('campaign'));
    const campaign = await deps.rain.getCampaign(id);
    if (!campaign) throw new RedpktError('NOT_FOUND', `no rain campaign ${id}`);
    return c.json({ campaign: toCampaignView(campaign) });
  });

  return app;
}
