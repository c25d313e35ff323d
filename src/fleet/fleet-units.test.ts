import { describe, expect, it } from 'vitest';
import { childArgs, type OptionInfo } from './child-args.js';
import { createLineSplitter, tagLine } from './line-tagger.js';

describe('a core’s command line', () => {
  const options: OptionInfo[] = [
    { long: '--port', attribute: 'port', negate: false, takesValue: true },
    { long: '--mysql', attribute: 'mysql', negate: false, takesValue: true },
    { long: '--cores', attribute: 'cores', negate: false, takesValue: true },
    { long: '--poll-ms', attribute: 'pollMs', negate: false, takesValue: true },
    { long: '--no-claim-limiter', attribute: 'claimLimiter', negate: true, takesValue: false },
    { long: '--no-shadow', attribute: 'shadow', negate: true, takesValue: false },
  ];
  it('passes on the flags given, repeated ones repeated, and keeps the supervisor’s own', () => {
    const values = {
      port: '8080',
      mysql: ['mysql://a/x', 'mysql://b/y'],
      cores: '4',
      pollMs: '100',
      shadow: false,
    };
    const given = new Set(['port', 'mysql', 'cores', 'pollMs', 'shadow']);
    expect(childArgs(options, values, (a) => given.has(a))).toEqual([
      '--mysql',
      'mysql://a/x',
      '--mysql',
      'mysql://b/y',
      '--poll-ms',
      '100',
      '--no-shadow',
    ]);
  });
  it('leaves out defaults nobody gave', () => {
    expect(childArgs(options, { pollMs: '500', mysql: [] }, () => false)).toEqual([]);
  });
});

describe('the cores’ output', () => {
  it('adds the core to a JSON log line and prefixes any other line', () => {
    expect(JSON.parse(tagLine('{"level":30,"msg":"x"}', 'core-1'))).toEqual({
      core: 'core-1',
      level: 30,
      msg: 'x',
    });
    expect(tagLine('redpkt: SIGTERM', 'core-0')).toBe('[core-0] redpkt: SIGTERM');
    expect(tagLine('{not json}', 'core-0')).toBe('[core-0] {not json}');
  });
  it('splits chunks into whole lines', () => {
    const lines: string[] = [];
    const s = createLineSplitter((l) => lines.push(l));
    s.push('a\nb');
    s.push('c\r\nd');
    s.end();
    expect(lines).toEqual(['a', 'bc', 'd']);
  });
});
