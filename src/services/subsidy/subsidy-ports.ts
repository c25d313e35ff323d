/** Issue 3: what the B2C use cases need beside the common ServiceDeps (ServiceDeps.subsidy). */
import type { SubsidyIssuer } from '../../domain/ports.js';

export interface SubsidyPorts {
  /** Opens users' subsidy tokens (AES-256-GCM); the issuer seals them with the same key. */
  tokenKey: Buffer;
  /** The reward issuer: its token list, and where expired B2C remainders go back. */
  issuer: SubsidyIssuer;
  /**
   * The seam of the `subsidy-issuer` degrade switch (DESIGN §7, a later issue): false answers "my
   * subsidies" from booked rows only, without asking the issuer.
   */
  issuerEnabled: () => boolean;
}
