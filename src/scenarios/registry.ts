import { RedpktError } from '../domain/errors.js';
import { c2cScenario } from './c2c/c2c-scenario.js';
import type { C2cOptions } from './c2c/c2c-state.js';
import { c2cStepNames } from './c2c/c2c-state.js';
import type { Scenario } from './define-scenario.js';
import { FLOW_STEP, stepNames } from './define-scenario.js';
import type { MoneyCheck } from './money-check.js';
import type { RunOptions, RunResult } from './runner.js';
import { runScenario } from './runner.js';
import type { UserPool } from './user-pool.js';

/**
 * The scenarios `redpkt load <name>` knows. To add one (b2c, once the B2C issue lands its
 * endpoints): write `src/scenarios/b2c/b2c-scenario.ts` with `defineScenario`, give it a
 * `stepNames(options)` for threshold validation, and replace the entry below.
 */
export type ScenarioOptions = C2cOptions;

export interface ScenarioDeps {
  users: UserPool;
  money: MoneyCheck;
  options: ScenarioOptions;
}

/** A scenario with its state type hidden: what the load command needs to run any of them. */
export interface RunnableScenario {
  readonly name: string;
  readonly stepNames: string[];
  run(opts: RunOptions): Promise<RunResult>;
}

export interface ScenarioEntry {
  description: string;
  /** Every step name (and `flow`) a report will have, known before anything starts. */
  stepNames(options: ScenarioOptions): string[];
  build(deps: ScenarioDeps): RunnableScenario;
}

export function runnable<S>(scenario: Scenario<S>): RunnableScenario {
  return { name: scenario.name, stepNames: stepNames(scenario), run: (opts) => runScenario(scenario, opts) };
}

const needsB2cIssue = (): never => {
  throw new RedpktError(
    'USAGE',
    'the b2c scenario needs the B2C issue (rain grant, my subsidies, send with subsidy): its endpoints do not exist yet; run "redpkt load c2c"',
  );
};

export const SCENARIOS: Readonly<Record<string, ScenarioEntry>> = {
  c2c: {
    description:
      'create -> pay at the cashier -> wait active -> M concurrent claimers -> claim list (-> refund with --expire)',
    stepNames: (o) => [...c2cStepNames(o), FLOW_STEP],
    build: (deps) => runnable(c2cScenario(deps)),
  },
  b2c: {
    description:
      'rain grant -> my subsidies -> send with subsidy -> M concurrent claimers -> claim list (needs the B2C issue)',
    stepNames: needsB2cIssue,
    build: needsB2cIssue,
  },
};

export function scenarioEntry(name: string): ScenarioEntry {
  const entry = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!entry)
    throw new RedpktError(
      'USAGE',
      `unknown scenario "${name}" (scenarios: ${Object.keys(SCENARIOS).join(', ')})`,
    );
  return entry;
}
