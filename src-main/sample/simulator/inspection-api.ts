/**
 * The simulator's inspection endpoint, for tests and benchmarks: the tenant's state as it stands
 * and the request log (calls per endpoint and per second). Loopback only; it holds sample data.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SampleSaas } from '../sample-saas';
import type { ApiCall } from './api-router';
import type { SimulatedTenant } from './simulated-tenant';

/** What offboarding changes at the SaaS providers, counted. */
function saasOffboardingState(saas: SampleSaas) {
  return {
    oktaSuspendedUsers: saas.okta.users.filter((user) => user.status === 'SUSPENDED').length,
    oktaActiveSessions: saas.okta.activeSessionUserIds.length,
    oktaUsersWithOauthTokens: saas.okta.usersWithOauthTokens.length,
    oktaGrants: saas.okta.grants.length,
    zendeskSuspendedUsers: saas.zendesk.users.filter((user) => user.suspended).length,
    zendeskOauthTokens: saas.zendesk.oauthTokens.length,
    salesforceOauthTokens: saas.salesforce.oauthTokens.length,
    salesforceFrozenUsers: saas.salesforce.users.filter((user) => user.IsFrozen).length,
  };
}

export function inspectionSummary(tenant: SimulatedTenant, calls: readonly ApiCall[], saas?: SampleSaas) {
  const byEndpoint: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const perSecond: Record<string, number> = {};
  for (const call of calls) {
    byEndpoint[call.name] = (byEndpoint[call.name] ?? 0) + 1;
    byStatus[call.status] = (byStatus[call.status] ?? 0) + 1;
    const second = new Date(Math.floor(call.at / 1_000) * 1_000).toISOString();
    perSecond[second] = (perSecond[second] ?? 0) + 1;
  }
  return {
    state: {
      users: tenant.users.length,
      suspendedUsers: tenant.users.filter((user) => user.suspended).length,
      googleTokens: tenant.googleTokens.length,
      appSpecificPasswords: tenant.asps.length,
      signedOutGoogleUsers: [...tenant.signedOutGoogleUsers],
      invalidatedBackupCodeGoogleUsers: [...tenant.invalidatedBackupCodeGoogleUsers],
      permissionGrants: tenant.permissionGrants.length,
      appRoleAssignments: tenant.appRoleAssignments.length,
      revokedSessionGraphUsers: [...tenant.revokedSessionGraphUsers],
      serviceAccountKeys: tenant.serviceAccountKeys.length,
      apiKeys: tenant.apiKeys.length - tenant.deletedApiKeys.size,
      dataTransfers: tenant.dataTransfers.length,
      permissionGrantPoliciesAssigned: [...tenant.userConsentPolicies],
      allowedToCreateApps: tenant.allowedToCreateApps,
      adminConsentWorkflowEnabled: tenant.adminConsentRequestPolicy.isEnabled,
      pendingAppConsentRequests: tenant.appConsentRequests.filter((request) => request.userConsentRequests.some((user) => user.status === 'InProgress')).length,
      addedServicePrincipals: tenant.addedServicePrincipals.map((added) => added.app.appId),
    },
    ...(saas ? { saas: saasOffboardingState(saas) } : {}),
    calls: { total: calls.length, byEndpoint, byStatus, perSecond },
  };
}

export function createInspectionListener(tenant: SimulatedTenant, calls: readonly ApiCall[], saas?: SampleSaas): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    if (request.method !== 'GET' || request.url !== '/') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Only GET / is served."}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(inspectionSummary(tenant, calls, saas)));
  };
}
