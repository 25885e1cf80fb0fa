import { describe, expect, test } from 'vitest';
import type { PolicyCheck } from '../../../../src-shared/contract/consent';
import { checkConsentPolicy, groupOwnerConsentOf, microsoftSettingsOf, oktaAppsOf, userConsentOf } from '../../../../src-main/consent/consent-baseline';
import type { ConsentPolicyReading } from '../../../../src-main/consent/consent-port';

type MicrosoftReading = Extract<ConsentPolicyReading, { provider: 'microsoft' }>;
type GoogleReading = Extract<ConsentPolicyReading, { provider: 'google' }>;

const legacy = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const lowRisk = 'ManagePermissionGrantsForSelf.microsoft-user-default-low';
const teamRsc = 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team';
const goodWorkflow = { isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 30, reviewers: [{ query: '/users/1', displayName: 'Ada' }] };

function microsoft(overrides: Partial<MicrosoftReading> = {}): MicrosoftReading {
  return { provider: 'microsoft', permissionGrantPoliciesAssigned: [], allowedToCreateApps: false, workflow: goodWorkflow, workflowProblem: null, ...overrides };
}

function google(controls: Partial<GoogleReading['controls']> = {}): GoogleReading {
  return { provider: 'google', controls: { unconfiguredThirdPartyApps: 'BLOCK_ALL_SCOPES', trustInternalApps: false, services: [{ service: 'Gmail', restricted: true }, { service: 'Drive', restricted: true }], ...controls } };
}

const check = (checks: PolicyCheck[], id: string) => checks.find((entry) => entry.id === id)!;

describe('who may consent, read from the permission grant policies', () => {
  test.each([
    [[], 'none'],
    [[teamRsc], 'none'],
    [[lowRisk, teamRsc], 'low_risk'],
    [[lowRisk, legacy], 'legacy'],
    [['ManagePermissionGrantsForSelf.contoso-custom'], 'custom'],
  ] as const)('%j is %s', (assigned, expected) => {
    expect(userConsentOf(assigned)).toBe(expected);
  });

  test('any owned-resource policy lets group and team owners consent', () => {
    expect(groupOwnerConsentOf([lowRisk])).toBe(false);
    expect(groupOwnerConsentOf([teamRsc.toLowerCase()])).toBe(true);
  });
});

describe('Microsoft consent checks', () => {
  test('a tenant that meets every control passes each with its control and CIS ids, and offers no fix', () => {
    const checks = checkConsentPolicy(microsoft());
    expect(checks.map((entry) => [entry.controlId, entry.cis, entry.result])).toEqual([
      ['MS.AAD.5.1v1', 'CIS M365 5.1.2.2', 'pass'],
      ['MS.AAD.5.2v1', 'CIS M365 5.1.5.1', 'pass'],
      ['MS.AAD.5.4v1', 'CIS M365 5.1.5.3', 'pass'],
      ['MS.AAD.5.3v1', 'CIS M365 5.1.5.2', 'pass'],
    ]);
    expect(checks.every((entry) => entry.fix === null)).toBe(true);
  });

  test('users who may register apps fail MS.AAD.5.1v1 with the change that fixes it', () => {
    const registration = check(checkConsentPolicy(microsoft({ allowedToCreateApps: true })), 'microsoft.app_registration');
    expect(registration).toMatchObject({ result: 'fail', value: 'Every user may register applications', fix: { kind: 'change', change: 'app_registration' } });
  });

  test('legacy user consent fails, low-risk passes with the note that none is stricter, a custom policy needs a look', () => {
    expect(check(checkConsentPolicy(microsoft({ permissionGrantPoliciesAssigned: [legacy] })), 'microsoft.user_consent')).toMatchObject({ result: 'fail', fix: { kind: 'change', change: 'user_consent' } });
    const low = check(checkConsentPolicy(microsoft({ permissionGrantPoliciesAssigned: [lowRisk] })), 'microsoft.user_consent');
    expect(low.result).toBe('pass');
    expect(low.reason).toContain('stricter');
    const custom = check(checkConsentPolicy(microsoft({ permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.contoso-custom'] })), 'microsoft.user_consent');
    expect(custom.result).toBe('manual');
    expect(custom.reason).toContain('ManagePermissionGrantsForSelf.contoso-custom');
  });

  test('group owner consent fails the Shall control ScubaGear gives it', () => {
    expect(check(checkConsentPolicy(microsoft({ permissionGrantPoliciesAssigned: [teamRsc] })), 'microsoft.group_owner_consent')).toMatchObject({ result: 'fail', criticality: 'shall', fix: { change: 'group_owner_consent' } });
  });

  test('the admin consent workflow: off or without reviewers fails, unnotified reviewers warn', () => {
    const workflow = (changes: Partial<typeof goodWorkflow>) => check(checkConsentPolicy(microsoft({ workflow: { ...goodWorkflow, ...changes } })), 'microsoft.admin_consent_workflow');
    expect(workflow({ isEnabled: false })).toMatchObject({ result: 'fail', criticality: 'shall', value: 'Off', fix: { change: 'admin_consent_workflow' } });
    expect(workflow({ reviewers: [] }).result).toBe('fail');
    expect(workflow({ notifyReviewers: false }).result).toBe('warn');
  });

  test('a workflow that could not be read is an error naming the permission, never a pass', () => {
    const unread = check(checkConsentPolicy(microsoft({ workflow: null, workflowProblem: { code: 'permission_denied', message: 'Microsoft Graph refused to read the admin consent request policy.' } })), 'microsoft.admin_consent_workflow');
    expect(unread).toMatchObject({ result: 'error', fix: null });
    expect(unread.reason).toContain('Policy.Read.All');
  });

  test('the settings for the change dialog are derived from the reading', () => {
    expect(microsoftSettingsOf(microsoft({ permissionGrantPoliciesAssigned: [legacy, teamRsc], allowedToCreateApps: true }))).toMatchObject({ userConsent: 'legacy', groupOwnerConsent: true, allowedToCreateApps: true });
  });
});

describe('Google API controls checks (ScubaGoggles GWS.COMMONCONTROLS.10.x)', () => {
  test('restricted services, no trusted internal apps and blocked unconfigured apps pass; the low-risk box is a manual check', () => {
    const checks = checkConsentPolicy(google());
    expect(checks.map((entry) => [entry.controlId, entry.cis, entry.result])).toEqual([
      ['GWS.COMMONCONTROLS.10.1v1', 'CIS GWS 4.2.1.1', 'pass'],
      ['GWS.COMMONCONTROLS.10.2v1', 'CIS GWS 4.2.1.2', 'manual'],
      ['GWS.COMMONCONTROLS.10.3v1', 'CIS GWS 4.2.1.3', 'pass'],
      ['GWS.COMMONCONTROLS.10.4v1', 'CIS GWS 4.2.1.4', 'pass'],
    ]);
  });

  test('every failing Google check links to API controls and says Google has no API to change it', () => {
    const checks = checkConsentPolicy(google({ unconfiguredThirdPartyApps: 'UNSPECIFIED_UBER_BLOCK', trustInternalApps: true, services: [{ service: 'Gmail', restricted: false }] }));
    const failing = checks.filter((entry) => entry.result === 'fail');
    expect(failing.map((entry) => entry.id)).toEqual(['google.services_restricted', 'google.internal_apps', 'google.unconfigured_apps']);
    for (const entry of failing) expect(entry.fix).toEqual({ kind: 'console', where: expect.stringContaining('no API'), url: 'https://admin.google.com/ac/owl' });
    expect(check(checks, 'google.services_restricted').value).toBe('Unrestricted: Gmail');
  });

  test('no service restriction read fails 10.1; settings no policy sets are manual, not passed', () => {
    const checks = checkConsentPolicy(google({ services: [], trustInternalApps: null, unconfiguredThirdPartyApps: null }));
    expect(check(checks, 'google.services_restricted').result).toBe('fail');
    expect(check(checks, 'google.internal_apps').result).toBe('manual');
    expect(check(checks, 'google.unconfigured_apps').result).toBe('manual');
  });
});

describe('Okta high-risk grants', () => {
  const okta = (scopes: string[]): Extract<ConsentPolicyReading, { provider: 'okta' }> => ({
    provider: 'okta',
    apps: [{ appId: 'a1', label: 'Provisioner', grants: scopes.map((scopeId, n) => ({ id: `g${n}`, scopeId, status: 'ACTIVE', source: 'ADMIN', issuer: 'https://acme.okta.com', created: null })) }],
  });

  test('an app holding an okta.*.manage scope warns and names the app and scope, with the org’s console', () => {
    const [grants] = checkConsentPolicy(okta(['okta.users.read', 'okta.users.manage']), { oktaConsoleUrl: 'https://acme-admin.okta.com/admin/apps/active' });
    expect(grants).toMatchObject({ result: 'warn', value: 'Provisioner (okta.users.manage)', fix: { kind: 'console', url: 'https://acme-admin.okta.com/admin/apps/active' } });
  });

  test('read scopes only pass', () => {
    expect(checkConsentPolicy(okta(['okta.users.read']))[0]!.result).toBe('pass');
  });

  test('each grant is rated', () => {
    const [app] = oktaAppsOf(okta(['okta.users.manage']));
    expect(app!.grants[0]).toMatchObject({ scopeId: 'okta.users.manage', level: expect.stringMatching(/high|critical/) });
  });
});
