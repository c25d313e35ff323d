/**
 * Issue 24: the grant queue between the reward issuer and the booking worker, in the simulation.
 * Infrastructure like the stores (it survives a crash of the packet service), at-least-once like
 * the real ones (src/queue/): a message received and not acknowledged within the visibility
 * timeout is delivered again. The `grant_redeliver` fault loses an acknowledgement, so a booked
 * batch comes back; a crash loses the batch in hand the same way.
 */
import type { GrantQueue, QueueMessage } from '../../src/domain/ports.js';
import type { Faults } from './faults.js';
import type { Kernel, Life } from './kernel.js';

export const VISIBILITY_MS = 30_000;

interface Message {
  id: string;
  payload: string;
  visibleAt: number;
}

export class SimGrantQueue {
  private messages: Message[] = [];
  private next = 0;
  published = 0;

  constructor(
    private readonly k: Kernel,
    private readonly faults: Faults,
  ) {}

  /** Messages not yet acknowledged. */
  get depth(): number {
    return this.messages.length;
  }

  /** When the next message becomes deliverable (Infinity: none left). */
  nextVisibleAt(): number {
    return Math.min(...this.messages.map((m) => m.visibleAt));
  }

  /** The queue as one side sees it: every call passes a gate (and dies with its process). */
  side(life: Life | null): GrantQueue {
    const { k } = this;
    return {
      publish: async (payloads) => {
        await k.gate('queue.publish', life);
        for (const payload of payloads)
          this.messages.push({ id: `m${this.next++}`, payload, visibleAt: k.clock.now() });
        this.published += payloads.length;
        k.trace(`queue published ${payloads.length}`);
      },
      receive: async (max) => {
        await k.gate('queue.receive', life);
        const now = k.clock.now();
        const out: QueueMessage[] = [];
        for (const m of this.messages) {
          if (out.length >= max) break;
          if (m.visibleAt > now) continue;
          m.visibleAt = now + VISIBILITY_MS;
          out.push({ id: m.id, payload: m.payload });
        }
        return out;
      },
      ack: async (ids) => {
        await k.gate('queue.ack', life);
        if (this.faults.fire('grant_redeliver')) {
          k.trace(`fault grant_redeliver ${ids.length}`);
          return; // the ack is lost: the batch is delivered again after the visibility timeout
        }
        const done = new Set(ids);
        this.messages = this.messages.filter((m) => !done.has(m.id));
      },
      depth: () => Promise.resolve(this.messages.length),
      close: () => Promise.resolve(),
    };
  }
}
