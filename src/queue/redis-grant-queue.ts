/**
 * The grant queue on Redis (`--redis`): one stream, one consumer group.
 *
 * - publish: XADD `<prefix>grants` * p <payload> (pipelined).
 * - receive: first XAUTOCLAIM what another consumer received and left unacknowledged for longer
 *   than the visibility timeout (it crashed or stalled), else XREADGROUP … BLOCK for new messages.
 * - ack: XACK, then XDEL: an acknowledged message has no reason to stay, so XLEN is the backlog.
 *
 * The blocking read has its own connection, so a waiting consumer never delays a publisher.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { GrantQueue, QueueMessage } from '../domain/ports.js';

export interface RedisGrantQueueOptions {
  url: string;
  /** Every key starts with it (tests use a random one per run). Default `redpkt:`. */
  keyPrefix?: string;
  /** A received message not acknowledged this long is delivered again. Default 30 s. */
  visibilityMs?: number;
  /** This consumer's name in the group; default host-pid-random. */
  consumer?: string;
}

export const GRANT_GROUP = 'booking';

/** The stream key the grant queue uses under a prefix. */
export const grantStreamKey = (keyPrefix = 'redpkt:'): string => `${keyPrefix}grants`;

type Entry = [id: string, fields: string[] | null];

function toMessages(entries: unknown): QueueMessage[] {
  if (!Array.isArray(entries)) return [];
  const out: QueueMessage[] = [];
  for (const entry of entries as Entry[]) {
    const [id, fields] = entry;
    if (!fields) continue; // deleted while pending
    const at = fields.indexOf('p');
    const payload = at >= 0 ? fields[at + 1] : undefined;
    if (typeof id === 'string' && typeof payload === 'string') out.push({ id, payload });
  }
  return out;
}

export async function createRedisGrantQueue(options: RedisGrantQueueOptions): Promise<GrantQueue> {
  const stream = grantStreamKey(options.keyPrefix);
  const visibilityMs = options.visibilityMs ?? 30_000;
  const consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  // Commands fail at once while the connection is down (no offline queue): a publish answers an
  // error instead of waiting, and receive() waits quietly (below). ioredis keeps reconnecting.
  const connect = () => {
    const r = new Redis(options.url, { protocol: 2, maxRetriesPerRequest: 3, enableOfflineQueue: false });
    r.on('error', () => {}); // seen in connectionStatus() and in the command that fails
    return r;
  };
  const redis = connect();
  const blocking = connect();
  // Redis down at start must not hold the service back (issue 19): wait a moment, then go on.
  await Promise.race([Promise.all([whenReady(redis), whenReady(blocking)]), delay(START_WAIT_MS)]);

  // The consumer group, created when first needed and again after a reconnect: a Redis that
  // restarted without its data has lost it (XGROUP CREATE … MKSTREAM is safe to repeat).
  let group: Promise<void> | undefined;
  const ensureGroup = (): Promise<void> =>
    (group ??= redis.call('XGROUP', 'CREATE', stream, GRANT_GROUP, '0', 'MKSTREAM').then(
      () => undefined,
      (e: unknown) => {
        if (e instanceof Error && e.message.includes('BUSYGROUP')) return;
        group = undefined;
        throw e;
      },
    ));
  redis.on('ready', () => (group = undefined));
  if (redis.status === 'ready') await ensureGroup().catch(() => {});
  let closed = false;
  let lastReclaim = 0;

  async function reclaim(max: number): Promise<QueueMessage[]> {
    const now = Date.now();
    // Nothing can be overdue more often than every half visibility timeout.
    if (now - lastReclaim < visibilityMs / 2) return [];
    const reply = (await redis.call(
      'XAUTOCLAIM',
      stream,
      GRANT_GROUP,
      consumer,
      visibilityMs,
      '0-0',
      'COUNT',
      max,
    )) as [string, unknown];
    const messages = toMessages(reply[1]);
    // Only when the scan reached the end may the next one wait: more may be overdue right now.
    if (reply[0] === '0-0') lastReclaim = now;
    return messages;
  }

  return {
    async publish(payloads) {
      if (payloads.length === 0) return;
      const pipeline = redis.pipeline();
      for (const payload of payloads) pipeline.xadd(stream, '*', 'p', payload);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    },

    async receive(max, waitMs) {
      if (closed) return [];
      if (redis.status !== 'ready' || blocking.status !== 'ready') {
        // nothing can be received while Redis is away: wait as for an empty queue
        await delay(Math.max(waitMs, 50));
        return [];
      }
      await ensureGroup();
      const overdue = await reclaim(max);
      if (overdue.length > 0) return overdue;
      const args: (string | number)[] = ['GROUP', GRANT_GROUP, consumer, 'COUNT', max];
      // BLOCK 0 would wait forever: a zero wait is a plain read
      if (waitMs > 0) args.push('BLOCK', waitMs);
      try {
        const reply = (await blocking.call('XREADGROUP', ...args, 'STREAMS', stream, '>')) as
          [string, unknown][] | null;
        return toMessages(reply?.[0]?.[1]);
      } catch (e) {
        if (closed) return [];
        if (e instanceof Error && e.message.startsWith('NOGROUP')) group = undefined;
        throw e;
      }
    },

    async ack(ids) {
      if (ids.length === 0) return;
      await redis
        .multi()
        .xack(stream, GRANT_GROUP, ...ids)
        .xdel(stream, ...ids)
        .exec();
    },

    async depth() {
      return Number(await redis.xlen(stream));
    },

    connectionStatus: () => (redis.status === 'ready' ? blocking.status : redis.status),

    async close() {
      if (closed) return;
      closed = true;
      blocking.disconnect(); // abort a waiting XREADGROUP
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** How long start-up waits for Redis before going on without it. */
const START_WAIT_MS = 2_000;

function whenReady(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
