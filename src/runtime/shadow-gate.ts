/**
 * Issue 18 item 8: the shadow lane (load-test traffic, `x-redpkt-shadow: 1`) creates its three
 * stores when it starts, so it starts only for a request that proves who sent it: a valid user
 * token, the admin key, or a valid finance signature (a fixture load's first call). Once it runs,
 * its own routes check their auth as the real lane's do.
 */
import { adminKeyMatches } from '../auth/admin-key.js';
import { bearerFrom, tokenPolicy, verifyToken } from '../auth/tokens.js';
import { NONCE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyRequest } from '../finance/signature.js';

export interface ShadowGateKeys {
  jwtSecret: string;
  adminKey: string;
  /** Finance's signing secret (financeSignSecret of the service secret). */
  signSecret: string;
  maxTokenLifetimeSec?: number | undefined;
}

export async function mayStartShadowLane(req: Request, keys: ShadowGateKeys): Promise<boolean> {
  const h = req.headers;
  const admin = h.get('x-admin-key');
  if (admin && adminKeyMatches(keys.adminKey, admin)) return true;
  const auth = h.get('authorization');
  if (auth) {
    const presented = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (presented && adminKeyMatches(keys.adminKey, presented)) return true;
    const policy = tokenPolicy(keys.maxTokenLifetimeSec);
    const ok = await verifyToken(keys.jwtSecret, bearerFrom(auth), Date.now(), policy).then(
      () => true,
      () => false,
    );
    if (ok) return true;
  }
  const ts = h.get(TIMESTAMP_HEADER);
  const sig = h.get(SIGNATURE_HEADER);
  if (ts && sig) {
    const url = new URL(req.url);
    const body = req.body ? await req.clone().text() : '';
    const signed = {
      method: req.method,
      path: `${url.pathname}${url.search}`,
      body,
      nonce: h.get(NONCE_HEADER) ?? undefined,
    };
    return verifyRequest(keys.signSecret, signed, ts, sig);
  }
  return false;
}
