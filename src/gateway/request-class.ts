/**
 * What the gateway needs to know about a request before forwarding it: the packet it names (its
 * requests go to that packet's core), whether it is a claim (the per-packet limiter runs first),
 * and whether it may be sent again to another core after the first one died with it in hand.
 */

/** As `PacketIdParam` (src/server/schemas.ts): `P`/`S`, a 2-digit shard, 21 base32 characters. */
const PACKET_PATH = /^\/v1\/packets\/([PS]\d{2}[0-9A-Z]{21})(?:\/|$)/;

export interface RequestClass {
  /** The packet the path names, if any: its requests all go to its top-ranked core. */
  packetId: string | undefined;
  /** `POST /v1/packets/:id/claims`. */
  claim: boolean;
  /** Safe to send again to the next core after one that may have received it died. */
  retrySafe: boolean;
}

/**
 * POSTs that are idempotent by a database unique key, so a replay on another core answers the
 * first attempt's result instead of doing it twice (checked in the stores' schemas):
 * - claims: `claims (packet_id, uid)` unique; claiming again returns the same claim;
 * - C2C and B2C sends: `packets (sender_uid, out_order_no)` unique; the same outOrderNo again
 *   answers the same packet (another body: 409 IDEMPOTENCY_CONFLICT);
 * - withdrawals: `withdrawals (uid, out_order_no)` unique;
 * - paying at the cashier: finance locks the order by payOrderNo; a paid order is answered as is.
 * Everything else that writes (rain draws, the admin and finance service APIs) is not retried
 * once sent: the client gets 503 DEPENDENCY_FAILED and decides.
 */
const IDEMPOTENT_POSTS: readonly RegExp[] = [
  /^\/v1\/packets\/[^/]+\/claims$/,
  /^\/v1\/c2c\/packets$/,
  /^\/v1\/b2c\/packets$/,
  /^\/v1\/me\/withdrawals$/,
  /^\/finance\/cashier\/[^/]+\/pay$/,
];

export function classifyRequest(method: string, path: string): RequestClass {
  const m = PACKET_PATH.exec(path);
  const packetId = m?.[1];
  const claim = method === 'POST' && packetId !== undefined && path === `/v1/packets/${packetId}/claims`;
  const retrySafe =
    method === 'GET' ||
    method === 'HEAD' ||
    method === 'OPTIONS' ||
    (method === 'POST' && IDEMPOTENT_POSTS.some((re) => re.test(path)));
  return { packetId, claim, retrySafe };
}
