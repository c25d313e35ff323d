import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteSwitchStore } from '../../src/storage/switches/sqlite-switch-store.js';
import type { SwitchStore } from '../../src/switches/ports.js';
import { createRedisSwitchBus } from '../../src/switches/redis-switch-bus.js';
import { createSwitchBoard } from '../../src/switches/switch-board.js';
import type { SwitchBoard } from '../../src/switches/switch-board.js';
import { redisAvailable, testRedisUrl } from '../support/services.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const change = { actor: 'tester', via: 'direct' as const, reason: null };

let dir: string;
const closers: Array<() => Promise<void>> = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-board-'));
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

async function store(): Promise<SwitchStore> {
  const s = await createSqliteSwitchStore({ file: join(dir, 'redpkt.db') });
  await s.migrate();
  closers.push(() => s.close());
  return s;
}

async function board(opts: Parameters<typeof createSwitchBoard>[0]): Promise<SwitchBoard> {
  const b = await createSwitchBoard(opts);
  closers.push(() => b.close());
  return b;
}

describe('the switch board', () => {
  it('lists every switch of the catalog, off until set', async () => {
    const b = await board({ store: await store(), pollMs: 0 });
    const list = b.list();
    expect(list.map((s) => `${s.kind}:${s.name}`)).toContain('degrade:c2c-send');
    expect(list.map((s) => `${s.kind}:${s.name}`)).toContain('limit:claim');
    expect(list.every((s) => s.value === 0)).toBe(true);
    expect(b.isOn('degrade', 'claim')).toBe(false);
    expect(b.limitOf('claim')).toBeNull();
  });

  it('applies its own change at once and answers from memory, not the database', async () => {
    const s = await store();
    let reads = 0;
    const counting = { ...s, listSwitches: () => (reads++, s.listSwitches()) };
    const b = await board({ store: counting, pollMs: 0 });
    await b.set({ kind: 'degrade', name: 'c2c-send', value: 1, ...change });
    await b.set({ kind: 'limit', name: 'claim', value: 5000, ...change });
    const before = reads;
    for (let i = 0; i < 10_000; i++) b.isOn('degrade', 'c2c-send');
    expect(reads).toBe(before);
    expect(b.isOn('degrade', 'c2c-send')).toBe(true);
    expect(b.limitOf('claim')).toBe(5000);
  });

  it('sees a change written by another process within one poll (embedded mode)', async () => {
    const s = await store();
    const seen: string[] = [];
    const b = await board({
      store: s,
      pollMs: 100,
      onChange: (c) => seen.push(`${c.kind}:${c.name}:${c.from}->${c.to}`),
    });
    const writer = await store(); // the CLI, straight in the database
    await writer.setSwitch({ kind: 'mock', name: 'payment', value: 1, ...change, at: Date.now() });
    await sleep(250);
    expect(b.isOn('mock', 'payment')).toBe(true);
    expect(seen).toEqual(['mock:payment:0->1']);
  });

  it('keeps the last known state when the database cannot be read', async () => {
    const s = await store();
    await s.setSwitch({ kind: 'degrade', name: 'claim', value: 1, ...change, at: 1 });
    let broken = false;
    const flaky = {
      ...s,
      listSwitches: () => (broken ? Promise.reject(new Error('db down')) : s.listSwitches()),
    };
    const logged: string[] = [];
    const b = await board({ store: flaky, pollMs: 0, log: (msg) => logged.push(msg) });
    broken = true;
    await b.refresh();
    await b.refresh();
    expect(b.isOn('degrade', 'claim')).toBe(true);
    expect(logged).toHaveLength(1); // at most once a minute
  });
});

const hasRedis = await redisAvailable();
describe.skipIf(!hasRedis)('with Redis pub/sub', () => {
  it('pushes a change to every board at once, without polling', async () => {
    const channel = `redpkt:test:${randomBytes(4).toString('hex')}:switches`;
    const bus = () => {
      const publisher = new Redis(testRedisUrl);
      closers.push(async () => void publisher.disconnect());
      return createRedisSwitchBus({ publisher, subscriber: new Redis(testRedisUrl), channel });
    };
    const a = await board({ store: await store(), bus: bus(), pollMs: 0 });
    const b = await board({ store: await store(), bus: bus(), pollMs: 0 });
    await a.set({ kind: 'degrade', name: 'c2c-send', value: 1, ...change });
    const started = Date.now();
    while (!b.isOn('degrade', 'c2c-send') && Date.now() - started < 2000) await sleep(5);
    expect(b.isOn('degrade', 'c2c-send')).toBe(true);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
