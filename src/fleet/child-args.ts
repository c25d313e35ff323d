/**
 * Issue 21: a core's command line is the supervisor's own `serve` flags as the operator gave them,
 * less those that are the supervisor's (`--cores`, `--cells`, `--port`, `--host`, the gateway's),
 * plus the core's private address and `--no-claim-limiter` (the gateway in front limits claims).
 * Read from commander's parsed options and their sources, so `--mysql a --mysql b`, `--x=1` and
 * `--no-…` all come out as given.
 */
export interface OptionInfo {
  /** e.g. `--mysql`, `--no-claim-limiter` */
  long: string;
  /** the key in the parsed values, e.g. `mysql`, `claimLimiter` */
  attribute: string;
  /** a `--no-…` flag */
  negate: boolean;
  /** takes a value */
  takesValue: boolean;
}

/** Flags the supervisor keeps for itself; the cores get their own value or none. */
export const SUPERVISOR_FLAGS: ReadonlySet<string> = new Set([
  'cores',
  'cells',
  'cell',
  'port',
  'host',
  'role',
  'core',
  'coreTimeoutMs',
  'healthEveryMs',
  'claimLimiter',
]);

export function childArgs(
  options: readonly OptionInfo[],
  values: Record<string, unknown>,
  fromCli: (attribute: string) => boolean,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const o of options) {
    if (SUPERVISOR_FLAGS.has(o.attribute) || seen.has(o.attribute) || !fromCli(o.attribute)) continue;
    const value = values[o.attribute];
    if (!o.takesValue) {
      // a boolean switch: `--x` when true, `--no-x` when its negation was given
      if (o.negate ? value === false : value === true) out.push(o.long);
      seen.add(o.attribute);
      continue;
    }
    seen.add(o.attribute);
    if (Array.isArray(value)) for (const v of value) out.push(o.long, String(v));
    else if (value !== undefined) out.push(o.long, String(value));
  }
  return out;
}
