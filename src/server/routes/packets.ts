import type { TokenVerifier } from '../../auth/token-cache.js';
import { Hono } from 'hono';
import type { ClaimLimiter } from '../../cache/claim-limiter.js';
import { RedpktError, isRedpktError } from '../../domain/errors.js';
import type { Packet } from '../../domain/packet.js';
import { claimPacket } from '../../services/claim-packet.js';
import { createC2cPacket } from '../../services/create-c2c-packet.js';
import type { ServiceDeps } from '../../services/deps.js';
import { getPacket, listClaims } from '../../services/query-packets.js';
import { identity } from '../middleware/identity.js';
import type { IdentityEnv } from '../middleware/identity.js';
import { createC2cBody, PacketIdParam } from '../schemas.js';
import { jsonBody, parseWith } from '../validate.js';

export function packetView(p: Packet) {
  return {
    packetId: p.id,
    type: p.type,
    status: p.status,
    senderUid: p.senderUid,
    totalAmount: p.totalAmount,
    totalCount: p.totalCount,
    remainingAmount: p.remainingAmount,
    remainingCount: p.remainingCount,
    splitMode: p.splitMode,
    greeting: p.greeting,
    expiresAt: p.expiresAt,
    createdAt: p.createdAt,
  };
}

/** The client API: C2C send, claim, packet detail and claim list. Every route needs a bearer token. */
/**
 * With a limiter, claims pass the per-packet limit first (DESIGN §3 step 1) and every answer keeps
 * the limiter's remaining count current.
 */
export function packetRoutes(deps: ServiceDeps, verify: TokenVerifier, limiter?: ClaimLimiter) {
  const app = new Hono<IdentityEnv>();
  const auth = identity(verify);
  const c2cBody = createC2cBody(deps.limits);

  app.post('/v1/c2c/packets', auth, async (c) => {
    const body = await jsonBody(c, c2cBody);
    const r = await createC2cPacket(deps, { ...body, senderUid: c.get('uid') });
    // the limiter knows a new packet's count before its first claim, so the first burst is limited
    if (limiter && r.created) void limiter.setRemaining(r.packet.id, r.packet.totalCount);
    return c.json(
      {
        packetId: r.packet.id,
        status: r.packet.status,
        totalCount: r.packet.totalCount,
        payOrderNo: r.payOrderNo,
        cashierUrl: r.cashierUrl,
        created: r.created,
      },
      r.created ? 201 : 200,
    );
  });

  app.get('/v1/packets/:id', auth, async (c) => {
    const id = parseWith(PacketIdParam, c.req.param('id'), 'id');
    return c.json(packetView(await getPacket(deps, id)));
  });

  app.post(CLAIM_ROUTE, auth, async (c) =>
    c.json(await claimAnswer(deps, limiter, c.req.param('id'), c.get('uid'))),
  );

  app.get('/v1/packets/:id/claims', auth, async (c) => {
    const id = parseWith(PacketIdParam, c.req.param('id'), 'id');
    return c.json(await listClaims(deps, id));
  });

  return app;
}

/** The claim route: Hono's pattern here, and the one the claim's fast path serves first. */
export const CLAIM_ROUTE = '/v1/packets/:id/claims';

/**
 * A claim's answer once its token gave `uid`: the packet id checked, the limiter passed, the claim
 * committed (DESIGN §3), the limiter's remaining count kept current. Throws the refusals. The
 * Hono route and the fast path (src/server/claim-fast-path.ts) both answer with it.
 */
export async function claimAnswer(
  deps: ServiceDeps,
  limiter: ClaimLimiter | undefined,
  rawId: string,
  uid: string,
) {
  const id = parseWith(PacketIdParam, rawId, 'id');
  if (limiter) await admitClaim(limiter, id);
  let r: Awaited<ReturnType<typeof claimPacket>>;
  try {
    r = await claimPacket(deps, id, uid);
  } catch (e) {
    if (limiter && isRedpktError(e) && e.code === 'PACKET_EXHAUSTED') void limiter.setRemaining(id, 0);
    throw e;
  }
  if (limiter) void limiter.setRemaining(id, r.remainingCount);
  return {
    claimNo: r.claim.claimNo,
    packetId: id,
    amount: r.claim.amount,
    remainingCount: r.remainingCount,
    status: r.claim.status,
    created: r.created,
  };
}

/**
 * The limiter turns a claim away only when the packet's window is full (429). A packet it knows
 * to be exhausted still goes to the claim: the database answers the claimer's stored share (a
 * retry after a lost answer: 200, the same claimNo) or PACKET_EXHAUSTED, which the limiter cannot
 * tell apart.
 */
async function admitClaim(limiter: ClaimLimiter, packetId: string): Promise<void> {
  const decision = await limiter.admit(packetId);
  if (decision.kind === 'limited') {
    throw new RedpktError('RATE_LIMITED', 'too many claims on this packet right now; retry shortly', {
      details: { retryAfterMs: decision.retryAfterMs },
    });
  }
}
