import { describe, expect, it } from 'vitest';
import { inList, literal, valuesList } from './sql-literals.js';

describe('SQL literals for bulk installs', () => {
  it('writes safe integers and plain text as literals', () => {
    expect(valuesList([['user:u-1_a.b', 0, -5]])).toBe("('user:u-1_a.b', 0, -5)");
    expect(inList(['a', 'b'])).toBe("('a', 'b')");
  });

  it('refuses anything that could leave a string literal, in either dialect', () => {
    for (const bad of ["it's", 'back\\slash', 'a b', 'x;--', '"q"', 'é', '\n']) {
      expect(() => literal(bad)).toThrow(/not a safe text literal/);
    }
    for (const bad of [1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY]) {
      expect(() => literal(bad)).toThrow(/not a safe integer/);
    }
  });
});
