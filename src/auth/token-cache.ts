import { checkTokenTimes, readToken, type TokenClaims, type TokenPolicy } from './tokens.js';

/** The uid a bearer token names at `now` (ms); throws UNAUTHENTICATED like `verifyToken`. */
export interface TokenVerifier {
  (token: string, now?: number): string;
  /** How many verified tokens it remembers now. */
  readonly size: number;
}

export interface TokenVerifierOptions extends TokenPolicy {
  /** At this many tokens the older half is forgotten. */
  max?: number;
  /** The full check of a token not remembered (tests count its calls). */
  read?: (secret: string, token: string, policy: TokenPolicy) => TokenClaims;
  /** Issue 24: the time a call without its own `now` checks token times at (default Date.now). */
  now?: () => number;
}

/** How many verified tokens a verifier remembers before it forgets the older half. */
export const TOKEN_CACHE_SIZE = 50_000;

/**
 * `verifyToken` with a memory of the tokens it has already verified for `secret`.
 *
 * A claimer sends the same token with every request, and the HMAC, the base64url decoding and the
 * JSON parse were about a tenth of the service's CPU on a hot claim (issue 6 profile). A token is
 * remembered by its exact text, only after its signature checked out, so a text that was never
 * verified (another signature, another payload) always takes the full check. Its times are checked
 * on every use: a remembered token still expires. Failures are not remembered. At `max` tokens the
 * older half (by first verification) is forgotten, so memory stays bounded under any traffic.
 */
export function createTokenVerifier(secret: string, opts: TokenVerifierOptions = {}): TokenVerifier {
  const { max = TOKEN_CACHE_SIZE, read = readToken, now: clockNow = Date.now } = opts;
  const policy: TokenPolicy =
    opts.maxLifetimeSec === undefined ? {} : { maxLifetimeSec: opts.maxLifetimeSec };
  if (!Number.isInteger(max) || max < 2) throw new Error(`token cache size must be an integer >= 2: ${max}`);
  const known = new Map<string, TokenClaims>();
  const verify = (token: string, now = clockNow()): string => {
    let claims = known.get(token);
    if (claims === undefined) {
      claims = read(secret, token, policy);
      if (known.size >= max) forgetOlderHalf(known);
      known.set(token, claims);
    }
    checkTokenTimes(claims, now);
    return claims.sub;
  };
  return Object.defineProperty(verify, 'size', { get: () => known.size }) as TokenVerifier;
}

function forgetOlderHalf(known: Map<string, TokenClaims>): void {
  let drop = Math.ceil(known.size / 2);
  for (const key of known.keys()) {
    if (drop-- <= 0) break;
    known.delete(key);
  }
}
