import { RedpktError } from '../domain/errors.js';
import { b2cScenario } from './b2c/b2c-scenario.js';
import { B2C_STEPS } from './b2c/b2c-state.js';
import { prepareCampaign } from './b2c/prepare-campaign.js';
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
 * The scenarios `redpkt load <name>` knows. To add one: write `src/scenarios/<name>/` with
 * `defineScenario`, give it a `stepNames(options)` for threshold validation, and an entry below.
 */
export type ScenarioOptions = C2cOptions;

export interface ScenarioDeps {
  users: UserPool;
  money: MoneyCheck;
  options: ScenarioOptions;
  /** Where the load goes, and its secret when known (b2c signs its campaign set-up with it). */
  target: { url: string; secret: string | undefined };
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

export const SCENARIOS: Readonly<Record<string, ScenarioEntry>> = {
  c2c: {
    description:
      'create -> pay at the cashier -> wait active -> M concurrent claimers -> claim list (-> refund with --expire)',
    stepNames: (o) => [...c2cStepNames(o), FLOW_STEP],
    build: (deps) => runnable(c2cScenario(deps)),
  },
  b2c: {
    description: 'rain draw -> my subsidies -> send with subsidy -> M concurrent claimers -> claim list',
    stepNames: () => [...B2C_STEPS, FLOW_STEP],
    build: (deps) => {
      const campaign = `load-${deps.options.runId}`;
      return runnable(
        b2cScenario({
          ...deps,
          campaign,
          prepare: () => prepareCampaign(deps.target, campaign, deps.options.shares),
        }),
      );
    },
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
