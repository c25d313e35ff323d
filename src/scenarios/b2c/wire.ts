/** Lenient readers of the B2C answers: anything unexpected is undefined, never a throw. */
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

/** A winning draw's grant; undefined for `{won:false}` or anything odd. */
export function readGrant(body: unknown): { tokenId: string; token: string; amount: number } | undefined {
  const b = obj(body);
  if (b?.won !== true) return undefined;
  const g = obj(b.grant);
  const tokenId = str(g?.tokenId);
  const token = str(g?.token);
  const amount = int(g?.amount);
  return tokenId && token && amount !== undefined ? { tokenId, token, amount } : undefined;
}

export function readSubsidyIds(body: unknown): string[] {
  const list = obj(body)?.subsidies;
  if (!Array.isArray(list)) return [];
  return list.map((s) => str(obj(s)?.tokenId)).filter((id): id is string => id !== undefined);
}

export function readSentPacket(body: unknown): { packetId: string; totalAmount: number } | undefined {
  const b = obj(body);
  const packetId = str(b?.packetId);
  const totalAmount = int(b?.totalAmount);
  return packetId && totalAmount !== undefined ? { packetId, totalAmount } : undefined;
}
