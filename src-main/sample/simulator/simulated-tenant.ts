import { buildSampleTenant, type SampleTenant, type SampleTenantOptions } from '../sample-tenant';

/**
 * The live state of a simulated tenant: the seeded tenant, changed by the calls the simulator
 * answers (a revoked token is gone, a suspended user stays suspended) for the simulator's life.
 */
export interface SimulatedTenant extends SampleTenant {
  /** Google users signed out everywhere (users.signOut), by Google id. */
  signedOutGoogleUsers: Set<string>;
  /** Entra users whose sign-in sessions were revoked, by object id. */
  revokedSessionGraphUsers: Set<string>;
}

export function simulatedTenant(options: SampleTenantOptions): SimulatedTenant {
  return { ...buildSampleTenant(options), signedOutGoogleUsers: new Set(), revokedSessionGraphUsers: new Set() };
}
