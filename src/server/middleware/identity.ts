import type { MiddlewareHandler } from 'hono';
import { bearerFrom, verifyToken } from '../../auth/tokens.js';

export type IdentityEnv = { Variables: { uid: string } };

/** Sets `uid` from the bearer token, or answers 401 UNAUTHENTICATED. */
export function identity(secret: string): MiddlewareHandler<IdentityEnv> {
  return async (c, next) => {
    c.set('uid', await verifyToken(secret, bearerFrom(c.req.header('authorization'))));
    await next();
  };
}
