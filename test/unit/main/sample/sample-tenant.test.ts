import { describe, expect, test } from 'vitest';
import { graphAppRoleIds, buildSampleTenant } from '../../../../src-main/sample/sample-tenant';
import { SeededRandom } from '../../../../src-main/sample/seeded-random';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const day = 86_400_000;
const daysFromReference = (iso: string) => (Date.parse(iso) - referenceTime.getTime()) / day;

describe('seeded random', () => {
  test('repeats the same sequence for the same seed and differs for another', () => {
    const first = Array.from({ length: 5 }, ((random) => () => random.next())(new SeededRandom(7)));
    const again = Array.from({ length: 5 }, ((random) => () => random.next())(new SeededRandom(7)));
    const other = Array.from({ length: 5 }, ((random) => () => random.next())(new SeededRandom(8)));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    for (const value of first) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  test('makes GUIDs and digit strings of the right shape', () => {
    const random = new SeededRandom(1);
    expect(random.guid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(random.digits(12)).toMatch(/^[1-9]\d{11}$/);
  });
});

describe('sample tenant', () => {
  test('is the same tenant for the same seed and reference time, and another for another seed', () => {
    const first = buildSampleTenant({ seed: 7, users: 300, referenceTime });
    expect(buildSampleTenant({ seed: 7, users: 300, referenceTime })).toEqual(first);
    expect(buildSampleTenant({ seed: 8, users: 300, referenceTime }).users[0]).not.toEqual(first.users[0]);
  });

  test('has admins, suspended and departed users with unique addresses and ids', () => {
    const tenant = buildSampleTenant({ seed: 7, users: 300, referenceTime });
    expect(tenant.users).toHaveLength(300);
    expect(tenant.users.filter((user) => user.isAdmin).length).toBeGreaterThanOrEqual(2);
    expect(tenant.users.some((user) => user.suspended)).toBe(true);
    expect(tenant.users.some((user) => user.departed)).toBe(true);
    expect(tenant.users.some((user) => user.departed && user.suspended)).toBe(false);
    expect(new Set(tenant.users.map((user) => user.primaryEmail)).size).toBe(300);
    expect(new Set(tenant.users.map((user) => user.googleId)).size).toBe(300);
  });

  test('grows to benchmark size with the same shape', () => {
    const tenant = buildSampleTenant({ seed: 7, users: 10_000, referenceTime });
    expect(new Set(tenant.users.map((user) => user.primaryEmail)).size).toBe(10_000);
    expect(tenant.googleTokens.length).toBeGreaterThan(10_000);
  });

  test('mixes harmless sign-in apps with full mailbox, Drive and directory access', () => {
    const tenant = buildSampleTenant({ seed: 7, users: 300, referenceTime });
    const googleScopes = new Set(tenant.googleTokens.flatMap((token) => token.scopes));
    expect(googleScopes).toContain('https://mail.google.com/');
    expect(googleScopes).toContain('https://www.googleapis.com/auth/drive');
    expect(googleScopes).toContain('openid');
    expect(tenant.googleTokens.some((token) => token.anonymous)).toBe(true);
    const applicationPermissions = tenant.appRoleAssignments.map((assignment) => assignment.permission);
    expect(applicationPermissions).toEqual(expect.arrayContaining(['Mail.ReadWrite', 'Files.ReadWrite.All', 'Directory.ReadWrite.All']));
    for (const assignment of tenant.appRoleAssignments) expect(assignment.appRoleId).toBe(graphAppRoleIds[assignment.permission]);
    expect(tenant.apps.some((app) => !app.verified)).toBe(true);
  });

  test('has tenant-wide and per-user delegated consents', () => {
    const tenant = buildSampleTenant({ seed: 7, users: 300, referenceTime });
    expect(tenant.permissionGrants.some((grant) => grant.consentType === 'AllPrincipals' && grant.principalId === null)).toBe(true);
    expect(tenant.permissionGrants.some((grant) => grant.consentType === 'Principal' && grant.principalId !== null)).toBe(true);
  });

  test('has secrets that expired, secrets expiring within 30 days, and keys of varied ages', () => {
    const tenant = buildSampleTenant({ seed: 7, users: 300, referenceTime });
    const secretDays = tenant.appRegistrations.flatMap((registration) => registration.passwordCredentials.map((secret) => daysFromReference(secret.endDateTime)));
    expect(secretDays.some((days) => days < 0)).toBe(true);
    expect(secretDays.some((days) => days > 0 && days <= 30)).toBe(true);
    expect(secretDays.some((days) => days > 90)).toBe(true);
    const keyAges = tenant.serviceAccountKeys.filter((key) => key.keyType === 'USER_MANAGED').map((key) => -daysFromReference(key.validAfterTime));
    expect(Math.min(...keyAges)).toBeLessThan(90);
    expect(Math.max(...keyAges)).toBeGreaterThan(365);
    expect(tenant.apiKeys.some((key) => key.restrictions === null)).toBe(true);
  });

  test('lets users consent to any app and group owners consent for their teams, policies the baseline fails', () => {
    expect(buildSampleTenant({ seed: 7, users: 10, referenceTime }).userConsentPolicies).toEqual(['ManagePermissionGrantsForSelf.microsoft-user-default-legacy', 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team']);
  });
});
