import { RedpktError } from '../domain/errors.js';

/**
 * One generator's part of a run split over `count` generators (`--segment i/N`, 1-based on the
 * command line, `index` 0-based here). Everything a run counts is numbered globally (iterations,
 * open-model arrivals, closed-model virtual users, users, connections) and item `k` belongs to
 * segment `k mod count`: the segments' items are disjoint, together they are exactly the whole
 * run's items, and each segment keeps the whole run's timing (arrival `k` is due when it would be
 * in one generator; virtual user `k` joins the ramp when it would).
 */
export interface Segment {
  index: number;
  count: number;
}

export const WHOLE: Segment = Object.freeze({ index: 0, count: 1 });

export const MAX_SEGMENTS = 10_000;

/** How many of the items 0..total-1 are this segment's (the shares of all segments sum to `total`). */
export function shareOf(total: number, seg: Segment): number {
  if (total <= seg.index) return 0;
  return Math.floor((total - seg.index - 1) / seg.count) + 1;
}

/** The global number of this segment's `local`-th item. */
export function globalIndex(seg: Segment, local: number): number {
  return seg.index + seg.count * local;
}

/** `3/8` (1-based): segment 3 of 8. */
export function parseSegment(text: string, flag = '--segment'): Segment {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || !Number.isSafeInteger(n) || n < 1 || n > MAX_SEGMENTS || i < 1 || i > n)
    throw new RedpktError(
      'USAGE',
      `${flag} must be i/N with 1 <= i <= N <= ${MAX_SEGMENTS}, e.g. 3/8 (got "${text}")`,
    );
  return { index: i - 1, count: n };
}

/**
 * The segment from the flags or the environment, first found wins: `--segment i/N`,
 * `REDPKT_SEGMENT=i/N`, or Kubernetes' `JOB_COMPLETION_INDEX` (0-based) with `--segments N`.
 */
export function resolveSegment(input: {
  segment?: string | undefined;
  segments?: string | undefined;
  envSegment?: string | undefined;
  jobCompletionIndex?: string | undefined;
}): Segment {
  if (input.segment !== undefined) {
    if (input.segments !== undefined)
      throw new RedpktError('USAGE', 'give --segment i/N or --segments N, not both');
    return parseSegment(input.segment);
  }
  if (input.segments !== undefined) {
    const n = input.segments;
    if (!/^\d+$/.test(n) || Number(n) < 1 || Number(n) > MAX_SEGMENTS)
      throw new RedpktError('USAGE', `--segments must be a whole number from 1 to ${MAX_SEGMENTS}`);
    const index = input.jobCompletionIndex;
    if (index === undefined || !/^\d+$/.test(index))
      throw new RedpktError(
        'USAGE',
        '--segments N takes the segment from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); it is not set',
      );
    if (Number(index) >= Number(n))
      throw new RedpktError('USAGE', `JOB_COMPLETION_INDEX ${index} is not below --segments ${n}`);
    return { index: Number(index), count: Number(n) };
  }
  if (input.envSegment !== undefined) return parseSegment(input.envSegment, 'REDPKT_SEGMENT');
  return WHOLE;
}

/** `3/8` (1-based), for messages and reports. */
export const segmentLabel = (seg: Segment): string => `${seg.index + 1}/${seg.count}`;
