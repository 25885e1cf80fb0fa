import { describe, expect, test } from 'vitest';
import type { ConsentRequestReading } from '../../../../src-main/consent/consent-port';
import type { ProviderCallContext } from '../../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../../src-main/net/request-scheduler';
import { classifyGraphFailure, GraphRequestError } from '../../../../src-main/providers/microsoft/graph-failure';
import { microsoftConsent as consent } from '../../../../src-main/providers/microsoft/microsoft-consent';
import type { ConnectionSettings } from '../../../../src-shared/contract/connections';

/** One answer of the fake Graph, in Graph's documented shape. */
interface Answer {
  status: number;
  body?: unknown;
}
interface SentRequest {
  method: string;
  /** Path under /v1.0 with its query, decoded. */
  path: string;
  body: unknown;
}

const graphAppId = '00000003-0000-0000-c000-000000000000';
const graphSpId = 'graph-sp';
const denied: Answer = { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } };
const notFound: Answer = { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'Resource does not exist.' } } };
const noContent: Answer = { status: 204 };

/**
 * A fake Microsoft Graph: each `METHOD /path?query` answers from the table (a list is answered in
 * turn); every request is recorded. A request not in the table gets a 418, so a test sees it.
 */
function fakeGraph(table: Record<string, Answer | Answer[]>, settings: ConnectionSettings = {}) {
  const sent: SentRequest[] = [];
  const turns = new Map<string, number>();
  const context: ProviderCallContext = {
    apiBaseUrl: 'https://graph.example/v1.0',
    settings,
    accessToken: async () => 'test-token',
    scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifyGraphFailure, random: () => 0 }),
    fetch: async (input, init) => {
      const url = new URL(String(input));
      const path = decodeURIComponent(url.pathname.replace(/^\/v1\.0/, '') + url.search);
      const method = init?.method ?? 'GET';
      sent.push({ method, path, body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
      const key = `${method} ${path}`;
      const entry = table[key];
      const turn = turns.get(key) ?? 0;
      turns.set(key, turn + 1);
      const answer = Array.isArray(entry) ? entry[Math.min(turn, entry.length - 1)] : entry;
      if (!answer) return Response.json({ error: { code: 'UnexpectedRequest' } }, { status: 418 });
      return answer.body === undefined ? new Response(null, { status: answer.status }) : Response.json(answer.body, { status: answer.status });
    },
  };
  const changes = () => sent.filter((request) => request.method !== 'GET');
  return { context, sent, changes };
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const page = (value: unknown[]): Answer => ok({ value });

const authorizationPolicy = (assigned: string[], allowedToCreateApps = true): Answer =>
  ok({ id: 'authorizationPolicy', defaultUserRolePermissions: { allowedToCreateApps, allowedToCreateSecurityGroups: true, permissionGrantPoliciesAssigned: assigned } });
const legacy = 'ManagePermissionGrantsForSelf.microsoft-user-default-legacy';
const teamOwners = 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team';

describe('the Microsoft consent policy', () => {
  test('reads who may consent, who may register apps, and the workflow with its reviewers named', async () => {
    const { context } = fakeGraph({
      'GET /policies/authorizationPolicy': authorizationPolicy([legacy, teamOwners]),
      'GET /policies/adminConsentRequestPolicy': ok({
        isEnabled: true,
        notifyReviewers: true,
        remindersEnabled: false,
        requestDurationInDays: 14,
        version: 3,
        reviewers: [
          { query: '/users/u-1', queryType: 'MicrosoftGraph', queryRoot: null },
          { query: '/groups/g-1/transitiveMembers/microsoft.graph.user', queryType: 'MicrosoftGraph', queryRoot: null },
        ],
      }),
      'GET /users/u-1?$select=displayName,userPrincipalName': ok({ displayName: 'Ada Admin', userPrincipalName: 'ada@contoso.example' }),
    });
    expect(await consent.readPolicy(context)).toEqual({
      provider: 'microsoft',
      permissionGrantPoliciesAssigned: [legacy, teamOwners],
      allowedToCreateApps: true,
      workflow: {
        isEnabled: true,
        notifyReviewers: true,
        remindersEnabled: false,
        requestDurationInDays: 14,
        reviewers: [
          { query: '/users/u-1', displayName: 'Ada Admin' },
          { query: '/groups/g-1/transitiveMembers/microsoft.graph.user', displayName: null },
        ],
      },
      workflowProblem: null,
    });
  });

  test('reads the rest of the policy when the workflow is refused, and says which permission that read needs', async () => {
    const { context } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy([]), 'GET /policies/adminConsentRequestPolicy': denied });
    const reading = await consent.readPolicy(context);
    expect(reading).toMatchObject({ provider: 'microsoft', permissionGrantPoliciesAssigned: [], workflow: null, workflowProblem: { code: 'permission_denied' } });
    expect(reading.provider === 'microsoft' && reading.workflowProblem?.message).toContain('Policy.Read.All');
  });

  test('a refused policy read fails the reading with permission_denied and the way to get the permission', async () => {
    const { context } = fakeGraph({ 'GET /policies/authorizationPolicy': denied });
    const failure = await consent.readPolicy(context).catch((error: unknown) => consent.describeFailure(error));
    expect(failure).toEqual({ code: 'permission_denied', message: expect.stringContaining('Policy.Read.All'), nextStep: 'Allow the Consent capability for this connection, then sign in again when asked.' });
  });

  test('turns user consent off and keeps the group owner entries, sending nothing else', async () => {
    const { context, changes } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy([legacy, teamOwners]), 'PATCH /policies/authorizationPolicy': noContent });
    expect(await consent.changePolicy!(context, { kind: 'user_consent', value: 'none' })).toMatchObject({ ok: true, code: 'updated' });
    expect(changes()).toEqual([{ method: 'PATCH', path: '/policies/authorizationPolicy', body: { defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [teamOwners] } } }]);
  });

  test('replaces the legacy user consent policy with the low-risk one', async () => {
    const { context, changes } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy(['managePermissionGrantsForSelf.microsoft-user-default-legacy', teamOwners]), 'PATCH /policies/authorizationPolicy': noContent });
    await consent.changePolicy!(context, { kind: 'user_consent', value: 'low_risk' });
    expect(changes()[0]!.body).toEqual({ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low', teamOwners] } });
  });

  test('stops group owner consent by removing only the owned-resource entries', async () => {
    const { context, changes } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy([legacy, teamOwners]), 'PATCH /policies/authorizationPolicy': noContent });
    await consent.changePolicy!(context, { kind: 'group_owner_consent', allowed: false });
    expect(changes()[0]!.body).toEqual({ defaultUserRolePermissions: { permissionGrantPoliciesAssigned: [legacy] } });
  });

  test('stops app registration by users, sending only allowedToCreateApps', async () => {
    const { context, changes } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy([legacy], true), 'PATCH /policies/authorizationPolicy': noContent });
    await consent.changePolicy!(context, { kind: 'app_registration', allowed: false });
    expect(changes()[0]!.body).toEqual({ defaultUserRolePermissions: { allowedToCreateApps: false } });
  });

  test('says already done, and changes nothing, when the tenant has the setting', async () => {
    const { context, changes } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy([teamOwners]) });
    expect(await consent.changePolicy!(context, { kind: 'user_consent', value: 'none' })).toMatchObject({ ok: true, code: 'already_done' });
    expect(changes()).toEqual([]);
  });

  test('a refused change names Policy.ReadWrite.Authorization', async () => {
    const { context } = fakeGraph({ 'GET /policies/authorizationPolicy': authorizationPolicy([legacy]), 'PATCH /policies/authorizationPolicy': denied });
    const outcome = await consent.changePolicy!(context, { kind: 'user_consent', value: 'none' });
    expect(outcome).toMatchObject({ ok: false, code: 'forbidden', errorCode: 'permission_denied' });
    expect(outcome.message).toContain('Policy.ReadWrite.Authorization');
  });

  test('turns the admin consent workflow on with every property Graph requires and reviewers as user queries', async () => {
    const { context, changes } = fakeGraph({ 'PUT /policies/adminConsentRequestPolicy': noContent });
    const change = { kind: 'admin_consent_workflow' as const, isEnabled: true, reviewers: [], notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 30 };
    const outcome = await consent.changePolicy!(context, { ...change, reviewers: [{ query: '/users/u-1' }, { query: '/users/u-2' }] });
    expect(outcome).toMatchObject({ ok: true, code: 'updated' });
    expect(changes()).toEqual([
      {
        method: 'PUT',
        path: '/policies/adminConsentRequestPolicy',
        body: {
          isEnabled: true,
          notifyReviewers: true,
          remindersEnabled: true,
          requestDurationInDays: 30,
          reviewers: [
            { query: '/users/u-1', queryType: 'MicrosoftGraph', queryRoot: null },
            { query: '/users/u-2', queryType: 'MicrosoftGraph', queryRoot: null },
          ],
        },
      },
    ]);
  });
});

describe('the Microsoft admin consent requests', () => {
  const requests = '/identityGovernance/appConsent/appConsentRequests';

  test('lists the apps with requests in progress, who asked and why, and the stages still open', async () => {
    const { context, sent } = fakeGraph({
      [`GET ${requests}?$filter=userConsentRequests/any(u:u/status eq 'InProgress')`]: page([
        { id: 'acr-1', appId: 'app-1', appDisplayName: 'Board Notes', consentType: 'Dynamic', pendingScopes: [{ displayName: 'User.Read' }, { displayName: 'Mail.Read' }], userConsentRequests: [] },
      ]),
      [`GET ${requests}/acr-1/userConsentRequests`]: page([
        { id: 'ucr-1', status: 'InProgress', reason: 'For board minutes', createdDateTime: '2026-11-20T10:00:00Z', createdBy: { user: { id: 'u-9', displayName: 'Bo Member', userPrincipalName: 'bo@contoso.example' } } },
        { id: 'ucr-2', status: 'Completed', reason: null, createdDateTime: '2026-11-01T10:00:00Z', createdBy: { user: { id: 'u-8', displayName: 'Cy Member' } } },
      ]),
      [`GET ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages`]: page([
        { id: 'stage-1', status: 'InProgress', reviewResult: 'NotReviewed', assignedToMe: true },
        { id: 'stage-0', status: 'Completed', reviewResult: 'Deny' },
      ]),
    });
    expect(await consent.pendingRequests!(context)).toEqual([
      {
        id: 'acr-1',
        appId: 'app-1',
        appDisplayName: 'Board Notes',
        pendingScopes: ['User.Read', 'Mail.Read'],
        userRequests: [
          { id: 'ucr-1', stageIds: ['stage-1'], requestedBy: 'bo@contoso.example', reason: 'For board minutes', createdAt: '2026-11-20T10:00:00Z', status: 'InProgress' },
          { id: 'ucr-2', stageIds: [], requestedBy: 'Cy Member', reason: null, createdAt: '2026-11-01T10:00:00Z', status: 'Completed' },
        ],
      },
    ]);
    expect(sent.some((request) => request.path.includes('ucr-2/approval'))).toBe(false);
  });

  test('a refused queue read names ConsentRequest.Read.All', async () => {
    const { context } = fakeGraph({ [`GET ${requests}?$filter=userConsentRequests/any(u:u/status eq 'InProgress')`]: denied });
    await expect(consent.pendingRequests!(context)).rejects.toMatchObject({ code: 'permission_denied', message: expect.stringContaining('ConsentRequest.Read.All') });
  });

  const reading: ConsentRequestReading = {
    id: 'acr-1',
    appId: 'app-1',
    appDisplayName: 'Board Notes',
    pendingScopes: ['User.Read'],
    userRequests: [
      { id: 'ucr-1', stageIds: ['stage-1'], requestedBy: 'bo@contoso.example', reason: null, createdAt: '2026-11-20T10:00:00Z', status: 'InProgress' },
      { id: 'ucr-3', stageIds: ['stage-3'], requestedBy: 'di@contoso.example', reason: null, createdAt: '2026-11-21T10:00:00Z', status: 'InProgress' },
    ],
  };

  test('records a denial with its reason on every open stage', async () => {
    const { context, changes } = fakeGraph({
      [`PATCH ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages/stage-1`]: noContent,
      [`PATCH ${requests}/acr-1/userConsentRequests/ucr-3/approval/stages/stage-3`]: noContent,
    });
    expect(await consent.decideRequest!(context, reading, 'Deny', 'Reads all mail; not needed.')).toMatchObject({ ok: true, code: 'updated' });
    expect(changes().map((request) => request.body)).toEqual([
      { reviewResult: 'Deny', justification: 'Reads all mail; not needed.' },
      { reviewResult: 'Deny', justification: 'Reads all mail; not needed.' },
    ]);
  });

  test('says already decided, and by whom, when another reviewer closed the stages first', async () => {
    const conflict: Answer = { status: 409, body: { error: { code: 'Conflict', message: 'Already approved.' } } };
    const { context } = fakeGraph({
      [`PATCH ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages/stage-1`]: conflict,
      [`PATCH ${requests}/acr-1/userConsentRequests/ucr-3/approval/stages/stage-3`]: conflict,
      [`GET ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages/stage-1`]: ok({ id: 'stage-1', status: 'Completed', reviewResult: 'Approve', reviewedBy: { id: 'u-2', displayName: 'Eve Admin' } }),
      [`GET ${requests}/acr-1/userConsentRequests/ucr-3/approval/stages/stage-3`]: ok({ id: 'stage-3', status: 'Completed', reviewResult: 'Approve', reviewedBy: { id: 'u-2', displayName: 'Eve Admin' } }),
    });
    const outcome = await consent.decideRequest!(context, reading, 'Deny', 'No.');
    expect(outcome).toMatchObject({ ok: false, code: 'already_decided' });
    expect(outcome.message).toBe('Someone else already decided this request: Eve Admin (Approve).');
  });

  test('a refused decision names ConsentRequest.ReadWrite.All', async () => {
    const { context } = fakeGraph({ [`PATCH ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages/stage-1`]: denied });
    const outcome = await consent.decideRequest!(context, reading, 'Approve', 'Reviewed.');
    expect(outcome).toMatchObject({ ok: false, errorCode: 'permission_denied', message: expect.stringContaining('ConsentRequest.ReadWrite.All') });
  });

  test('reads every stage of a closed request with who decided what and when, and a stage nobody reviewed as unreviewed', async () => {
    const { context, changes } = fakeGraph({
      [`GET ${requests}/acr-1/userConsentRequests`]: page([
        { id: 'ucr-1', status: 'Completed', createdBy: { user: { id: 'u-9' } } },
        { id: 'ucr-2', status: 'Expired', createdBy: { user: { id: 'u-8' } } },
      ]),
      [`GET ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages`]: page([
        { id: 'stage-1', status: 'Completed', reviewResult: 'Deny', reviewedDateTime: '2026-11-22T09:00:00Z', reviewedBy: { id: 'u-1', displayName: 'Ada Admin', userPrincipalName: 'ada@contoso.example' } },
      ]),
      [`GET ${requests}/acr-1/userConsentRequests/ucr-2/approval/stages`]: page([
        { id: 'stage-2', status: 'Expired', reviewResult: 'NotReviewed', reviewedDateTime: null, reviewedBy: { id: '00000000-0000-0000-0000-000000000000', displayName: null } },
      ]),
    });
    expect(await consent.requestDecisions!(context, 'acr-1')).toEqual([
      { userRequestId: 'ucr-1', userRequestStatus: 'Completed', stageId: 'stage-1', status: 'Completed', reviewResult: 'Deny', reviewedBy: { id: 'u-1', displayName: 'Ada Admin', userPrincipalName: 'ada@contoso.example' }, reviewedAt: '2026-11-22T09:00:00Z' },
      { userRequestId: 'ucr-2', userRequestStatus: 'Expired', stageId: 'stage-2', status: 'Expired', reviewResult: 'NotReviewed', reviewedBy: null, reviewedAt: null },
    ]);
    expect(changes()).toEqual([]);
  });

  test('names a reviewer Graph gives only by id with their sign-in name, looked up, so the admin’s own decision is recognised', async () => {
    const { context } = fakeGraph({
      [`GET ${requests}/acr-1/userConsentRequests`]: page([{ id: 'ucr-1', status: 'Completed', createdBy: { user: { id: 'u-9' } } }]),
      [`GET ${requests}/acr-1/userConsentRequests/ucr-1/approval/stages`]: page([{ id: 'stage-1', status: 'Completed', reviewResult: 'Approve', reviewedDateTime: '2026-11-22T09:00:00Z', reviewedBy: { id: 'u-1', displayName: 'Ada Admin' } }]),
      'GET /users/u-1?$select=userPrincipalName': ok({ userPrincipalName: 'ada@contoso.example' }),
    });
    const [stage] = await consent.requestDecisions!(context, 'acr-1');
    expect(stage!.reviewedBy).toEqual({ id: 'u-1', displayName: 'Ada Admin', userPrincipalName: 'ada@contoso.example' });
  });

  test('a refused read of a request’s decisions names ConsentRequest.Read.All', async () => {
    const { context } = fakeGraph({ [`GET ${requests}/acr-1/userConsentRequests`]: denied });
    await expect(consent.requestDecisions!(context, 'acr-1')).rejects.toMatchObject({ code: 'permission_denied', message: expect.stringContaining('ConsentRequest.Read.All') });
  });

  test('resolves reviewers by user principal name or id to user queries, and names those Entra does not know', async () => {
    const { context } = fakeGraph({
      'GET /users/ada@contoso.example?$select=id,displayName,userPrincipalName': ok({ id: 'u-1', displayName: 'Ada Admin', userPrincipalName: 'ada@contoso.example' }),
      'GET /users/nobody@contoso.example?$select=id,displayName,userPrincipalName': notFound,
    });
    expect(await consent.resolveReviewers!(context, ['ada@contoso.example', 'nobody@contoso.example'])).toEqual({ found: [{ query: '/users/u-1', displayName: 'Ada Admin' }], notFound: ['nobody@contoso.example'] });
  });
});

describe('tenant-wide consent for an app in Microsoft Graph', () => {
  const appId = '11111111-2222-3333-4444-555555555555';
  const graphSp = `GET /servicePrincipals(appId='${graphAppId}')?$select=id,appRoles,oauth2PermissionScopes`;
  const graphSpId$ = `GET /servicePrincipals(appId='${graphAppId}')?$select=id`;
  const appSp = `GET /servicePrincipals(appId='${appId}')?$select=id,appId,displayName,publisherName,verifiedPublisher,accountEnabled,appRoleAssignmentRequired`;
  const grants = (clientId: string) => `GET /oauth2PermissionGrants?$filter=clientId eq '${clientId}' and consentType eq 'AllPrincipals'`;
  const graphPermissions = ok({
    id: graphSpId,
    appRoles: [
      { id: 'role-mail', value: 'Mail.Read', allowedMemberTypes: ['Application'] },
      { id: 'role-users', value: 'User.Read.All', allowedMemberTypes: ['Application'] },
    ],
    oauth2PermissionScopes: [{ value: 'User.Read' }, { value: 'Calendars.Read' }, { value: 'Mail.Read' }],
  });

  test('reads an app with no service principal as holding nothing', async () => {
    const { context } = fakeGraph({ [appSp]: notFound });
    expect(await consent.appState!(context, appId)).toEqual({ appId, displayName: null, publisher: null, verifiedPublisher: null, servicePrincipalId: null, accountEnabled: null, appRoleAssignmentRequired: null, tenantWideGrant: null, appRoles: [] });
  });

  test('reads the app’s publisher, sign-in settings, Graph grant and application permissions by name', async () => {
    const { context } = fakeGraph({
      [appSp]: ok({ id: 'sp-1', appId, displayName: 'Board Notes', publisherName: 'Board Notes Ltd', verifiedPublisher: { displayName: null, verifiedPublisherId: null }, accountEnabled: true, appRoleAssignmentRequired: false }),
      [graphSp]: graphPermissions,
      [grants('sp-1')]: page([
        { id: 'other-resource', clientId: 'sp-1', consentType: 'AllPrincipals', resourceId: 'sharepoint-sp', scope: 'AllSites.Read' },
        { id: 'grant-1', clientId: 'sp-1', consentType: 'AllPrincipals', resourceId: graphSpId, scope: ' User.Read Calendars.Read ' },
      ]),
      'GET /servicePrincipals/sp-1/appRoleAssignments?$top=999': page([
        { id: 'as-1', appRoleId: 'role-mail', resourceId: graphSpId, principalId: 'sp-1' },
        { id: 'as-2', appRoleId: 'role-elsewhere', resourceId: 'sharepoint-sp', principalId: 'sp-1' },
      ]),
    });
    expect(await consent.appState!(context, appId)).toEqual({
      appId,
      displayName: 'Board Notes',
      publisher: 'Board Notes Ltd',
      verifiedPublisher: false,
      servicePrincipalId: 'sp-1',
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      tenantWideGrant: { id: 'grant-1', scopes: ['User.Read', 'Calendars.Read'] },
      appRoles: [{ assignmentId: 'as-1', permission: 'Mail.Read' }],
    });
  });

  test('lists what Microsoft Graph publishes: delegated scopes and app role ids by name', async () => {
    const { context } = fakeGraph({ [graphSp]: graphPermissions });
    const permissions = await consent.resourcePermissions!(context);
    expect(permissions.servicePrincipalId).toBe(graphSpId);
    expect([...permissions.delegated]).toEqual(['User.Read', 'Calendars.Read', 'Mail.Read']);
    expect(permissions.appRoles.get('User.Read.All')).toBe('role-users');
  });

  test('creates the service principal of an app the tenant does not have yet', async () => {
    const { context, changes } = fakeGraph({ 'POST /servicePrincipals': { status: 201, body: { id: 'sp-new', appId } } });
    expect(await consent.createServicePrincipal!(context, appId)).toMatchObject({ ok: true, code: 'created', servicePrincipalId: 'sp-new' });
    expect(changes()).toEqual([{ method: 'POST', path: '/servicePrincipals', body: { appId } }]);
  });

  test('says plainly that no app has an unknown client id', async () => {
    const { context } = fakeGraph({ 'POST /servicePrincipals': { status: 400, body: { error: { code: 'Request_BadRequest', message: 'The appId of the service principal does not reference a valid application object.' } } }, [appSp]: notFound });
    expect(await consent.createServicePrincipal!(context, appId)).toEqual({
      ok: false,
      code: 'unknown_app',
      message: `No app with client id ${appId} exists in Microsoft Entra; check the id with the vendor.`,
      errorCode: 'not_found',
      servicePrincipalId: null,
    });
  });

  test('takes a service principal that already exists instead of failing', async () => {
    const { context } = fakeGraph({ 'POST /servicePrincipals': { status: 409, body: { error: { code: 'Request_MultipleObjectsWithSameKeyValue' } } }, [appSp]: ok({ id: 'sp-1', appId }) });
    expect(await consent.createServicePrincipal!(context, appId)).toMatchObject({ ok: true, code: 'already_done', servicePrincipalId: 'sp-1' });
  });

  test('grants exactly the kept delegated scopes tenant-wide in one AllPrincipals grant', async () => {
    const { context, changes } = fakeGraph({ [graphSpId$]: ok({ id: graphSpId }), [grants('sp-1')]: page([]), 'POST /oauth2PermissionGrants': { status: 201, body: { id: 'grant-1' } } });
    expect(await consent.setTenantWideScopes!(context, 'sp-1', ['User.Read', 'Calendars.Read'])).toMatchObject({ ok: true, code: 'created' });
    expect(changes()).toEqual([{ method: 'POST', path: '/oauth2PermissionGrants', body: { clientId: 'sp-1', consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read Calendars.Read' } }]);
  });

  test('replaces the whole scope string of an existing grant, deletes it when nothing is kept, and leaves an equal one alone', async () => {
    const existing = page([{ id: 'grant-1', clientId: 'sp-1', consentType: 'AllPrincipals', resourceId: graphSpId, scope: 'User.Read Mail.Read' }]);
    const table = { [graphSpId$]: ok({ id: graphSpId }), [grants('sp-1')]: existing, 'PATCH /oauth2PermissionGrants/grant-1': noContent, 'DELETE /oauth2PermissionGrants/grant-1': noContent };
    const narrowed = fakeGraph(table);
    expect(await consent.setTenantWideScopes!(narrowed.context, 'sp-1', ['User.Read'])).toMatchObject({ ok: true, code: 'updated' });
    expect(narrowed.changes()).toEqual([{ method: 'PATCH', path: '/oauth2PermissionGrants/grant-1', body: { scope: 'User.Read' } }]);

    const removed = fakeGraph(table);
    expect(await consent.setTenantWideScopes!(removed.context, 'sp-1', [])).toMatchObject({ ok: true, code: 'deleted' });
    expect(removed.changes()).toEqual([{ method: 'DELETE', path: '/oauth2PermissionGrants/grant-1', body: undefined }]);

    const equal = fakeGraph(table);
    expect(await consent.setTenantWideScopes!(equal.context, 'sp-1', ['mail.read', 'User.Read'])).toMatchObject({ ok: true, code: 'already_done' });
    expect(equal.changes()).toEqual([]);
  });

  test('a grant Graph refuses for a scope it does not know fails as an invalid request', async () => {
    const { context } = fakeGraph({ [graphSpId$]: ok({ id: graphSpId }), [grants('sp-1')]: page([]), 'POST /oauth2PermissionGrants': { status: 400, body: { error: { code: 'Request_BadRequest' } } } });
    expect(await consent.setTenantWideScopes!(context, 'sp-1', ['Made.Up'])).toMatchObject({ ok: false, errorCode: 'invalid_request' });
  });

  test('assigns an application permission by its app role id, and one held already is done', async () => {
    const fresh = fakeGraph({ [graphSp]: graphPermissions, 'GET /servicePrincipals/sp-1/appRoleAssignments?$top=999': page([]), [`POST /servicePrincipals/${graphSpId}/appRoleAssignedTo`]: { status: 201, body: { id: 'as-1' } } });
    expect(await consent.assignAppRole!(fresh.context, 'sp-1', 'User.Read.All')).toMatchObject({ ok: true, code: 'created' });
    expect(fresh.changes()).toEqual([{ method: 'POST', path: `/servicePrincipals/${graphSpId}/appRoleAssignedTo`, body: { principalId: 'sp-1', resourceId: graphSpId, appRoleId: 'role-users' } }]);

    const held = fakeGraph({ [graphSp]: graphPermissions, 'GET /servicePrincipals/sp-1/appRoleAssignments?$top=999': page([{ id: 'as-1', appRoleId: 'role-users', resourceId: graphSpId }]) });
    expect(await consent.assignAppRole!(held.context, 'sp-1', 'User.Read.All')).toMatchObject({ ok: true, code: 'already_done' });
    expect(held.changes()).toEqual([]);
  });

  test('refuses an application permission Microsoft Graph does not publish', async () => {
    const { context, changes } = fakeGraph({ [graphSp]: graphPermissions, 'GET /servicePrincipals/sp-1/appRoleAssignments?$top=999': page([]) });
    expect(await consent.assignAppRole!(context, 'sp-1', 'Made.Up.All')).toMatchObject({ ok: false, code: 'unknown_permission', errorCode: 'invalid_request' });
    expect(changes()).toEqual([]);
  });

  test('removes an application permission, and one already gone counts as done', async () => {
    const removed = fakeGraph({ [graphSpId$]: ok({ id: graphSpId }), [`DELETE /servicePrincipals/${graphSpId}/appRoleAssignedTo/as-1`]: noContent });
    expect(await consent.removeAppRole!(removed.context, 'sp-1', 'as-1')).toMatchObject({ ok: true, code: 'deleted' });
    const gone = fakeGraph({ [graphSpId$]: ok({ id: graphSpId }), [`DELETE /servicePrincipals/${graphSpId}/appRoleAssignedTo/as-1`]: notFound });
    expect(await consent.removeAppRole!(gone.context, 'sp-1', 'as-1')).toMatchObject({ ok: true, code: 'already_done' });
  });

  test('blocks sign-in by patching only accountEnabled; a refusal names Application.ReadWrite.All', async () => {
    const blocked = fakeGraph({ 'PATCH /servicePrincipals/sp-1': noContent });
    expect(await consent.setSignIn!(blocked.context, 'sp-1', { accountEnabled: false })).toMatchObject({ ok: true, code: 'updated' });
    expect(blocked.changes()).toEqual([{ method: 'PATCH', path: '/servicePrincipals/sp-1', body: { accountEnabled: false } }]);
    const refused = fakeGraph({ 'PATCH /servicePrincipals/sp-1': denied });
    expect(await consent.setSignIn!(refused.context, 'sp-1', { appRoleAssignmentRequired: true })).toMatchObject({ ok: false, errorCode: 'permission_denied', message: expect.stringContaining('Application.ReadWrite.All') });
  });
});

describe('Microsoft’s admin consent prompt', () => {
  const appId = '11111111-2222-3333-4444-555555555555';

  test('names delegated scopes with Graph’s resource URI on the tenant’s sign-in host, with a state', () => {
    const { context } = fakeGraph({}, { tenant: 'contoso.onmicrosoft.com' });
    const url = new URL(consent.adminConsentUrl!(context, appId, ['User.Read', 'Calendars.Read']));
    expect(`${url.origin}${url.pathname}`).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent');
    expect(url.searchParams.get('client_id')).toBe(appId);
    expect(url.searchParams.get('scope')).toBe('https://graph.microsoft.com/User.Read https://graph.microsoft.com/Calendars.Read');
    expect(url.searchParams.get('state')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('asks for application permissions through .default alone, which Entra does not combine with other scopes, on a national cloud’s hosts', () => {
    const { context } = fakeGraph({}, { tenant: 'contoso.onmicrosoft.us', cloud: 'usgov' });
    const url = new URL(consent.adminConsentUrl!(context, appId, ['User.Read', '.default']));
    expect(url.host).toBe('login.microsoftonline.us');
    expect(url.searchParams.get('scope')).toBe('https://graph.microsoft.us/.default');
  });

  test('opens the prompt where the connection signs in when its sign-in page is overridden (the sample workspace)', () => {
    const { context } = fakeGraph({}, { issuer: 'https://127.0.0.1:4431', authorizationEndpoint: 'http://127.0.0.1:4432/auth' });
    expect(new URL(consent.adminConsentUrl!(context, appId, ['User.Read'])).href.startsWith('http://127.0.0.1:4432/v2.0/adminconsent?')).toBe(true);
    const issuerOnly = fakeGraph({}, { issuer: 'https://127.0.0.1:4431' });
    expect(consent.adminConsentUrl!(issuerOnly.context, appId, ['User.Read']).startsWith('https://127.0.0.1:4431/v2.0/adminconsent?')).toBe(true);
  });
});

describe('describing a failed consent call', () => {
  test('a refusal says permission_denied and how to get the permission; other failures keep Graph’s classification', () => {
    expect(consent.describeFailure(new GraphRequestError({ status: 403, code: 'Authorization_RequestDenied' }))).toEqual({
      code: 'permission_denied',
      message: 'Microsoft Graph answered 403 (Authorization_RequestDenied).',
      nextStep: 'Allow the Consent capability for this connection, then sign in again when asked.',
    });
    expect(consent.describeFailure(new GraphRequestError({ status: 503 }))).toMatchObject({ code: 'provider_error', nextStep: null });
    expect(consent.describeFailure(new GraphRequestError({}))).toMatchObject({ code: 'network' });
  });
});
