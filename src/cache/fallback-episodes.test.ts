import { describe, expect, it } from 'vitest';
import { createFallbackEpisodes } from './fallback-episodes.js';

describe('fallback episodes', () => {
  it('reports an outage once as it starts and once as it ends, counting every decision', () => {
    let t = 1_000;
    const seen: string[] = [];
    const episodes = createFallbackEpisodes({
      now: () => t,
      onStart: (e) => seen.push(`start: ${(e as Error).message}`),
      onEnd: ({ decisions, ms }) => seen.push(`end: ${decisions} in ${ms} ms`),
    });
    episodes.answered(); // no episode: nothing to end
    for (let i = 0; i < 4; i++) episodes.fellBack(new Error('ECONNREFUSED'));
    t += 2_500;
    episodes.answered();
    episodes.answered();
    episodes.fellBack(new Error('timeout'));
    expect(seen).toEqual(['start: ECONNREFUSED', 'end: 4 in 2500 ms', 'start: timeout']);
    expect([episodes.count(), episodes.active()]).toEqual([5, true]);
  });
});
