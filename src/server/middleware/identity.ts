import type { MiddlewareHandler } from 'hono';
import type { TokenVerifier } from '../../auth/token-cache.js';
import { bearerFrom } from '../../auth/tokens.js';

export type IdentityEnv = { Variables: { uid: string } };

/** Sets `uid` from the bearer token, or answers 401 UNAUTHENTICATED. */
export function identity(verify: TokenVerifier): MiddlewareHandler<IdentityEnv> {
  return async (c, next) => {
    c.set('uid', verify(bearerFrom(c.req.header('authorization'))));
    await next();
  };
}
