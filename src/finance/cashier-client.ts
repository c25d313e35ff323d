/** The payer's side of the cashier: pay an order at its cashierUrl with the payer's bearer token. */
import { request } from 'undici';
import type { Dispatcher } from 'undici';
import type { ProviderOrder } from '../domain/ports.js';
import { RedpktError } from '../domain/errors.js';
import { expectOk } from './http-caller.js';
import { z } from 'zod';
import { ProviderOrderSchema } from './wire.js';

const PayAnswer = z.object({ order: ProviderOrderSchema });

export async function payAtCashier(
  cashierUrl: string,
  bearerToken: string,
  opts: { dispatcher?: Dispatcher; timeoutMs?: number } = {},
): Promise<ProviderOrder> {
  let status: number;
  let text: string;
  try {
    const res = await request(cashierUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearerToken}` },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5_000),
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (e) {
    throw new RedpktError(
      'DEPENDENCY_FAILED',
      `the cashier did not answer: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: expectOk reports it
  }
  return expectOk({ status, body }, PayAnswer).order;
}
