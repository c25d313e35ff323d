/**
 * Issue 8: the reward issuer's export over signed HTTP (grant-export-routes.ts), as the same
 * RainExportReads the store gives, so reconciliation reads either one. `headers` carries
 * `x-redpkt-shadow: 1` to reach the shadow lane's issuer.
 */
import { createCaller, errorFromAnswer, expectOk, type Answer, type CallerOptions } from '../http-caller.js';
import type { RainExportReads } from './grant-export.js';
import { GrantAnswer, GrantPageAnswer, RainReturnAnswer } from './grant-export-wire.js';

export interface GrantExportClient extends RainExportReads {
  close(): Promise<void>;
}

export function createGrantExportClient(opts: CallerOptions): GrantExportClient {
  const caller = createCaller(opts);
  async function getOrNull<T>(path: string, read: (answer: Answer) => T): Promise<T | null> {
    const answer = await caller.send('GET', path);
    if (answer.status === 404 && errorFromAnswer(answer).code === 'NOT_FOUND') return null;
    return read(answer);
  }
  return {
    async listGrants(q) {
      const params = new URLSearchParams({ limit: String(q.limit) });
      if (q.fromMs !== undefined) params.set('fromMs', String(q.fromMs));
      if (q.toMs !== undefined) params.set('toMs', String(q.toMs));
      if (q.after) {
        params.set('afterIssuedAt', String(q.after.issuedAt));
        params.set('afterGrantNo', q.after.outGrantNo);
      }
      return expectOk(await caller.send('GET', `/finance/rain/grants?${params}`), GrantPageAnswer).grants;
    },
    getGrant: (no) =>
      getOrNull(`/finance/rain/grants/${encodeURIComponent(no)}`, (a) => expectOk(a, GrantAnswer).grant),
    getReturn: (no) =>
      getOrNull(
        `/finance/rain/returns/${encodeURIComponent(no)}`,
        (a) => expectOk(a, RainReturnAnswer).return,
      ),
    close: () => caller.close(),
  };
}
