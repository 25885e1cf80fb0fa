import { createHash, randomUUID } from 'node:crypto';
import { buildSampleTenant, type SampleApp, type SampleAppRoleAssignment, type SamplePublishedApp, type SampleTenant, type SampleTenantOptions } from '../sample-tenant';

/**
 * The live state of a simulated tenant: the seeded tenant, changed by the calls the simulator
 * answers (a revoked token is gone, a suspended user stays suspended) for the simulator's life.
 */
export interface SimulatedTenant extends SampleTenant {
  /** Google users signed out everywhere (users.signOut), by Google id. */
  signedOutGoogleUsers: Set<string>;
  /** Entra users whose sign-in sessions were revoked, by object id. */
  revokedSessionGraphUsers: Set<string>;
  /** Graph's signInSessionsValidFromDateTime of each user whose sessions were revoked, by object id (whole seconds). */
  signInSessionsValidFrom: Map<string, string>;
  /**
   * Entra's accountEnabled of each user, by object id. Google's suspension and Entra's are separate
   * accounts' settings: both start as sampled (`suspended`), and a change on one side leaves the
   * other alone.
   */
  entraAccountEnabled: Map<string, boolean>;
  /** Entra sign-in names (userPrincipalName) that differ from the user's mail, by object id; absent: the primary address. */
  entraUserPrincipalNames: Map<string, string>;
  /** Google users enrolled in 2-Step Verification, who hold backup codes until invalidated (see twoStepEnrolledAtStart), by Google id. */
  twoStepEnrolledGoogleUsers: Set<string>;
  /** Google users whose backup verification codes were invalidated, by Google id. */
  invalidatedBackupCodeGoogleUsers: Set<string>;
  /** Google data transfers requested through the Data Transfer API. */
  dataTransfers: SimulatedDataTransfer[];
  /** API keys deleted (soft, for 30 days): uid → deleteTime. */
  deletedApiKeys: Map<string, string>;
  /** Service principals added for published multi-tenant apps (POST /servicePrincipals, admin consent). */
  addedServicePrincipals: AddedServicePrincipal[];
  /** Sign-in settings of each app's service principal, by object id (absent: enabled, no assignment required). */
  servicePrincipalSettings: Map<string, ServicePrincipalSettings>;
}

export interface AddedServicePrincipal {
  id: string;
  app: SamplePublishedApp;
  createdDateTime: string;
}

export interface ServicePrincipalSettings {
  accountEnabled: boolean;
  appRoleAssignmentRequired: boolean;
}

/** An app's service principal in the tenant: one of the seeded apps, or one added since. */
export interface TenantServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  app: SampleApp | SamplePublishedApp;
}

export function appServicePrincipals(tenant: SimulatedTenant): TenantServicePrincipal[] {
  return [
    ...tenant.apps.map((app) => ({ id: app.servicePrincipalId, appId: app.appId, displayName: app.name, app })),
    ...tenant.addedServicePrincipals.map((added) => ({ id: added.id, appId: added.app.appId, displayName: added.app.name, app: added.app })),
  ];
}

export function servicePrincipalSettings(tenant: SimulatedTenant, servicePrincipalId: string): ServicePrincipalSettings {
  return tenant.servicePrincipalSettings.get(servicePrincipalId) ?? { accountEnabled: true, appRoleAssignmentRequired: false };
}

/**
 * Adds the service principal of a multi-tenant app published elsewhere, as Graph does on
 * `POST /servicePrincipals` and admin consent does on first use.
 */
export function addServicePrincipal(tenant: SimulatedTenant, appId: string, now: Date): { added: TenantServicePrincipal } | { problem: 'exists' | 'unknown' } {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (appServicePrincipals(tenant).some((sp) => same(sp.appId, appId))) return { problem: 'exists' };
  const app = tenant.publishedApps.find((candidate) => same(candidate.appId, appId));
  if (!app) return { problem: 'unknown' };
  const added: AddedServicePrincipal = { id: randomUUID(), app, createdDateTime: now.toISOString() };
  tenant.addedServicePrincipals.push(added);
  return { added: { id: added.id, appId: app.appId, displayName: app.name, app } };
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

/**
 * Who uses 2-Step Verification (and so holds backup codes) at first: the admins, the departed
 * users (offboarding has their codes to invalidate) and about one user in ten otherwise, told by
 * the id's last digit so no random draw of the seeded tenant moves.
 */
function twoStepEnrolledAtStart(tenant: SampleTenant): Set<string> {
  return new Set(tenant.users.filter((user) => user.isAdmin || user.departed || user.googleId.endsWith('7')).map((user) => user.googleId));
}

/**
 * Each departed user is assigned to the first app they consented to (its default access role, as
 * the sample's apps publish no roles), so offboarding has app role assignments to remove. Ids come
 * from a hash of the user and the app: no random draw of the seeded tenant moves.
 */
function departedUserAssignments(tenant: SampleTenant): SampleAppRoleAssignment[] {
  return tenant.users
    .filter((user) => user.departed)
    .flatMap((user) => {
      const clientId = tenant.permissionGrants.find((grant) => grant.principalId === user.graphId)?.clientId;
      const app = tenant.apps.find((candidate) => candidate.servicePrincipalId === clientId);
      if (!app) return [];
      return [
        {
          id: createHash('sha256').update(`assignment:${user.graphId}:${app.appId}`).digest().toString('base64url').slice(0, 43),
          principalId: user.graphId,
          principalDisplayName: `${user.givenName} ${user.familyName}`,
          resourceId: app.servicePrincipalId,
          resourceDisplayName: app.name,
          appRoleId: '00000000-0000-0000-0000-000000000000',
          permission: '',
          createdDateTime: user.creationTime,
        },
      ];
    });
}

export function simulatedTenant(options: SampleTenantOptions): SimulatedTenant {
  const tenant = buildSampleTenant(options);
  return {
    ...tenant,
    appRoleAssignments: [...tenant.appRoleAssignments, ...departedUserAssignments(tenant)],
    signedOutGoogleUsers: new Set(),
    revokedSessionGraphUsers: new Set(),
    signInSessionsValidFrom: new Map(),
    entraAccountEnabled: new Map(tenant.users.map((user) => [user.graphId, !user.suspended])),
    entraUserPrincipalNames: new Map(),
    twoStepEnrolledGoogleUsers: twoStepEnrolledAtStart(tenant),
    invalidatedBackupCodeGoogleUsers: new Set(),
    dataTransfers: [],
    deletedApiKeys: new Map(),
    addedServicePrincipals: [],
    servicePrincipalSettings: new Map(),
  };
}
