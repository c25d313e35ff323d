/** Issue 17: counts as `fixtures load` prints them (thousands separators) and words that agree with them. */
export const formatCount = (n: number): string => n.toLocaleString('en');

/** `plural(1, 'order')` → "1 order", `plural(2_000, 'order')` → "2,000 orders". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
