import { RedpktError } from '../domain/errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `60s`, `1.5m`, `500ms`, `2h`; a bare number is seconds. Returns milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m?.[1])
    throw new RedpktError('USAGE', `${flag} must be a duration like 60s, 500ms, 2m (got "${text}")`);
  const ms = Number(m[1]) * (UNITS[m[2] ?? 's'] ?? 1000);
  if (!Number.isFinite(ms)) throw new RedpktError('USAGE', `${flag} is out of range`);
  return Math.round(ms);
}

/** `200`, `200/s`, `1200/m`: iterations per second. */
export function parseRate(text: string, flag = '--rate'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|m|h))?\s*$/.exec(text);
  if (!m?.[1]) throw new RedpktError('USAGE', `${flag} must look like 200/s or 1200/m (got "${text}")`);
  const per = { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  const rate = Number(m[1]) / per;
  if (!(rate > 0)) throw new RedpktError('USAGE', `${flag} must be above 0`);
  return rate;
}
