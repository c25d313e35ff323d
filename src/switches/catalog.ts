/**
 * Every switch an operator can flip (DESIGN §7), in one place: the CLI validates names against it,
 * the admin API lists it, the gateway gates by it, the metrics export it.
 *
 * - degrade: the endpoint answers `503 DEGRADED` (or, for non-core ones, the feature falls back).
 * - mock: the service builds a dependency's answer itself and marks the order mocked.
 * - limit: requests per second for one endpoint, enforced by every core (src/server/middleware),
 *   counted over the cluster with Redis.
 */
import { didYouMean } from '../domain/did-you-mean.js';
import { RedpktError } from '../domain/errors.js';

export const DEGRADE_NAMES = ['c2c-send', 'b2c-send', 'claim', 'query-details', 'subsidy-issuer'] as const;
export const MOCK_NAMES = ['payment', 'realname', 'issuer'] as const;
export const LIMIT_ENDPOINTS = ['c2c-send', 'b2c-send', 'claim', 'query-details', 'subsidy-list'] as const;
export const SWITCH_KINDS = ['degrade', 'mock', 'limit'] as const;

export type DegradeName = (typeof DEGRADE_NAMES)[number];
export type MockName = (typeof MOCK_NAMES)[number];
export type LimitEndpoint = (typeof LIMIT_ENDPOINTS)[number];
export type SwitchKind = (typeof SWITCH_KINDS)[number];
export type ToggleKind = Exclude<SwitchKind, 'limit'>;

export type NameOf<K extends SwitchKind> = K extends 'degrade'
  ? DegradeName
  : K extends 'mock'
    ? MockName
    : LimitEndpoint;

export interface SwitchInfo {
  description: string;
  /**
   * Turning it on takes a core path away from users (or fakes money): the interactive picker asks
   * for confirmation first.
   */
  risky: boolean;
}

export const DEGRADE_INFO: Record<DegradeName, SwitchInfo & { message: string }> = {
  'c2c-send': {
    description: 'C2C sends (POST /v1/c2c/packets)',
    risky: true,
    message: 'Sending red packets is paused for a moment to keep things smooth. Please try again shortly.',
  },
  'b2c-send': {
    description: 'B2C sends with a subsidy (POST /v1/b2c/packets)',
    risky: true,
    message:
      'Sending subsidy red packets is paused for a moment. Your subsidies are safe; try again shortly.',
  },
  claim: {
    description: 'claims (POST /v1/packets/:id/claims)',
    risky: true,
    message: 'Opening red packets is busy right now. Your packet is safe; please try again shortly.',
  },
  'query-details': {
    description: 'packet detail and claim list (GET /v1/packets/:id[/claims])',
    risky: true,
    message: 'Packet details are taking a short break. Please try again shortly.',
  },
  'subsidy-issuer': {
    description: 'non-core: "my subsidies" answers from booked rows only, without the issuer',
    risky: false,
    message: 'The subsidy list shows booked subsidies only for now.',
  },
};

export const MOCK_INFO: Record<MockName, SwitchInfo> = {
  payment: {
    description: 'C2C payments: packets are active at once, no call to finance, orders marked mocked',
    risky: true,
  },
  realname: { description: 'real-name checks answered by the service itself', risky: true },
  issuer: { description: 'the reward issuer: no token list call, returns recorded as mocked', risky: true },
};

export const LIMIT_INFO: Record<LimitEndpoint, SwitchInfo> = {
  'c2c-send': { description: 'POST /v1/c2c/packets', risky: false },
  'b2c-send': { description: 'POST /v1/b2c/packets', risky: false },
  claim: { description: 'POST /v1/packets/:id/claims', risky: false },
  'query-details': { description: 'GET /v1/packets/:id and GET /v1/packets/:id/claims', risky: false },
  'subsidy-list': { description: 'GET /v1/subsidies', risky: false },
};

export function namesOf(kind: SwitchKind): readonly string[] {
  switch (kind) {
    case 'degrade':
      return DEGRADE_NAMES;
    case 'mock':
      return MOCK_NAMES;
    case 'limit':
      return LIMIT_ENDPOINTS;
  }
}

export function infoOf(kind: SwitchKind, name: string): SwitchInfo {
  const table: Record<string, SwitchInfo> =
    kind === 'degrade' ? DEGRADE_INFO : kind === 'mock' ? MOCK_INFO : LIMIT_INFO;
  const info = table[name];
  if (!info) throw unknownSwitch(kind, name);
  return info;
}

export function isSwitchKind(value: string): value is SwitchKind {
  return (SWITCH_KINDS as readonly string[]).includes(value);
}

export function isSwitchName<K extends SwitchKind>(kind: K, name: string): name is NameOf<K> {
  return namesOf(kind).includes(name);
}

/** A known name, or a USAGE error that lists the valid ones (CLI exit 3, HTTP 400). */
export function parseSwitchName<K extends SwitchKind>(kind: K, name: string): NameOf<K> {
  if (isSwitchName(kind, name)) return name;
  throw unknownSwitch(kind, name);
}

export function parseSwitchKind(kind: string): SwitchKind {
  if (isSwitchKind(kind)) return kind;
  throw new RedpktError('USAGE', `unknown switch kind "${kind}"; valid: ${SWITCH_KINDS.join(', ')}`);
}

function unknownSwitch(kind: SwitchKind, name: string): RedpktError {
  const noun = kind === 'limit' ? 'endpoint' : `${kind} switch`;
  const guess = didYouMean(name, [...namesOf(kind), ...(kind === 'limit' ? [] : ['status', 'audit'])]);
  const valid = namesOf(kind).join(', ');
  const hint = guess ? `; did you mean "${guess}"? (valid: ${valid})` : `; valid: ${valid}`;
  return new RedpktError('USAGE', `unknown ${noun} "${name}"${hint}`, {
    details: { valid: [...namesOf(kind)] },
  });
}

/** Every switch, in display order. */
export function allSwitches(): Array<{ kind: SwitchKind; name: string }> {
  return SWITCH_KINDS.flatMap((kind) => namesOf(kind).map((name) => ({ kind, name })));
}
