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
  /** Google users enrolled in 2-Step Verification (admins, at first), by Google id. */
  twoStepEnrolledGoogleUsers: Set<string>;
  /** Google users whose backup verification codes were invalidated, by Google id. */
  invalidatedBackupCodeGoogleUsers: Set<string>;
  /** Google data transfers requested through the Data Transfer API. */
  dataTransfers: SimulatedDataTransfer[];
  /** API keys deleted (soft, for 30 days): uid → deleteTime. */
  deletedApiKeys: Map<string, string>;
}

export interface SimulatedDataTransfer {
  id: string;
  oldOwnerUserId: string;
  newOwnerUserId: string;
  applicationDataTransfers: { applicationId: string; applicationTransferParams?: { key: string; value: string[] }[] }[];
  requestTime: string;
  /** The transfer completes this long after it was requested, as real ones take a while. */
  completesAt: number;
}

export function simulatedTenant(options: SampleTenantOptions): SimulatedTenant {
  const tenant = buildSampleTenant(options);
  return {
    ...tenant,
    signedOutGoogleUsers: new Set(),
    revokedSessionGraphUsers: new Set(),
    twoStepEnrolledGoogleUsers: new Set(tenant.users.filter((user) => user.isAdmin).map((user) => user.googleId)),
    invalidatedBackupCodeGoogleUsers: new Set(),
    dataTransfers: [],
    deletedApiKeys: new Map(),
  };
}
