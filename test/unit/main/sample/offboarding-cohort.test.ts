import { describe, expect, test } from 'vitest';
import { buildSampleTenant } from '../../../../src-main/sample/sample-tenant';
import { sampleWorkspaceSeed, sampleWorkspaceUsers } from '../../../../src-main/sample/sample-workspace';
import { simulatedTenant } from '../../../../src-main/sample/simulator/simulated-tenant';

const referenceTime = new Date('2026-11-21T09:00:00Z');

describe('the departed users of the sample workspace', () => {
  const options = { seed: sampleWorkspaceSeed, users: sampleWorkspaceUsers, referenceTime };
  const tenant = buildSampleTenant(options);
  const departed = tenant.users.filter((user) => user.departed);

  test('are at least twenty, none of them an admin or suspended', () => {
    expect(departed.length).toBeGreaterThanOrEqual(20);
    expect(departed.filter((user) => user.isAdmin || user.suspended)).toEqual([]);
  });

  test('each still hold an app password and tokens of at least two apps in Google, and backup codes', () => {
    const enrolled = simulatedTenant(options).twoStepEnrolledGoogleUsers;
    for (const user of departed) {
      expect(tenant.asps.filter((asp) => asp.userGoogleId === user.googleId).length, user.primaryEmail).toBeGreaterThanOrEqual(1);
      expect(new Set(tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).map((token) => token.clientId)).size, user.primaryEmail).toBeGreaterThanOrEqual(2);
      expect(enrolled.has(user.googleId), user.primaryEmail).toBe(true);
    }
  });

  test('hold a delegated Graph grant for each app they use with per-user consent, as their Google tokens show', () => {
    for (const user of departed) {
      const clients = new Set(tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).map((token) => token.clientId));
      const perUserApps = tenant.apps.filter((app) => clients.has(app.googleClientId) && app.graphDelegated.length > 0 && !app.tenantWideConsent);
      const grants = tenant.permissionGrants.filter((grant) => grant.principalId === user.graphId).map((grant) => grant.clientId);
      expect(grants.sort(), user.primaryEmail).toEqual(perUserApps.map((app) => app.servicePrincipalId).sort());
    }
  });

  test('keep unique app password ids and grant ids', () => {
    expect(new Set(tenant.asps.map((asp) => asp.codeId)).size).toBe(tenant.asps.length);
    expect(new Set(tenant.permissionGrants.map((grant) => grant.id)).size).toBe(tenant.permissionGrants.length);
  });
});
