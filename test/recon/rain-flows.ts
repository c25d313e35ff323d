/**
 * The B2C steps the recon tests drive on a settlement harness: a probability-1 rain campaign, a
 * user's draw (always a grant), and a send of a B2C packet with a grant's token.
 */
import { issueToken } from '../../src/auth/tokens.js';
import { createRainAdminClient, drawRain } from '../../src/finance/rain/rain-client.js';
import { financeSignSecret } from '../../src/runtime/secret.js';
import { orderNo, SECRET, type Harness } from '../worker/support/settlement-harness.js';

export interface Grant {
  tokenId: string;
  outGrantNo: string;
  amount: number;
  issuedAt: number;
  token: string;
}

/** The calendar date (YYYY-MM-DD) of a moment in recon's default time zone. */
export const shanghaiDate = (ms: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));

/** A campaign that grants every draw 100–900 fen, from a budget no test runs out of. */
export async function openRainCampaign(h: Harness): Promise<string> {
  const admin = createRainAdminClient({ baseUrl: h.url, secret: financeSignSecret(SECRET) });
  const campaign = orderNo('camp');
  try {
    await admin.setCampaign(campaign, {
      budget: 1_000_000,
      probability: 1,
      minAmount: 100,
      maxAmount: 900,
      tokenTtlSec: 3_600,
    });
  } finally {
    await admin.close();
  }
  return campaign;
}

export async function drawGrant(h: Harness, campaign: string, uid: string): Promise<Grant> {
  const answer = await drawRain(h.url, campaign, await issueToken(SECRET, uid));
  if (!answer.won) throw new Error('a probability-1 campaign must grant');
  return answer.grant;
}

/** Sends a B2C packet with the grant's token; anything but 201 throws. */
export async function sendB2c(h: Harness, uid: string, g: Grant, body: Record<string, unknown>) {
  const r = await h.call('POST', '/v1/b2c/packets', uid, {
    outOrderNo: orderNo('b2c'),
    subsidyToken: g.token,
    ...body,
  });
  if (r.status !== 201) throw new Error(`send failed: ${JSON.stringify(r.body)}`);
  return r.body as { packetId: string };
}
