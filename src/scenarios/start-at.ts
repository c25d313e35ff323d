import { setImmediate as yieldToLoop, setTimeout as sleepFor } from 'node:timers/promises';
import { RedpktError } from '../domain/errors.js';

/**
 * `--start-at <time>`: every generator of a run starts its schedule at the same wall-clock
 * instant, so their open-model arrival schedules line up. A timer alone can fire late on a busy
 * machine: it sleeps until shortly before the instant, then polls the clock between turns of the
 * event loop. A generator that gets here after the instant refuses (it would be out of step).
 */
const SPIN_MS = 25;

export function parseStartAt(text: string, nowMs = Date.now()): number {
  const at = Date.parse(text);
  if (!/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text) || !Number.isFinite(at))
    throw new RedpktError(
      'USAGE',
      `--start-at must be an ISO time with a zone, e.g. 2026-02-11T20:00:00Z (got "${text}")`,
    );
  if (at < nowMs) throw lateError(at, nowMs);
  return at;
}

function lateError(at: number, nowMs: number): RedpktError {
  return new RedpktError(
    'USAGE',
    `--start-at ${new Date(at).toISOString()} is ${((nowMs - at) / 1000).toFixed(3)} s in the past: this generator would start out of step with the others; give every generator a later --start-at`,
  );
}

/** Waits until `at` (epoch ms); resolves with how late it is then (ms). Refuses if already past. */
export async function waitUntil(at: number, signal?: AbortSignal): Promise<number> {
  const first = Date.now();
  if (first > at) throw lateError(at, first);
  const sleep = at - first - SPIN_MS;
  if (sleep > 0) await sleepFor(sleep, undefined, signal ? { signal } : {}).catch(() => undefined);
  while (Date.now() < at && !signal?.aborted) await yieldToLoop();
  return Date.now() - at;
}
