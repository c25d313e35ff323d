import { stripVTControlCharacters } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteSwitchStore } from '../../src/storage/switches/sqlite-switch-store.js';
import { runPicker } from '../../src/switches/control/picker.js';
import { createDirectControl } from '../../src/switches/control/switch-control.js';
import type { SwitchControl } from '../../src/switches/control/switch-control.js';
import type { SwitchStore } from '../../src/switches/ports.js';

const KEY = { down: '\x1b[B', up: '\x1b[A', enter: '\r' };
const strip = (s: string) => stripVTControlCharacters(s);

/** A fake terminal: keystrokes in, the screen (ANSI stripped) out. */
function terminal() {
  const input = new PassThrough();
  let screen = '';
  let mark = 0;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      screen += chunk.toString();
      done();
    },
  });
  // every prompt pipes into the output and ends it when done, as it would a terminal: keep it open
  output.end = () => output;
  return {
    input,
    output,
    screen: () => strip(screen),
    /** Waits until `text` appears after the last mark, then moves the mark past it. */
    async waitFor(text: string | RegExp, ms = 3000) {
      const started = Date.now();
      for (;;) {
        const rest = strip(screen).slice(mark);
        const at = typeof text === 'string' ? rest.indexOf(text) : rest.search(text);
        if (at >= 0) {
          mark += at + 1;
          return;
        }
        if (Date.now() - started > ms)
          throw new Error(`never saw ${String(text)}; screen:\n${strip(screen).slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    press(...keys: string[]) {
      for (const k of keys) input.write(k);
    },
  };
}

let dir: string;
let store: SwitchStore;
let control: SwitchControl;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redpkt-picker-'));
  store = await createSqliteSwitchStore({ file: join(dir, 'redpkt.db') });
  await store.migrate();
  control = await createDirectControl({ kind: 'sqlite', file: join(dir, 'redpkt.db') });
});
afterEach(async () => {
  await control.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the interactive picker', () => {
  it("shows every switch's state and asks before turning a core path off; no leaves it on", async () => {
    await store.setSwitch({
      kind: 'limit',
      name: 'claim',
      value: 5000,
      actor: 'x',
      via: 'direct',
      reason: null,
      at: 1,
    });
    const t = terminal();
    const written: string[] = [];
    const done = runPicker(control, 'tester', { context: t, write: (l) => written.push(l) }, 'degrade');

    await t.waitFor('pick one to change');
    await t.waitFor('quit');
    for (const line of [
      /degrade\s+c2c-send\s+off/,
      /degrade\s+subsidy-issuer\s+off/,
      /mock\s+payment\s+off/,
      /limit\s+claim\s+5000\/s/,
      /limit\s+query-details\s+no limit/,
    ])
      expect(t.screen()).toMatch(line);

    t.press(KEY.enter); // c2c-send (the focus)
    await t.waitFor('Turn off C2C sends');
    t.press('n', KEY.enter);
    await t.waitFor('pick one to change');
    expect(written).toEqual(['degrade c2c-send stays off']);
    expect(await store.listAudit({ limit: 10 })).toHaveLength(1); // only the limit set above

    t.press(KEY.enter);
    await t.waitFor('Turn off C2C sends');
    t.press('y', KEY.enter);
    await t.waitFor('Reason');
    t.press(...'finance slow', KEY.enter);
    await t.waitFor(/degrade\s+c2c-send\s+ON/);
    t.press(...Array.from({ length: 30 }, () => KEY.down), KEY.enter); // quit is last
    expect(await done).toBe(1);

    expect(written[1]).toMatch(/^degrade c2c-send: off -> ON on .*redpkt\.db \(audit #\d+\)$/);
    const [entry] = await store.listAudit({ limit: 1 });
    expect(entry).toMatchObject({
      kind: 'degrade',
      name: 'c2c-send',
      oldValue: 0,
      newValue: 1,
      actor: 'tester',
      reason: 'finance slow',
      via: 'direct',
    });
  });

  it('flips a non-core switch without asking, and sets a limit typed in', async () => {
    const t = terminal();
    const written: string[] = [];
    const done = runPicker(control, 'tester', { context: t, write: (l) => written.push(l) }, 'degrade');
    await t.waitFor('quit');
    t.press(...Array.from({ length: 4 }, () => KEY.down), KEY.enter); // subsidy-issuer
    await t.waitFor('Reason');
    expect(t.screen()).not.toMatch(/EVERY instance/);
    t.press(KEY.enter);
    await t.waitFor(/degrade\s+subsidy-issuer\s+ON/);

    // the limits follow the 3 mock switches: degrade x5, mock x3, then limit c2c-send, b2c-send, claim
    t.press(...Array.from({ length: 6 }, () => KEY.down), KEY.enter);
    await t.waitFor('claim: requests per second');
    t.press(...'0', KEY.enter);
    await t.waitFor('a whole number >= 1');
    t.press('\x7f', ...'250', KEY.enter);
    await t.waitFor('Reason');
    t.press(KEY.enter);
    await t.waitFor(/limit\s+claim\s+250\/s/);
    t.press(...Array.from({ length: 30 }, () => KEY.down), KEY.enter);
    expect(await done).toBe(2);
    expect(written).toEqual([
      expect.stringMatching(/^degrade subsidy-issuer: off -> ON/),
      expect.stringMatching(/^limit claim: no limit -> 250\/s/),
    ]);
  });

  it('ends like "quit" on Ctrl-C', async () => {
    const t = terminal();
    const done = runPicker(control, 'tester', { context: t, write: () => {} });
    await t.waitFor('quit');
    t.press('\x03');
    expect(await done).toBe(0);
  });
});
