import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { classifyGraphFailure } from '../../../src-main/providers/microsoft/graph-failure';
import { microsoftConsent as consent } from '../../../src-main/providers/microsoft/microsoft-consent';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedEntraAccessToken } from '../../support/simulated-entra-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
/** The process's trusted certificates before the simulator's (see the grant scan test). */
const defaultCertificates = getCACertificates('default');


function callContext(simulator: TenantSimulator, token: string): ProviderCallContext {
  return { apiBaseUrl: simulator.microsoft.graphBaseUrl, settings: { issuer: simulator.microsoft.authority }, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure }) };
}

const legacy = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const sorted = (values: readonly string[]) => [...values].sort();

describe('the Microsoft consent adapter against the simulated Entra tenant', () => {
  let simulator: TenantSimulator;
  /** The audit's scopes only (Policy.Read.All, Directory.Read.All, Application.Read.All). */
  let audit: ProviderCallContext;
  /** With the consent capability allowed. */
  let admin: ProviderCallContext;
  const publishedApp = (key: string) => simulator.tenant.publishedApps.find((app) => app.key === key)!;

  beforeAll(async () => {
    simulator = await startTenantSimulator({ seed: 11, users: 40, referenceTime });
    setDefaultCACertificates([...defaultCertificates, simulator.microsoft.certificate]);
    audit = callContext(simulator, await simulatedEntraAccessToken(simulator, []));
    admin = callContext(simulator, await simulatedEntraAccessToken(simulator, ['consent']));
  });
  afterAll(() => simulator?.close());

  test('reads the seeded policy with the audit’s scopes: legacy user consent, app registration allowed, the workflow off', async () => {
    const reading = await consent.readPolicy(audit);
    expect(reading).toMatchObject({ provider: 'microsoft', allowedToCreateApps: true, workflow: { isEnabled: false, reviewers: [] }, workflowProblem: null });
    expect(reading.provider === 'microsoft' && reading.permissionGrantPoliciesAssigned).toContain(legacy);
  });

  test('a change with the audit’s token only is refused, names the permission, and changes nothing', async () => {
    const outcome = await consent.changePolicy!(audit, { kind: 'user_consent', value: 'none' });
    expect(outcome).toMatchObject({ ok: false, code: 'forbidden', errorCode: 'permission_denied', message: expect.stringContaining('Policy.ReadWrite.Authorization') });
    expect(simulator.tenant.userConsentPolicies).toContain(legacy);
  });

  test('turns user consent off and reads it back, keeping group owner consent as it was', async () => {
    const before = await consent.readPolicy(admin);
    const ownedResource = before.provider === 'microsoft' ? before.permissionGrantPoliciesAssigned.filter((policy) => policy.startsWith('ManagePermissionGrantsForOwnedResource.')) : [];
    expect(await consent.changePolicy!(admin, { kind: 'user_consent', value: 'none' })).toMatchObject({ ok: true, code: 'updated' });
    const after = await consent.readPolicy(admin);
    expect(after.provider === 'microsoft' && after.permissionGrantPoliciesAssigned).toEqual(ownedResource);
    expect(await consent.changePolicy!(admin, { kind: 'user_consent', value: 'none' })).toMatchObject({ ok: true, code: 'already_done' });
  });

  test('stops group owner consent and app registration by users, each read back', async () => {
    expect(await consent.changePolicy!(admin, { kind: 'group_owner_consent', allowed: false })).toMatchObject({ ok: true, code: 'updated' });
    expect(await consent.changePolicy!(admin, { kind: 'app_registration', allowed: false })).toMatchObject({ ok: true, code: 'updated' });
    const reading = await consent.readPolicy(admin);
    expect(reading).toMatchObject({ provider: 'microsoft', allowedToCreateApps: false });
    expect(reading.provider === 'microsoft' && reading.permissionGrantPoliciesAssigned.some((policy) => policy.startsWith('ManagePermissionGrantsForOwnedResource.'))).toBe(false);
  });

  test('turns the admin consent workflow on with a reviewer found by user principal name, and reads the reviewer’s name back', async () => {
    const reviewer = simulator.tenant.users[0]!;
    const resolved = await consent.resolveReviewers!(admin, [reviewer.primaryEmail, 'nobody@nowhere.example']);
    expect(resolved).toEqual({ found: [{ query: `/users/${reviewer.graphId}`, displayName: `${reviewer.givenName} ${reviewer.familyName}` }], notFound: ['nobody@nowhere.example'] });
    const change = { kind: 'admin_consent_workflow' as const, isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14, reviewers: resolved.found.map(({ query }) => ({ query })) };
    expect(await consent.changePolicy!(admin, change as never)).toMatchObject({ ok: true, code: 'updated' });
    const reading = await consent.readPolicy(admin);
    expect(reading.provider === 'microsoft' && reading.workflow).toEqual({ isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14, reviewers: resolved.found.map(({ query, displayName }) => ({ query, displayName })) });
  });

  test('grants Board Notes two of the four scopes it asks for: creates its service principal, grants them, reads back exactly those', async () => {
    const boardNotes = publishedApp('boardnotes');
    const requests = await consent.pendingRequests!(admin);
    const request = requests.find((candidate) => candidate.appId === boardNotes.appId)!;
    expect(sorted(request.pendingScopes)).toEqual(sorted(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']));
    expect(request.userRequests.every((userRequest) => userRequest.status === 'InProgress' && userRequest.stageIds.length === 1)).toBe(true);

    expect(await consent.appState!(admin, boardNotes.appId)).toMatchObject({ servicePrincipalId: null, tenantWideGrant: null, appRoles: [] });
    const created = await consent.createServicePrincipal!(admin, boardNotes.appId);
    expect(created).toMatchObject({ ok: true, code: 'created' });
    expect(await consent.setTenantWideScopes!(admin, created.servicePrincipalId!, ['User.Read', 'Calendars.Read'])).toMatchObject({ ok: true, code: 'created' });

    const state = await consent.appState!(admin, boardNotes.appId);
    expect(state).toMatchObject({ displayName: 'Board Notes', servicePrincipalId: created.servicePrincipalId, verifiedPublisher: true, accountEnabled: true });
    expect(sorted(state.tenantWideGrant!.scopes)).toEqual(['Calendars.Read', 'User.Read']);

    expect(await consent.decideRequest!(admin, request, 'Approve', 'Granted User.Read and Calendars.Read only.')).toMatchObject({ ok: true, code: 'updated' });
    expect((await consent.pendingRequests!(admin)).some((candidate) => candidate.appId === boardNotes.appId)).toBe(false);
    // A second reviewer acting on the same reading learns who decided.
    const again = await consent.decideRequest!(admin, request, 'Deny', 'Too late.');
    expect(again).toMatchObject({ ok: false, code: 'already_decided', message: expect.stringContaining(`${simulator.tenant.users[0]!.givenName}`) });
  });

  test('adding Board Notes again takes the service principal it has; an unknown client id is named as such', async () => {
    expect(await consent.createServicePrincipal!(admin, publishedApp('boardnotes').appId)).toMatchObject({ ok: true, code: 'already_done' });
    const unknown = await consent.createServicePrincipal!(admin, '0badc0de-0000-4000-8000-000000000000');
    expect(unknown).toMatchObject({ ok: false, code: 'unknown_app', errorCode: 'not_found', servicePrincipalId: null });
  });

  test('a grant the token may not make fails with the permission named, and what was done before it stays', async () => {
    const timesheet = publishedApp('timesheetpro');
    const refused = await consent.createServicePrincipal!(audit, timesheet.appId);
    expect(refused).toMatchObject({ ok: false, errorCode: 'permission_denied', message: expect.stringContaining('Application.ReadWrite.All') });
    const created = await consent.createServicePrincipal!(admin, timesheet.appId);
    expect(await consent.setTenantWideScopes!(admin, created.servicePrincipalId!, ['User.Read'])).toMatchObject({ ok: true });
    const grantRefused = await consent.setTenantWideScopes!(audit, created.servicePrincipalId!, ['User.Read', 'Calendars.ReadWrite']);
    expect(grantRefused).toMatchObject({ ok: false, errorCode: 'permission_denied', message: expect.stringContaining('DelegatedPermissionGrant.ReadWrite.All') });
    expect((await consent.appState!(admin, timesheet.appId)).tenantWideGrant!.scopes).toEqual(['User.Read']);
  });

  test('grants an application permission and removes it again, each read back', async () => {
    const timesheet = publishedApp('timesheetpro');
    const { servicePrincipalId } = await consent.createServicePrincipal!(admin, timesheet.appId);
    expect(await consent.assignAppRole!(admin, servicePrincipalId!, 'User.Read.All')).toMatchObject({ ok: true, code: 'created' });
    expect(await consent.assignAppRole!(admin, servicePrincipalId!, 'User.Read.All')).toMatchObject({ ok: true, code: 'already_done' });
    const held = (await consent.appState!(admin, timesheet.appId)).appRoles;
    expect(held.map((role) => role.permission)).toEqual(['User.Read.All']);
    expect(await consent.removeAppRole!(admin, servicePrincipalId!, held[0]!.assignmentId)).toMatchObject({ ok: true, code: 'deleted' });
    expect(await consent.removeAppRole!(admin, servicePrincipalId!, held[0]!.assignmentId)).toMatchObject({ ok: true, code: 'already_done' });
    expect((await consent.appState!(admin, timesheet.appId)).appRoles).toEqual([]);
  });

  test('blocks an app from signing in and reads it back', async () => {
    const { servicePrincipalId } = await consent.createServicePrincipal!(admin, publishedApp('boardnotes').appId);
    expect(await consent.setSignIn!(admin, servicePrincipalId!, { accountEnabled: false })).toMatchObject({ ok: true });
    expect(await consent.appState!(admin, publishedApp('boardnotes').appId)).toMatchObject({ accountEnabled: false, appRoleAssignmentRequired: false });
  });
});
