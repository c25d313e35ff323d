/**
 * What the gateway needs to know about a request before forwarding it: the packet it names (its
 * requests go to that packet's core), whether it is a claim (the per-packet limiter runs first),
 * and whether it may be sent again to another core after the first one died with it in hand.
 *
 * The path classified is the path the core routes, byte for byte, because the gateway refuses
 * every path that holds a percent-encoded byte (`hasEncodedByte`, 400 VALIDATION_FAILED) instead
 * of forwarding it. Hono on the core decodes the path (`decodeURI` in hono's `getPath`, utils/url)
 * before routing, so `POST /v1/packets/P00…/claim%73` is a claim there, `/v1/packets/%5000…/claims`
 * names packet P00…, and even `/%761/packets/…` is under `/v1/`: a gateway that classified the raw
 * path would let such a claim past its limiter and route it round robin. Refusing is chosen over
 * decoding the way Hono does (and forwarding the decoded path) because it cannot drift with Hono's
 * decoder, whose edge cases (`%25`, malformed escapes, `%2F`) change between versions; and nothing
 * needs encoding: packet ids are base32, order numbers `[A-Za-z0-9_-]`, every other path segment a
 * fixed word. The refusal covers every path, not only `/v1/…`, since which paths are under `/v1/`
 * cannot be told before decoding. The query string is not affected (routing never reads it).
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

/** A `%` anywhere in the path (as the URL parser left it: it encodes spaces, quotes, non-ASCII). */
export function hasEncodedByte(path: string): boolean {
  return path.includes('%');
}

/** `path` is a URL pathname without `%` (see `hasEncodedByte`): the core routes exactly this. */
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
