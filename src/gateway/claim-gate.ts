/**
 * DESIGN §3 step 1 at the gateway: identity, then the per-packet claim limiter (at most
 * ceil(remaining × 1.5) claims per packet per 100 ms pass), before a claim is forwarded. It is
 * the same limiter as the all-in-one service's (src/cache/claim-limiter.ts: Redis with `--redis`,
 * so several gateways share one count; in process otherwise), kept current from the answers the
 * cores give: a send's `totalCount` (a new packet), a claim's `remainingCount`, a `PACKET_EXHAUSTED`,
 * a packet detail's `remainingCount`.
 * Cores behind a gateway run with `--no-claim-limiter`, so a claim is counted once.
 *
 * The limiter only ever turns a claim away with 429 (the window is full). A packet it knows to be
 * exhausted is not answered here: whether the claimer already holds one of its shares (a retry
 * after a lost answer) only the core's database knows, so the claim goes on to the core.
 */
import { createTokenVerifier } from '../auth/token-cache.js';
import { bearerFrom, tokenPolicy } from '../auth/tokens.js';
import type { ClaimLimiter } from '../cache/claim-limiter.js';
import { isRedpktError } from '../domain/errors.js';
import { errorAnswer } from './error-answer.js';

export interface ClaimGate {
  /** An answer to give instead of forwarding (401, 429), or null to forward. `authorization`: the request's header. */
  admit(authorization: string | undefined, packetId: string, shadow: boolean): Promise<Response | null>;
  /** Reads what a core answered about a packet (a claim or its detail) into the limiter. */
  learn(packetId: string, shadow: boolean, answer: PacketAnswer): void;
  /**
   * Reads a send's answer (`POST /v1/c2c/packets`, `/v1/b2c/packets`): a packet just created has
   * all its shares left, so the first burst of claimers is limited too, not only later ones.
   */
  learnSend(shadow: boolean, status: number, body: Buffer): void;
  bypassed(): number;
  close(): Promise<void>;
}

export interface PacketAnswer {
  kind: 'claim' | 'detail';
  status: number;
  body: Buffer;
}

export interface ClaimGateOptions {
  /** The cores' secret, to check bearer tokens before a claim takes a place in the limiter. */
  secret: string;
  /** Issue 18: the longest bearer-token lifetime accepted, as the cores' (`--max-token-lifetime`). */
  maxTokenLifetimeSec?: number | undefined;
  /** The real lane's limiter and the shadow lane's (load-test traffic counts apart). */
  limiters: { real: ClaimLimiter; shadow: ClaimLimiter };
  now?: () => number;
}

export function createClaimGate(opts: ClaimGateOptions): ClaimGate {
  const now = opts.now ?? Date.now;
  const limiterOf = (shadow: boolean) => (shadow ? opts.limiters.shadow : opts.limiters.real);
  const verify = createTokenVerifier(opts.secret, tokenPolicy(opts.maxTokenLifetimeSec));
  return {
    async admit(authorization, packetId, shadow) {
      try {
        verify(bearerFrom(authorization), now());
      } catch (e) {
        if (isRedpktError(e)) return errorAnswer(e.code, e.message);
        throw e;
      }
      const decision = await limiterOf(shadow).admit(packetId);
      if (decision.kind === 'limited') {
        return errorAnswer(
          'RATE_LIMITED',
          'too many claims on this packet right now; retry shortly',
          decision.retryAfterMs,
        );
      }
      // 'exhausted' is forwarded too: the core answers from the database, which is the only place
      // that knows whether this claimer holds a share. A claimer of the last share who lost the
      // answer and retries gets 200 with their claim back; everyone else gets PACKET_EXHAUSTED.
      return null;
    },
    learn(packetId, shadow, answer) {
      const remaining = remainingFrom(answer);
      if (remaining !== undefined) void limiterOf(shadow).setRemaining(packetId, remaining);
    },
    learnSend(shadow, status, body) {
      const created = createdFrom(status, body);
      if (created) void limiterOf(shadow).setRemaining(created.packetId, created.totalCount);
    },
    bypassed: () => opts.limiters.real.bypassed() + opts.limiters.shadow.bypassed(),
    async close() {
      await opts.limiters.real.close();
      await opts.limiters.shadow.close();
    },
  };
}

/** A core's JSON answer as an object, or undefined for anything else (it then teaches nothing). */
function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A share count as the cores write it: a whole number, 0 or more. */
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/**
 * A claim's 200 carries the packet's `remainingCount`, a 409 PACKET_EXHAUSTED means 0; an active
 * packet's detail carries it too. Anything else teaches nothing.
 */
function remainingFrom({ kind, status, body }: PacketAnswer): number | undefined {
  if (status !== 200 && !(kind === 'claim' && status === 409)) return undefined;
  const value = jsonObject(body) as
    { remainingCount?: unknown; status?: unknown; error?: { code?: unknown } } | undefined;
  if (!value) return undefined;
  if (status === 409) return value.error?.code === 'PACKET_EXHAUSTED' ? 0 : undefined;
  if (kind === 'detail' && value.status !== 'active') return undefined;
  return isCount(value.remainingCount) ? value.remainingCount : undefined;
}

/** A 201 (a new packet; a replay's 200 may answer an older one) with its id and share count. */
function createdFrom(status: number, body: Buffer): { packetId: string; totalCount: number } | undefined {
  if (status !== 201) return undefined;
  const { packetId, totalCount } = jsonObject(body) ?? {};
  if (typeof packetId !== 'string' || packetId === '' || !isCount(totalCount)) return undefined;
  return { packetId, totalCount };
}
