import type { MiddlewareHandler } from 'hono';
import type { TokenVerifier } from '../../auth/token-cache.js';
import { bearerFrom } from '../../auth/tokens.js';

export type IdentityEnv = { Variables: { uid: string } };

/** The uid of an `Authorization` header's bearer token; throws UNAUTHENTICATED. */
export const uidOf = (verify: TokenVerifier, authorization: string | undefined): string =>
  verify(bearerFrom(authorization));

/** Sets `uid` from the bearer token, or answers 401 UNAUTHENTICATED. */
export function identity(verify: TokenVerifier): MiddlewareHandler<IdentityEnv> {
  return async (c, next) => {
    c.set('uid', uidOf(verify, c.req.header('authorization')));
    await next();
  };
}
