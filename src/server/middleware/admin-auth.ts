import type { MiddlewareHandler } from 'hono';
import { adminKeyMatches } from '../../auth/admin-key.js';
import { verifyToken } from '../../auth/tokens.js';
import { RedpktError } from '../../domain/errors.js';

/**
 * The `/admin` API takes the admin key (`x-admin-key: <key>` or `Authorization: Bearer <key>`),
 * never a user's token: no key is 401 UNAUTHENTICATED, a valid user token 403 FORBIDDEN, a wrong
 * key 401.
 */
export function adminAuth(adminKey: string, jwtSecret: string): MiddlewareHandler {
  return async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const presented = c.req.header('x-admin-key') ?? bearer;
    if (!presented) {
      throw new RedpktError('UNAUTHENTICATED', 'the admin API needs the admin key (x-admin-key header)');
    }
    if (adminKeyMatches(adminKey, presented)) return next();
    const isUserToken = await verifyToken(jwtSecret, presented).then(
      () => true,
      () => false,
    );
    if (isUserToken) throw new RedpktError('FORBIDDEN', 'user tokens cannot use the admin API');
    throw new RedpktError('UNAUTHENTICATED', 'wrong admin key');
  };
}
