import { RedpktError } from '../../domain/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { SubsidyPorts } from './subsidy-ports.js';

export type SubsidyDeps = ServiceDeps & { subsidy: SubsidyPorts };

/** The deps with their subsidy ports, or NOT_IMPLEMENTED where B2C is not served. */
export function subsidyDeps(deps: ServiceDeps): SubsidyDeps {
  const { subsidy } = deps;
  if (!subsidy) throw new RedpktError('NOT_IMPLEMENTED', 'B2C subsidies are not configured in this process');
  return { ...deps, subsidy };
}
