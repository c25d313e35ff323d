/**
 * Issue 3: the reward issuer over HTTP: the packet service's SubsidyIssuer (signed calls), the
 * campaign admin (signed), and a user's draw (their bearer token), for tests and load runs.
 */
import { request } from 'undici';
import { z } from 'zod';
import { RedpktError } from '../../domain/errors.js';
import type { SubsidyIssuer } from '../../domain/ports.js';
import { createCaller, expectOk } from '../http-caller.js';
import type { CallerOptions } from '../http-caller.js';
import type { CampaignConfig } from './types.js';
import { CampaignSchema, DrawAnswer, SealedGrantSchema } from './rain-wire.js';

export const TokensAnswer = z.object({ tokens: z.array(SealedGrantSchema) });
const ReturnAnswer = z.object({ return: z.object({ returnNo: z.string() }) });
export const CampaignAnswer = z.object({ campaign: CampaignSchema });

export interface RainClient extends SubsidyIssuer {
  close(): Promise<void>;
}

export function createRainClient(opts: CallerOptions): RainClient {
  const caller = createCaller(opts);
  return {
    async listTokens(uid) {
      const path = `/finance/rain/tokens?uid=${encodeURIComponent(uid)}`;
      return expectOk(await caller.send('GET', path), TokensAnswer).tokens;
    },
    async returnRemainder(input) {
      expectOk(await caller.send('POST', '/finance/rain/returns', input), ReturnAnswer);
    },
    close: () => caller.close(),
  };
}

export interface RainAdminClient {
  setCampaign(id: string, config: CampaignConfig): Promise<z.infer<typeof CampaignSchema>>;
  getCampaign(id: string): Promise<z.infer<typeof CampaignSchema>>;
  close(): Promise<void>;
}

export function createRainAdminClient(opts: CallerOptions): RainAdminClient {
  const caller = createCaller(opts);
  const path = (id: string) => `/finance/admin/rain/campaigns/${encodeURIComponent(id)}`;
  return {
    setCampaign: async (id, config) =>
      expectOk(await caller.send('PUT', path(id), config), CampaignAnswer).campaign,
    getCampaign: async (id) => expectOk(await caller.send('GET', path(id)), CampaignAnswer).campaign,
    close: () => caller.close(),
  };
}

/** One draw as the user, at `${baseUrl}/finance/rain/:campaign/draw`. */
export async function drawRain(
  baseUrl: string,
  campaign: string,
  bearerToken: string,
  opts: { timeoutMs?: number } = {},
): Promise<z.infer<typeof DrawAnswer>> {
  const url = `${baseUrl.replace(/\/+$/, '')}/finance/rain/${encodeURIComponent(campaign)}/draw`;
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearerToken}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new RedpktError('DEPENDENCY_FAILED', `the reward issuer did not answer: ${reason}`, {
      cause: e,
      details: { dependency: 'reward issuer' },
    });
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: expectOk reports it
  }
  return expectOk({ status, body }, DrawAnswer);
}
