/**
 * Switch change notices over Redis pub/sub. The message is only a nudge: every receiver reloads
 * the switch table (the truth), so a notice from another deployment sharing the Redis, or two
 * notices crossing, can never set a wrong value. After a reconnect the subscriber reloads too
 * (notices sent while it was away are lost; polling would catch them up anyway).
 */
import type { Redis } from 'ioredis';
import type { SwitchBus } from './switch-board.js';

export interface RedisSwitchBusOptions {
  /** A connection for PUBLISH (may be shared with other commands). */
  publisher: Redis;
  /**
   * A dedicated connection: once subscribed it can run nothing else. Closed by close(). Absent:
   * publish only (the CLI writing straight to the database).
   */
  subscriber?: Redis | undefined;
  channel: string;
  log?: (msg: string, err: unknown) => void;
}

export function createRedisSwitchBus(opts: RedisSwitchBusOptions): SwitchBus {
  let listener: (() => void) | undefined;
  return {
    async publish() {
      await opts.publisher.publish(opts.channel, String(Date.now()));
    },
    async subscribe(onNotice) {
      const { subscriber } = opts;
      if (!subscriber) return;
      listener = onNotice;
      subscriber.on('message', (channel: string) => {
        if (channel === opts.channel) listener?.();
      });
      // 'ready' again after a reconnect: ioredis re-subscribes; reload what may have been missed
      let first = true;
      subscriber.on('ready', () => {
        if (!first) listener?.();
        first = false;
      });
      // Redis down at start must not hold the service back: polling covers until it subscribes
      const subscribed = subscriber.subscribe(opts.channel).then(
        () => undefined,
        (e: unknown) => opts.log?.('switches: cannot subscribe to change notices; polling only', e),
      );
      await Promise.race([subscribed, new Promise((r) => setTimeout(r, 2000).unref())]);
    },
    async close() {
      listener = undefined;
      opts.subscriber?.disconnect();
    },
  };
}
