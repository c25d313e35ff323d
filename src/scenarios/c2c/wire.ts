import type { ListedClaim } from '../money-check.js';

/** Lenient readers of the packet API's answers: anything unexpected is undefined, never a throw. */
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

export function readCreated(
  body: unknown,
): { packetId: string; payOrderNo: string; status: string } | undefined {
  const b = obj(body);
  const packetId = str(b?.packetId);
  const payOrderNo = str(b?.payOrderNo);
  const status = str(b?.status) ?? 'unpaid';
  return packetId && payOrderNo ? { packetId, payOrderNo, status } : undefined;
}

export function readPacket(
  body: unknown,
): { status: string; remainingAmount?: number; refundedAmount?: number } | undefined {
  const b = obj(body);
  const status = str(b?.status);
  if (!status) return undefined;
  const remainingAmount = int(b?.remainingAmount);
  const refundedAmount = int(b?.refundedAmount);
  return {
    status,
    ...(remainingAmount !== undefined ? { remainingAmount } : {}),
    ...(refundedAmount !== undefined ? { refundedAmount } : {}),
  };
}

export function readClaim(body: unknown): { claimNo: string; amount: number } | undefined {
  const b = obj(body);
  const claimNo = str(b?.claimNo);
  const amount = int(b?.amount);
  return claimNo !== undefined && amount !== undefined ? { claimNo, amount } : undefined;
}

export function readClaimList(
  body: unknown,
): { status: string; totalAmount: number; claims: ListedClaim[] } | undefined {
  const b = obj(body);
  const status = str(b?.status);
  const totalAmount = int(b?.totalAmount);
  if (!status || totalAmount === undefined || !Array.isArray(b?.claims)) return undefined;
  const claims: ListedClaim[] = [];
  for (const c of b.claims) {
    const o = obj(c);
    const uid = str(o?.uid);
    const amount = int(o?.amount);
    if (uid === undefined || amount === undefined) return undefined;
    const claimNo = str(o?.claimNo);
    claims.push({ uid, amount, ...(claimNo !== undefined ? { claimNo } : {}) });
  }
  return { status, totalAmount, claims };
}

/** A 429's advice, in ms: `error.details.retryAfterMs` or `error.retryAfterMs`; 100 ms otherwise. */
export function retryAfterMs(body: unknown): number {
  const e = obj(obj(body)?.error);
  const ms = int(obj(e?.details)?.retryAfterMs) ?? int(e?.retryAfterMs) ?? 100;
  return Math.min(Math.max(ms, 1), 5000);
}
