import { RedpktError } from './errors.js';

/** A table of legal transitions; anything not listed is an ILLEGAL_TRANSITION error. */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canTransition<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

export function assertTransition<S extends string>(
  what: string,
  table: Transitions<S>,
  from: S,
  to: S,
): void {
  if (!canTransition(table, from, to)) {
    throw new RedpktError('ILLEGAL_TRANSITION', `${what} cannot go from ${from} to ${to}`, {
      details: { from, to },
    });
  }
}

export function isFinal<S extends string>(table: Transitions<S>, state: S): boolean {
  return table[state].length === 0;
}
