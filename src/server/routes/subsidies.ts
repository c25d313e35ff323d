/** Issue 3: "my subsidies" and the B2C send. Every route needs a bearer token. */
import type { TokenVerifier } from '../../auth/token-cache.js';
import { Hono } from 'hono';
import type { ClaimLimiter } from '../../cache/claim-limiter.js';
import { createB2cPacket } from '../../services/subsidy/create-b2c-packet.js';
import { listSubsidies } from '../../services/subsidy/list-subsidies.js';
import type { ServiceDeps } from '../../services/deps.js';
import { identity } from '../middleware/identity.js';
import type { IdentityEnv } from '../middleware/identity.js';
import { createB2cBody } from '../subsidy-schemas.js';
import { jsonBody } from '../validate.js';

export function subsidyRoutes(
  deps: ServiceDeps,
  verify: TokenVerifier,
  log: (msg: string, err: unknown) => void,
  limiter?: ClaimLimiter,
) {
  const app = new Hono<IdentityEnv>();
  const auth = identity(verify);
  const b2cBody = createB2cBody(deps.limits);

  app.get('/v1/subsidies', auth, async (c) => c.json(await listSubsidies(deps, c.get('uid'), log)));

  app.post('/v1/b2c/packets', auth, async (c) => {
    const body = await jsonBody(c, b2cBody);
    const { packet, subsidy, created } = await createB2cPacket(deps, { ...body, senderUid: c.get('uid') });
    // active at once: the limiter knows its count before the first claim (see packetRoutes)
    if (limiter && created) void limiter.setRemaining(packet.id, packet.totalCount);
    return c.json(
      {
        packetId: packet.id,
        status: packet.status,
        totalAmount: packet.totalAmount,
        totalCount: packet.totalCount,
        expiresAt: packet.expiresAt,
        tokenId: subsidy.tokenId,
        created,
      },
      created ? 201 : 200,
    );
  });

  return app;
}
