/**
 * The consent side of the simulated Microsoft Graph, called through the official Graph client after
 * a real msal-node sign-in: the authorization and admin-consent-request policies, users' requests
 * for admin consent and their approvals, service principals made and changed, and Entra's
 * admin-consent prompt in the browser.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { type Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { microsoftGraphAppId, sampleApps } from '../../../src-main/sample/sample-apps';
import { createApiListener } from '../../../src-main/sample/simulator/api-router';
import { graphErrors, graphRoutes } from '../../../src-main/sample/simulator/graph-api';
import { adminConsentPrompt, startAuthorizationServer, type AuthorizationServer } from '../../../src-main/sample/simulator/simulated-authorization-server';
import { simulatedTenant, type SimulatedTenant } from '../../../src-main/sample/simulator/simulated-tenant';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedGraphClient } from '../../support/simulated-entra-sign-in';

const requestsPath = '/identityGovernance/appConsent/appConsentRequests';
const inProgress = "userConsentRequests/any(u:u/status eq 'InProgress')";

let simulator: TenantSimulator;
/** Signed in for the audit only: reads policies, service principals and grants. */
let auditor: Client;
/** Signed in with the consent capability too. */
let consenter: Client;

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 5, users: 120, referenceTime: new Date('2026-11-21T09:00:00Z') });
  setDefaultCACertificates([...getCACertificates('default'), simulator.microsoft.certificate]);
  auditor = await simulatedGraphClient(simulator, []);
  consenter = await simulatedGraphClient(simulator, ['consent']);
});

afterAll(() => simulator?.close());

async function graphFailure(call: Promise<unknown>): Promise<GraphError> {
  const caught = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (caught instanceof GraphError) return caught;
  throw new Error(`Expected a GraphError, got ${String(caught)}`);
}

async function everyPage<T>(client: Client, first: PageCollection): Promise<T[]> {
  const items: T[] = [];
  await new PageIterator(client, first, (item: T) => {
    items.push(item);
    return true;
  }).iterate();
  return items;
}

interface AppConsentRequest {
  id: string;
  appId: string;
  appDisplayName: string;
  pendingScopes: { displayName: string }[];
}
interface Stage {
  id: string;
  status: string;
  reviewResult: string;
  justification: string | null;
  reviewedBy: { id: string; displayName: string; userPrincipalName: string } | null;
  reviewedDateTime: string | null;
}
interface UserConsentRequest {
  id: string;
  status: string;
  reason: string;
  approvalId: string;
  createdDateTime: string;
  completedDateTime: string | null;
  createdBy: { user: { id: string; displayName: string; userPrincipalName: string } };
  approval?: { id: string; stages?: Stage[] };
}

const requestFor = async (name: string) => {
  const page = (await consenter.api(requestsPath).filter(`appDisplayName eq '${name}'`).get()) as { value: AppConsentRequest[] };
  return page.value[0]!;
};
const userRequestsOf = async (request: AppConsentRequest) =>
  ((await consenter.api(`${requestsPath}/${request.id}/userConsentRequests`).expand('approval($expand=stages)').get()) as { value: UserConsentRequest[] }).value;

describe('authorization policy', () => {
  test('starts with legacy user consent, group-owner consent and app registration allowed', async () => {
    const policy = (await auditor.api('/policies/authorizationPolicy').get()) as { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[]; allowedToCreateApps: boolean } };
    expect(policy.defaultUserRolePermissions.permissionGrantPoliciesAssigned).toEqual([
      'ManagePermissionGrantsForSelf.microsoft-user-default-legacy',
      'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team',
    ]);
    expect(policy.defaultUserRolePermissions.allowedToCreateApps).toBe(true);
  });

  test('an audit sign-in may read it but not change it: 403 Authorization_RequestDenied', async () => {
    const error = await graphFailure(auditor.api('/policies/authorizationPolicy').patch({ defaultUserRolePermissions: { allowedToCreateApps: false } }));
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Authorization_RequestDenied');
    expect(simulator.tenant.allowedToCreateApps).toBe(true);
  });

  test('refuses a permission grant policy that does not exist, and keeps the old ones', async () => {
    const error = await graphFailure(consenter.api('/policies/authorizationPolicy').patch({ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.anything-goes'] } }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toContain('ManagePermissionGrantsForSelf.anything-goes');
    expect(simulator.tenant.userConsentPolicies).toContain('ManagePermissionGrantsForSelf.microsoft-user-default-legacy');
  });

  test('a partial update changes only what it names', async () => {
    await consenter.api('/policies/authorizationPolicy').patch({ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'] } });
    let policy = (await auditor.api('/policies/authorizationPolicy').get()) as { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: string[]; allowedToCreateApps: boolean } };
    expect(policy.defaultUserRolePermissions).toMatchObject({ permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'], allowedToCreateApps: true });
    await consenter.api('/policies/authorizationPolicy').patch({ defaultUserRolePermissions: { allowedToCreateApps: false } });
    policy = (await auditor.api('/policies/authorizationPolicy').get()) as typeof policy;
    expect(policy.defaultUserRolePermissions).toMatchObject({ permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'], allowedToCreateApps: false });
  });
});

describe('admin consent request policy', () => {
  const valid = () => ({ isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 14, reviewers: [{ query: `/users/${simulator.tenant.users[1]!.graphId}`, queryType: 'MicrosoftGraph', queryRoot: null }] });

  test('starts off, with no reviewers', async () => {
    const policy = await auditor.api('/policies/adminConsentRequestPolicy').get();
    expect(policy).toMatchObject({ isEnabled: false, reviewers: [], version: 0 });
  });

  test('an audit sign-in may not replace it', async () => {
    const error = await graphFailure(auditor.api('/policies/adminConsentRequestPolicy').put(valid()));
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Authorization_RequestDenied');
  });

  test.each([
    ['no reviewers while enabled', { reviewers: [] }],
    ['a reviewer who does not exist', { reviewers: [{ query: '/users/00000000-0000-0000-0000-000000000001', queryType: 'MicrosoftGraph', queryRoot: null }] }],
    ['a request duration above 30 days', { requestDurationInDays: 31 }],
    ['a request duration of 0 days', { requestDurationInDays: 0 }],
    ['a required property left out', { notifyReviewers: undefined }],
  ])('refuses %s with a 400 and keeps the policy', async (_name, change) => {
    const error = await graphFailure(consenter.api('/policies/adminConsentRequestPolicy').put({ ...valid(), ...change }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(simulator.tenant.adminConsentRequestPolicy).toMatchObject({ isEnabled: false, version: 0 });
  });

  test('turns the workflow on with a reviewer, and the version moves on', async () => {
    await consenter.api('/policies/adminConsentRequestPolicy').put(valid());
    const policy = await auditor.api('/policies/adminConsentRequestPolicy').get();
    expect(policy).toMatchObject({ isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 14, version: 1, reviewers: valid().reviewers });
  });
});

describe('admin consent requests', () => {
  test('an audit sign-in may not read them: 403', async () => {
    const error = await graphFailure(auditor.api(requestsPath).get());
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Authorization_RequestDenied');
  });

  test('lists every pending request page by page, Board Notes with exactly its four scopes', async () => {
    const first = (await consenter.api(requestsPath).filter(inProgress).top(1).get()) as PageCollection;
    expect(first['@odata.nextLink']).toBeDefined();
    const requests = await everyPage<AppConsentRequest>(consenter, first);
    expect(requests.map((request) => request.appDisplayName).sort()).toEqual(['Board Notes', 'Grammar Helper', 'Survey Hub']);
    const boardNotes = requests.find((request) => request.appDisplayName === 'Board Notes')!;
    expect(boardNotes.pendingScopes.map((scope) => scope.displayName)).toEqual(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']);
    expect(boardNotes.appId).toBe(simulator.tenant.publishedApps.find((app) => app.name === 'Board Notes')!.appId);
    const single = (await consenter.api(`${requestsPath}/${boardNotes.id}`).get()) as AppConsentRequest;
    expect(single).toMatchObject({ id: boardNotes.id, appId: boardNotes.appId, appDisplayName: 'Board Notes' });
  });

  test('names who asked and why, with the approval and its stage', async () => {
    const users = await userRequestsOf(await requestFor('Board Notes'));
    expect(users).toHaveLength(2);
    for (const user of users) {
      const person = simulator.tenant.users.find((candidate) => candidate.graphId === user.createdBy.user.id)!;
      expect(user.createdBy.user).toMatchObject({ displayName: `${person.givenName} ${person.familyName}`, userPrincipalName: person.primaryEmail });
      expect(user).toMatchObject({ status: 'InProgress', approvalId: user.id, completedDateTime: null });
      expect(user.reason.length).toBeGreaterThan(0);
      expect(user.approval!.stages).toEqual([expect.objectContaining({ status: 'InProgress', reviewResult: 'NotReviewed', reviewedBy: null })]);
    }
    const stages = (await consenter.api(`${requestsPath}/${(await requestFor('Board Notes')).id}/userConsentRequests/${users[0]!.id}/approval/stages`).get()) as { value: Stage[] };
    expect(stages.value.map((stage) => stage.id)).toEqual(users[0]!.approval!.stages!.map((stage) => stage.id));
  });

  test('an audit sign-in may not decide one: 403, and the stage stays open', async () => {
    const request = await requestFor('Survey Hub');
    const [user] = await userRequestsOf(request);
    const stage = user!.approval!.stages![0]!;
    const error = await graphFailure(auditor.api(`${requestsPath}/${request.id}/userConsentRequests/${user!.id}/approval/stages/${stage.id}`).patch({ reviewResult: 'Deny', justification: 'No.' }));
    expect(error.statusCode).toBe(403);
    expect((await userRequestsOf(request))[0]!.approval!.stages![0]!.status).toBe('InProgress');
  });

  test('refuses a review result Graph does not know', async () => {
    const request = await requestFor('Survey Hub');
    const [user] = await userRequestsOf(request);
    const error = await graphFailure(consenter.api(`${requestsPath}/${request.id}/userConsentRequests/${user!.id}/approval/stages/${user!.approval!.stages![0]!.id}`).patch({ reviewResult: 'Maybe' }));
    expect(error.statusCode).toBe(400);
  });

  test('records a decision with who made it, answers 409 when the stage is already decided, and a decided app leaves the queue', async () => {
    const request = await requestFor('Board Notes');
    const users = await userRequestsOf(request);
    const stagePath = (user: UserConsentRequest) => `${requestsPath}/${request.id}/userConsentRequests/${user.id}/approval/stages/${user.approval!.stages![0]!.id}`;
    await consenter.api(stagePath(users[0]!)).patch({ reviewResult: 'Approve', justification: 'Kept User.Read and Calendars.Read.' });

    const admin = simulator.tenant.users[0]!;
    const decided = (await consenter.api(stagePath(users[0]!)).get()) as Stage;
    expect(decided).toMatchObject({ status: 'Completed', reviewResult: 'Approve', justification: 'Kept User.Read and Calendars.Read.', reviewedBy: { id: admin.graphId, userPrincipalName: admin.primaryEmail } });
    expect(decided.reviewedDateTime).not.toBeNull();
    const again = await graphFailure(consenter.api(stagePath(users[0]!)).patch({ reviewResult: 'Deny', justification: 'Changed my mind.' }));
    expect(again.statusCode).toBe(409);
    expect(((await consenter.api(stagePath(users[0]!)).get()) as Stage).reviewResult).toBe('Approve');

    let pending = ((await consenter.api(requestsPath).filter(inProgress).get()) as { value: AppConsentRequest[] }).value;
    expect(pending.map((candidate) => candidate.appDisplayName)).toContain('Board Notes');
    await consenter.api(stagePath(users[1]!)).patch({ reviewResult: 'Approve', justification: 'Same request.' });
    const after = await userRequestsOf(request);
    expect(after.every((user) => user.status === 'Completed' && user.completedDateTime !== null)).toBe(true);
    pending = ((await consenter.api(requestsPath).filter(inProgress).get()) as { value: AppConsentRequest[] }).value;
    expect(pending.map((candidate) => candidate.appDisplayName).sort()).toEqual(['Grammar Helper', 'Survey Hub']);
  });
});

describe('service principals', () => {
  const boardNotes = () => simulator.tenant.publishedApps.find((app) => app.name === 'Board Notes')!;

  test('an audit sign-in may not add one: 403', async () => {
    const error = await graphFailure(auditor.api('/servicePrincipals').post({ appId: boardNotes().appId }));
    expect(error.statusCode).toBe(403);
  });

  test("adds a published app's service principal once; a second time is a conflict, an unknown appId a 400", async () => {
    const created = (await consenter.api('/servicePrincipals').post({ appId: boardNotes().appId })) as { id: string; appId: string; displayName: string; accountEnabled: boolean; verifiedPublisher: { displayName: string | null } };
    expect(created).toMatchObject({ appId: boardNotes().appId, displayName: 'Board Notes', accountEnabled: true, verifiedPublisher: { displayName: 'Notable Software' } });
    const listed = (await auditor.api('/servicePrincipals').filter(`appId eq '${boardNotes().appId}'`).get()) as { value: { id: string }[] };
    expect(listed.value.map((sp) => sp.id)).toEqual([created.id]);

    const conflict = await graphFailure(consenter.api('/servicePrincipals').post({ appId: boardNotes().appId }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.code).toBe('Request_MultipleObjectsWithSameKeyValue');
    const unknown = await graphFailure(consenter.api('/servicePrincipals').post({ appId: '11111111-2222-3333-4444-555555555555' }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.message).toBe("The appId '11111111-2222-3333-4444-555555555555' of the service principal does not reference a valid application object.");
  });

  test('approving Board Notes with two of its four scopes leaves exactly those two granted tenant-wide', async () => {
    const sp = ((await auditor.api('/servicePrincipals').filter(`appId eq '${boardNotes().appId}'`).get()) as { value: { id: string }[] }).value[0]!;
    const graphSp = ((await auditor.api(`/servicePrincipals(appId='${microsoftGraphAppId}')`).get()) as { id: string }).id;
    await consenter.api('/oauth2PermissionGrants').post({ clientId: sp.id, consentType: 'AllPrincipals', resourceId: graphSp, scope: 'User.Read Calendars.Read' });
    const grants = (await auditor.api('/oauth2PermissionGrants').filter(`clientId eq '${sp.id}' and consentType eq 'AllPrincipals'`).get()) as { value: { scope: string }[] };
    expect(grants.value.map((grant) => grant.scope)).toEqual(['User.Read Calendars.Read']);
  });

  test('blocks an app from signing in and requires assignment, by id and by appId, and filters on both', async () => {
    const grammar = simulator.tenant.apps.find((app) => app.key === 'grammar')!;
    const audit = await graphFailure(auditor.api(`/servicePrincipals/${grammar.servicePrincipalId}`).patch({ accountEnabled: false }));
    expect(audit.statusCode).toBe(403);
    await consenter.api(`/servicePrincipals/${grammar.servicePrincipalId}`).patch({ accountEnabled: false });
    await consenter.api(`/servicePrincipals(appId='${grammar.appId}')`).patch({ appRoleAssignmentRequired: true });
    const sp = await auditor.api(`/servicePrincipals/${grammar.servicePrincipalId}`).get();
    expect(sp).toMatchObject({ accountEnabled: false, appRoleAssignmentRequired: true });
    const disabled = (await auditor.api('/servicePrincipals').filter('accountEnabled eq false').get()) as { value: { id: string }[] };
    expect(disabled.value.map((candidate) => candidate.id)).toEqual([grammar.servicePrincipalId]);
    const assigned = (await auditor.api('/servicePrincipals').filter('appRoleAssignmentRequired eq true').get()) as { value: { id: string }[] };
    expect(assigned.value.map((candidate) => candidate.id)).toEqual([grammar.servicePrincipalId]);
    const refused = await graphFailure(consenter.api(`/servicePrincipals/${grammar.servicePrincipalId}`).patch({ displayName: 'Renamed' }));
    expect(refused.statusCode).toBe(400);
  });

  test("Microsoft Graph publishes every delegated scope the sample's apps and requests use, and keeps its app roles", async () => {
    const graphSp = (await auditor.api(`/servicePrincipals(appId='${microsoftGraphAppId}')`).get()) as { appRoles: { value: string }[]; oauth2PermissionScopes: { id: string; value: string; type: string; isEnabled: boolean; adminConsentDisplayName: string }[] };
    const published = new Map(graphSp.oauth2PermissionScopes.map((scope) => [scope.value, scope]));
    const used = new Set([...sampleApps.flatMap((app) => app.graphDelegated), ...simulator.tenant.publishedApps.flatMap((app) => app.graphDelegated), ...simulator.tenant.appConsentRequests.flatMap((request) => request.pendingScopes)]);
    for (const scope of used) expect(published.has(scope), scope).toBe(true);
    expect(published.get('User.Read')).toMatchObject({ id: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', type: 'User', isEnabled: true, adminConsentDisplayName: 'Sign in and read user profile' });
    expect(published.get('Directory.Read.All')?.type).toBe('Admin');
    expect(graphSp.appRoles.map((role) => role.value)).toContain('User.Read.All');
  });
});

describe("Entra's admin-consent prompt", () => {
  let tenant: SimulatedTenant;
  let server: AuthorizationServer;
  const timesheet = () => tenant.publishedApps.find((app) => app.name === 'Timesheet Pro')!;
  const spOf = (appId: string) => tenant.addedServicePrincipals.find((added) => added.app.appId === appId);

  beforeAll(async () => {
    tenant = simulatedTenant({ seed: 9, users: 30, referenceTime: new Date('2026-11-21T09:00:00Z') });
    server = await startAuthorizationServer({ clientIds: ['prompt-test'], scopes: [], account: (login) => ({ email: login, name: login }), intercept: adminConsentPrompt(tenant) });
  });
  afterAll(() => server?.close());

  const promptUrl = (parameters: Record<string, string>) => `${server.issuer}/${tenant.entraTenantId}/v2.0/adminconsent?${new URLSearchParams(parameters).toString()}`;
  const decide = (decision: 'accept' | 'cancel', parameters: Record<string, string>) =>
    fetch(`${server.issuer}/${tenant.entraTenantId}/v2.0/adminconsent`, { method: 'POST', body: new URLSearchParams({ ...parameters, decision }), redirect: 'manual' });

  test('shows the permissions asked for with Accept and Cancel, and grants nothing yet', async () => {
    const answer = await fetch(promptUrl({ client_id: timesheet().appId, scope: 'https://graph.microsoft.com/User.Read https://graph.microsoft.com/Calendars.ReadWrite', redirect_uri: 'http://127.0.0.1:9/done', state: 's1' }));
    const html = await answer.text();
    expect(answer.status).toBe(200);
    expect(html).toContain('Timesheet Pro');
    expect(html).toContain('Sign in and read user profile');
    expect(html).toContain('Have full access to user calendars');
    expect(html).toMatch(/value="accept"[^>]*>Accept/);
    expect(html).toMatch(/value="cancel"[^>]*>Cancel/);
    expect(spOf(timesheet().appId)).toBeUndefined();
  });

  test('Cancel redirects with access_denied and changes nothing', async () => {
    const before = tenant.permissionGrants.length;
    const answer = await decide('cancel', { client_id: timesheet().appId, scope: 'https://graph.microsoft.com/User.Read', redirect_uri: 'http://127.0.0.1:9/done', state: 's2' });
    const location = new URL(answer.headers.get('location')!);
    expect(answer.status).toBe(302);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: 'access_denied', state: 's2' });
    expect(tenant.permissionGrants).toHaveLength(before);
    expect(spOf(timesheet().appId)).toBeUndefined();
  });

  test('Accept adds the service principal and grants exactly the scopes asked, then redirects with admin_consent=True', async () => {
    const scope = 'https://graph.microsoft.com/User.Read https://graph.microsoft.com/Calendars.ReadWrite';
    const answer = await decide('accept', { client_id: timesheet().appId, scope, redirect_uri: 'http://127.0.0.1:9/done', state: 's3' });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:9/done');
    expect(Object.fromEntries(location.searchParams)).toEqual({ admin_consent: 'True', tenant: tenant.entraTenantId, scope, state: 's3' });
    const sp = spOf(timesheet().appId)!;
    const grants = tenant.permissionGrants.filter((grant) => grant.clientId === sp.id);
    expect(grants).toEqual([expect.objectContaining({ consentType: 'AllPrincipals', principalId: null, resourceId: tenant.graphServicePrincipalId, scope: 'User.Read Calendars.ReadWrite' })]);
    expect(tenant.appRoleAssignments.filter((assignment) => assignment.principalId === sp.id)).toEqual([]);
  });

  test('.default grants what the registration declares, app roles included, and without redirect_uri says the tab may be closed', async () => {
    const answer = await decide('accept', { client_id: timesheet().appId, scope: 'https://graph.microsoft.com/.default' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('You can close this tab');
    const sp = spOf(timesheet().appId)!;
    expect(tenant.addedServicePrincipals.filter((added) => added.app.appId === timesheet().appId)).toHaveLength(1);
    expect(tenant.permissionGrants.filter((grant) => grant.clientId === sp.id).map((grant) => grant.scope)).toEqual(['User.Read Calendars.ReadWrite']);
    expect(tenant.appRoleAssignments.filter((assignment) => assignment.principalId === sp.id).map((assignment) => assignment.permission)).toEqual(['User.Read.All']);
  });

  test('answers at the authority without a tenant segment too, and refuses a tenant it is not', async () => {
    const survey = tenant.publishedApps.find((app) => app.name === 'Survey Hub')!;
    const bare = await fetch(`${server.issuer}/v2.0/adminconsent?${new URLSearchParams({ client_id: survey.appId, scope: 'https://graph.microsoft.com/Mail.Send' }).toString()}`);
    expect(bare.status).toBe(200);
    expect(await bare.text()).toContain('Send mail as a user');
    const other = await fetch(`${server.issuer}/contoso.example/v2.0/adminconsent?${new URLSearchParams({ client_id: survey.appId, scope: 'User.Read' }).toString()}`);
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('AADSTS90002');
  });

  test('refuses a scope Microsoft Graph does not publish, and an app no tenant knows', async () => {
    const badScope = await fetch(promptUrl({ client_id: timesheet().appId, scope: 'https://graph.microsoft.com/Everything.All' }));
    expect(badScope.status).toBe(400);
    expect(await badScope.text()).toContain('AADSTS650053');
    const badApp = await fetch(promptUrl({ client_id: '11111111-2222-3333-4444-555555555555', scope: 'User.Read' }));
    expect(badApp.status).toBe(400);
    expect(await badApp.text()).toContain('AADSTS700016');
  });
});

describe('the reviewer a decision records', () => {
  let tenant: SimulatedTenant;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    tenant = simulatedTenant({ seed: 13, users: 40, referenceTime: new Date('2026-11-21T09:00:00Z') });
    const reviewer = tenant.users[1]!;
    let handler: ReturnType<typeof createApiListener> = () => undefined;
    server = createServer((request, response) => handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`;
    handler = createApiListener({
      routes: graphRoutes(tenant, { baseUrl, callerOf: async (token) => (token === 'second-admin' ? reviewer.primaryEmail.split('@')[0]! : null) }),
      errors: graphErrors,
      authenticate: async (token) => (token === 'second-admin' ? new Set(['ConsentRequest.ReadWrite.All']) : null),
      calls: [],
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('is the admin the token was issued to, signed in by login name', async () => {
    const request = tenant.appConsentRequests[0]!;
    const user = request.userConsentRequests[0]!;
    const answer = await fetch(`${baseUrl}${requestsPath}/${request.id}/userConsentRequests/${user.id}/approval/stages/${user.stages[0]!.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer second-admin', 'content-type': 'application/json' },
      body: JSON.stringify({ reviewResult: 'Deny', justification: 'Not needed.' }),
    });
    expect(answer.status).toBe(204);
    expect(user.stages[0]!.reviewedBy).toEqual({ id: tenant.users[1]!.graphId, displayName: `${tenant.users[1]!.givenName} ${tenant.users[1]!.familyName}`, userPrincipalName: tenant.users[1]!.primaryEmail });
    expect(user.stages[0]!.reviewResult).toBe('Deny');
  });
});
