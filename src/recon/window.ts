/**
 * Issue 8: the reconciliation window in a time zone, with Intl only (no date library): a day
 * (C2C, `--date`) or an hour of it (B2C, `--hour`), as [fromMs, toMs) in epoch milliseconds.
 */
import { RedpktError } from '../domain/errors.js';

export const DEFAULT_TZ = 'Asia/Shanghai';

export interface ReconWindow {
  /** A stable name for the window: `2026-02-11` or `2026-02-11T20`, plus the zone. */
  key: string;
  date: string;
  hour: number | null;
  tz: string;
  fromMs: number;
  toMs: number;
}

function formatter(tz: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    throw new RedpktError('USAGE', `--tz must be an IANA time zone like Asia/Shanghai (got "${tz}")`);
  }
}

/** The zone's offset from UTC at instant `ms`, in ms (east positive), to the second. */
function offsetAt(fmt: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(ms / 1000) * 1000;
}

/** The instant when the wall clock in `tz` shows y-m-d h:00 (the later one in a DST fold). */
function wallToUtc(fmt: Intl.DateTimeFormat, y: number, m: number, d: number, h: number): number {
  const guess = Date.UTC(y, m - 1, d, h);
  const first = guess - offsetAt(fmt, guess);
  return guess - offsetAt(fmt, first);
}

export function reconWindow(date: string, hour: number | null, tz = DEFAULT_TZ): ReconWindow {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [y, mo, d] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (!m || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) {
    throw new RedpktError('USAGE', `--date must be a calendar date YYYY-MM-DD (got "${date}")`);
  }
  if (hour !== null && !(Number.isInteger(hour) && hour >= 0 && hour <= 23)) {
    throw new RedpktError('USAGE', `--hour must be 0..23 (got ${hour})`);
  }
  const fmt = formatter(tz);
  const fromMs = wallToUtc(fmt, y, mo, d, hour ?? 0);
  // the next day or hour by the calendar, so a DST day is 23 or 25 hours long
  const toMs =
    hour === null || hour === 23 ? wallToUtc(fmt, y, mo, d + 1, 0) : wallToUtc(fmt, y, mo, d, hour + 1);
  const key = `${date}${hour === null ? '' : `T${String(hour).padStart(2, '0')}`}@${tz}`;
  return { key, date, hour, tz, fromMs, toMs };
}

/** `--hour 20` → 20; anything else is a usage error. */
export function parseHour(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d{1,2}$/.test(text)) throw new RedpktError('USAGE', `--hour must be 0..23 (got "${text}")`);
  return Number(text);
}
