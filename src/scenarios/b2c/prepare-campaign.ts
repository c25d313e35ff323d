import { RedpktError } from '../../domain/errors.js';
import { SHADOW_HEADERS } from '../../domain/ids.js';
import { createRainAdminClient } from '../../finance/rain/rain-client.js';
import { financeSignSecret } from '../../runtime/secret.js';

/**
 * Sets up the run's own rain campaign through finance's signed admin API: every draw wins, and a
 * grant is 1..200 fen a share on average, so packets stay inside the service's limits. Needs the
 * target's secret (embedded: known; remote: --secret), since the admin API is signed with it.
 */
export async function prepareCampaign(
  target: { url: string; secret: string | undefined },
  campaign: string,
  shares: number,
): Promise<void> {
  if (!target.secret) {
    throw new RedpktError('USAGE', "the b2c scenario sets up its rain campaign with the target's --secret");
  }
  // the campaign lives in the shadow lane's issuer, like every draw of the load run (issue 5)
  const admin = createRainAdminClient({
    baseUrl: target.url,
    secret: financeSignSecret(target.secret),
    headers: SHADOW_HEADERS,
  });
  try {
    await admin.setCampaign(campaign, {
      budget: 1_000_000_000,
      probability: 1,
      minAmount: shares,
      maxAmount: shares * 200,
      tokenTtlSec: 3600,
    });
  } finally {
    await admin.close();
  }
}
