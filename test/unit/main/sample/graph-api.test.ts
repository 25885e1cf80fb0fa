/**
 * The simulated Microsoft Graph, called the way Consentry and admins' tools call the real one:
 * through the official Graph client (paging with PageIterator, GraphError for failures, JSON
 * batching) and through plain fetch where the client would hide what is on the wire.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { BatchRequestContent, BatchResponseContent, Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { graphAppRoleIds } from '../../../../src-main/sample/sample-tenant';
import { microsoftGraphAppId } from '../../../../src-main/sample/sample-apps';
import { createApiListener, type ApiCall, type ApiServerOptions } from '../../../../src-main/sample/simulator/api-router';
import { createLostAnswerPlan } from '../../../../src-main/sample/simulator/fault-plan';
import { graphErrors, graphFaults, graphRoutes, graphWwwAuthenticate, microsoftServicesTenantId } from '../../../../src-main/sample/simulator/graph-api';
import { simulatedTenant, type SimulatedTenant } from '../../../../src-main/sample/simulator/simulated-tenant';
import { trustedTestCertificate } from '../../../support/self-signed-certificate';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const now = new Date('2026-11-21T10:30:00Z');

const tokens: Record<string, string[]> = {
  'admin-token': ['Directory.ReadWrite.All', 'User.ReadWrite.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Policy.Read.All'],
  'user-reader-token': ['User.Read.All'],
  'auditor-token': ['Directory.Read.All', 'Application.Read.All', 'Policy.Read.All'],
  'offboarding-token': ['User.Read.All', 'User.EnableDisableAccount.All', 'User.RevokeSessions.All'],
};

let tenant: SimulatedTenant;
let server: Server;
let origin: string;
let baseUrl: string;
const calls: ApiCall[] = [];

beforeAll(async () => {
  tenant = simulatedTenant({ seed: 11, users: 1200, referenceTime });
  const certificate = await trustedTestCertificate();
  // The routes need the base URL, which needs the port: listen first, then hand the real routes in.
  let handler: ReturnType<typeof createApiListener> = () => undefined;
  server = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = `${origin}/v1.0`;
  handler = createApiListener({
    routes: graphRoutes(tenant, { baseUrl, clock: () => now }),
    errors: graphErrors,
    authenticate: async (token) => (tokens[token] ? new Set(tokens[token]) : null),
    calls,
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The official client, pointed at the simulator like it would be at graph.microsoft.com. */
function graph(token = 'admin-token'): Client {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${origin}/`,
    defaultVersion: 'v1.0',
    // The client only attaches the token for https hosts it knows: Graph's own, or these.
    customHosts: new Set(['127.0.0.1']),
  });
}

async function graphFailure(call: Promise<unknown>): Promise<GraphError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error('Expected the call to fail with a GraphError.');
}

async function all<T>(client: Client, first: PageCollection): Promise<T[]> {
  const items: T[] = [];
  await new PageIterator(client, first, (item: T) => {
    items.push(item);
    return true;
  }).iterate();
  return items;
}

const raw = (path: string, init: RequestInit & { token?: string | null } = {}) => {
  const { token = 'admin-token', ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token !== null) headers.set('authorization', `Bearer ${token}`);
  if (rest.body !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${baseUrl}${path}`, { ...rest, headers });
};

const app = (key: string) => tenant.apps.find((candidate) => candidate.key === key)!;

describe('users', () => {
  test('pages through 1,200 users with $top and @odata.nextLink, returning every user exactly once', async () => {
    const client = graph();
    const first = (await client.api('/users').top(500).get()) as PageCollection & { '@odata.context': string };
    expect(first['@odata.context']).toBe(`${baseUrl}/$metadata#users`);
    expect(first.value).toHaveLength(500);
    expect(first['@odata.nextLink']).toMatch(new RegExp(`^${baseUrl.replace(/[.]/g, '\\.')}/users\\?\\$top=500&\\$skiptoken=[A-Za-z0-9_-]+$`));

    const users = await all<{ id: string }>(client, first);
    const ids = users.map((user) => user.id);
    expect(ids).toHaveLength(1200);
    expect(new Set(ids).size).toBe(1200);
    expect(new Set(ids)).toEqual(new Set(tenant.users.map((user) => user.graphId)));
  });

  test("answers 100 users a page by default, with Graph's default properties only", async () => {
    const page = (await graph().api('/users').get()) as PageCollection;
    expect(page.value).toHaveLength(100);
    const first = tenant.users[0]!;
    expect(page.value[0]).toEqual({
      businessPhones: [],
      displayName: `${first.givenName} ${first.familyName}`,
      givenName: first.givenName,
      jobTitle: null,
      mail: first.primaryEmail,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: first.familyName,
      userPrincipalName: first.primaryEmail,
      id: first.graphId,
    });
  });

  test('honours $select, names it in @odata.context and keeps it on the next page', async () => {
    const client = graph();
    const first = (await client.api('/users').select(['id', 'accountEnabled']).top(999).get()) as PageCollection & { '@odata.context': string };
    expect(first['@odata.context']).toBe(`${baseUrl}/$metadata#users(id,accountEnabled)`);
    expect(first['@odata.nextLink']).toContain('$select=id,accountEnabled&$top=999&$skiptoken=');
    const users = await all<Record<string, unknown>>(client, first);
    expect(users).toHaveLength(1200);
    for (const user of users) expect(Object.keys(user).sort()).toEqual(['accountEnabled', 'id']);
    expect(users.filter((user) => user.accountEnabled === false)).toHaveLength(tenant.users.filter((user) => user.suspended).length);
  });

  test('refuses a page size over 999 and an unknown $select property', async () => {
    const tooBig = await graphFailure(graph().api('/users').top(1000).get());
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.code).toBe('Request_UnsupportedQuery');
    const unknown = await graphFailure(graph().api('/users').select('shoeSize').get());
    expect(unknown.statusCode).toBe(400);
    expect(unknown.message).toContain("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'");
  });

  test('finds a user by object id or user principal name, and answers 404 for anyone else', async () => {
    const user = tenant.users[5]!;
    const byId = await graph().api(`/users/${user.graphId}`).get();
    expect(byId['@odata.context']).toBe(`${baseUrl}/$metadata#users/$entity`);
    expect(byId.userPrincipalName).toBe(user.primaryEmail);
    const byUpn = await graph().api(`/users/${encodeURIComponent(user.primaryEmail)}`).select('id').get();
    expect(byUpn).toEqual({ '@odata.context': `${baseUrl}/$metadata#users(id)/$entity`, id: user.graphId });

    const missing = await graphFailure(graph().api('/users/00000000-0000-4000-8000-000000000000').get());
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe('Request_ResourceNotFound');
    expect(missing.message).toBe("Resource '00000000-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present.");
  });

  test('finds a user by an alias with proxyAddresses/any(…), as the reference writes the filter; proxyAddresses comes only when selected', async () => {
    const user = tenant.users[9]!;
    const alias = `smtp:${user.primaryEmail.split('@')[0]}@samplecompany.onmicrosoft.com`;
    const page = (await graph().api('/users').filter(`proxyAddresses/any(p:p eq '${alias.toUpperCase()}')`).select('id,proxyAddresses').get()) as PageCollection;
    expect(page.value).toEqual([{ id: user.graphId, proxyAddresses: [`SMTP:${user.primaryEmail}`, alias] }]);
    expect(((await graph().api('/users').filter(`proxyAddresses/any(p:p eq 'smtp:nobody@${tenant.domain}')`).get()) as PageCollection).value).toEqual([]);
    expect((await graph().api(`/users/${user.graphId}`).get()).proxyAddresses).toBeUndefined();

    // A multi-valued property is filtered with any(); eq on it alone, or another lambda form, is refused.
    for (const filter of [`proxyAddresses eq '${alias}'`, `proxyAddresses/any(p:startswith(p,'smtp:'))`, `mail/any(p:p eq '${alias}')`]) {
      const refused = await graphFailure(graph().api('/users').filter(filter).get());
      expect([refused.statusCode, refused.code]).toEqual([400, 'Request_UnsupportedQuery']);
    }
  });

  test('a user whose sign-in name is set apart from their mail is found by it, and no longer by the mail', async () => {
    const user = tenant.users[10]!;
    const signInName = `sign-in.${user.primaryEmail}`;
    tenant.entraUserPrincipalNames.set(user.graphId, signInName);
    try {
      expect(await graph().api(`/users/${encodeURIComponent(signInName)}`).select('id,userPrincipalName,mail').get()).toMatchObject({ id: user.graphId, userPrincipalName: signInName, mail: user.primaryEmail });
      expect((await graphFailure(graph().api(`/users/${encodeURIComponent(user.primaryEmail)}`).get())).statusCode).toBe(404);
      const page = (await graph().api('/users').filter(`userPrincipalName eq '${signInName}'`).select('id').get()) as PageCollection;
      expect(page.value).toEqual([{ id: user.graphId }]);
    } finally {
      tenant.entraUserPrincipalNames.delete(user.graphId);
    }
  });

  test('dates every answer by its own clock, which need not be the caller’s', async () => {
    const response = await raw(`/users/${tenant.users[11]!.graphId}?$select=id`);
    expect(response.status).toBe(200);
    expect(response.headers.get('date')).toBe(now.toUTCString());
  });

  test('disables an account with PATCH accountEnabled, and the change persists', async () => {
    const user = tenant.users.find((candidate) => !candidate.suspended && !candidate.isAdmin)!;
    const client = graph('offboarding-token');
    expect(await client.api(`/users/${user.graphId}`).patch({ accountEnabled: false })).toBeUndefined();
    expect((await client.api(`/users/${user.graphId}`).select('accountEnabled').get()).accountEnabled).toBe(false);
    expect(tenant.entraAccountEnabled.get(user.graphId)).toBe(false);
    expect(user.suspended).toBe(false);

    const page = (await client.api('/users').filter('accountEnabled eq false').select('id').top(999).get()) as PageCollection;
    expect(page.value.map((item: { id: string }) => item.id)).toContain(user.graphId);

    const wrongType = await graphFailure(client.api(`/users/${user.graphId}`).patch({ accountEnabled: 'no' }));
    expect(wrongType.statusCode).toBe(400);
  });

  test('records revokeSignInSessions and moves signInSessionsValidFromDateTime to now', async () => {
    const user = tenant.users[20]!;
    const answer = await graph('offboarding-token').api(`/users/${user.graphId}/revokeSignInSessions`).post({});
    expect(answer).toEqual({ '@odata.context': `${baseUrl}/$metadata#Edm.Boolean`, value: true });
    expect(tenant.revokedSessionGraphUsers.has(user.graphId)).toBe(true);
    const after = await graph().api(`/users/${user.graphId}`).select('signInSessionsValidFromDateTime').get();
    expect(after.signInSessionsValidFromDateTime).toBe('2026-11-21T10:30:00Z');
  });
});

describe('delegated permission grants', () => {
  test('filters by clientId, by consentType and by both, paging through every match', async () => {
    const client = graph('auditor-token');
    const meetslot = app('meetslot');
    const expected = tenant.permissionGrants.filter((grant) => grant.clientId === meetslot.servicePrincipalId);
    expect(expected.length).toBeGreaterThan(100);

    const first = (await client.api('/oauth2PermissionGrants').filter(`clientId eq '${meetslot.servicePrincipalId}'`).get()) as PageCollection & { '@odata.context': string };
    expect(first['@odata.context']).toBe(`${baseUrl}/$metadata#oauth2PermissionGrants`);
    expect(first['@odata.nextLink']).toContain('$filter=');
    const byClient = await all<{ id: string; clientId: string }>(client, first);
    expect(byClient.map((grant) => grant.id).sort()).toEqual(expected.map((grant) => grant.id).sort());
    expect(Object.keys(byClient[0]!).sort()).toEqual(['clientId', 'consentType', 'id', 'principalId', 'resourceId', 'scope']);

    const tenantWide = (await client.api('/oauth2PermissionGrants').filter("consentType eq 'AllPrincipals'").get()) as PageCollection;
    expect(tenantWide.value.length).toBe(tenant.permissionGrants.filter((grant) => grant.consentType === 'AllPrincipals').length);
    expect(tenantWide.value.every((grant: { consentType: string; principalId: string | null }) => grant.consentType === 'AllPrincipals' && grant.principalId === null)).toBe(true);

    const user = tenant.users.find((candidate) => tenant.permissionGrants.some((grant) => grant.principalId === candidate.graphId && grant.clientId === meetslot.servicePrincipalId))!;
    const both = (await client.api('/oauth2PermissionGrants').filter(`clientId eq '${meetslot.servicePrincipalId}' and consentType eq 'Principal' and principalId eq '${user.graphId}'`).get()) as PageCollection;
    expect(both.value).toHaveLength(1);
    expect(both.value[0].scope).toBe('User.Read Calendars.ReadWrite');
  });

  test('refuses filters Graph does not support on grants with a 400', async () => {
    const client = graph('auditor-token');
    const onScope = await graphFailure(client.api('/oauth2PermissionGrants').filter("scope eq 'User.Read'").get());
    expect([onScope.statusCode, onScope.code]).toEqual([400, 'Request_UnsupportedQuery']);
    expect(onScope.message).toBe("Unsupported or invalid query filter clause specified for property 'scope' of resource 'OAuth2PermissionGrant'.");
    const notEqual = await graphFailure(client.api('/oauth2PermissionGrants').filter("clientId ne 'x'").get());
    expect([notEqual.statusCode, notEqual.code]).toEqual([400, 'Request_UnsupportedQuery']);
    const either = await graphFailure(client.api('/oauth2PermissionGrants').filter("clientId eq 'x' or clientId eq 'y'").get());
    expect(either.statusCode).toBe(400);
    const unknown = await graphFailure(client.api('/oauth2PermissionGrants').filter("appName eq 'x'").get());
    expect([unknown.statusCode, unknown.code]).toEqual([400, 'BadRequest']);
    const broken = await graphFailure(client.api('/oauth2PermissionGrants').filter("clientId eq 'x").get());
    expect(broken.statusCode).toBe(400);
  });

  test('creates, replaces the scope of and deletes a grant; afterwards it is gone', async () => {
    const client = graph();
    const grammar = app('grammar');
    const user = tenant.users.find((candidate) => !tenant.permissionGrants.some((grant) => grant.principalId === candidate.graphId && grant.clientId === grammar.servicePrincipalId))!;
    const created = await client.api('/oauth2PermissionGrants').post({ clientId: grammar.servicePrincipalId, consentType: 'Principal', principalId: user.graphId, resourceId: tenant.graphServicePrincipalId, scope: 'User.Read' });
    expect(created).toMatchObject({ '@odata.context': `${baseUrl}/$metadata#oauth2PermissionGrants/$entity`, clientId: grammar.servicePrincipalId, consentType: 'Principal', principalId: user.graphId, resourceId: tenant.graphServicePrincipalId, scope: 'User.Read' });
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{64}$/);

    const again = await graphFailure(client.api('/oauth2PermissionGrants').post({ clientId: grammar.servicePrincipalId, consentType: 'Principal', principalId: user.graphId, resourceId: tenant.graphServicePrincipalId, scope: 'User.Read' }));
    expect(again.statusCode).toBe(409);

    expect(await client.api(`/oauth2PermissionGrants/${created.id}`).patch({ scope: 'User.Read Files.Read' })).toBeUndefined();
    expect((await client.api(`/oauth2PermissionGrants/${created.id}`).get()).scope).toBe('User.Read Files.Read');

    expect(await client.api(`/oauth2PermissionGrants/${created.id}`).delete()).toBeUndefined();
    expect(tenant.permissionGrants.some((grant) => grant.id === created.id)).toBe(false);
    expect((await graphFailure(client.api(`/oauth2PermissionGrants/${created.id}`).get())).statusCode).toBe(404);
    expect((await graphFailure(client.api(`/oauth2PermissionGrants/${created.id}`).delete())).code).toBe('Request_ResourceNotFound');
  });

  test('deletes a seeded grant, which no longer appears in the filtered list', async () => {
    const client = graph();
    const victim = tenant.permissionGrants.find((grant) => grant.clientId === app('inboxzen').servicePrincipalId)!;
    expect((await fetchStatus(`/oauth2PermissionGrants/${victim.id}`, 'DELETE'))).toBe(204);
    const remaining = await all<{ id: string }>(client, await client.api('/oauth2PermissionGrants').filter(`clientId eq '${victim.clientId}'`).top(5).get());
    expect(remaining.map((grant) => grant.id)).not.toContain(victim.id);
    expect(await fetchStatus(`/oauth2PermissionGrants/${victim.id}`, 'DELETE')).toBe(404);
  });
});

async function fetchStatus(path: string, method: string): Promise<number> {
  const response = await raw(path, { method });
  await response.arrayBuffer();
  return response.status;
}

describe('service principals and app role assignments', () => {
  test('lists Microsoft Graph itself and the apps with their publishers', async () => {
    const client = graph('auditor-token');
    const sps = await all<Record<string, unknown>>(client, await client.api('/servicePrincipals').get());
    expect(sps).toHaveLength(tenant.apps.length + 1);

    const microsoftGraph = sps.find((sp) => sp.appId === microsoftGraphAppId)!;
    expect(microsoftGraph).toMatchObject({ id: tenant.graphServicePrincipalId, displayName: 'Microsoft Graph', appOwnerOrganizationId: microsoftServicesTenantId, servicePrincipalType: 'Application', accountEnabled: true });
    const roles = microsoftGraph.appRoles as { id: string; value: string; allowedMemberTypes: string[] }[];
    for (const [value, id] of Object.entries(graphAppRoleIds)) expect(roles).toContainEqual(expect.objectContaining({ id, value, allowedMemberTypes: ['Application'] }));

    const verified = sps.find((sp) => sp.id === app('meetslot').servicePrincipalId)!;
    expect(verified).toMatchObject({ appId: app('meetslot').appId, displayName: 'MeetSlot Scheduler', publisherName: 'MeetSlot Inc.', appOwnerOrganizationId: app('meetslot').appOwnerOrganizationId });
    expect(verified.verifiedPublisher).toEqual({ displayName: 'MeetSlot Inc.', verifiedPublisherId: expect.stringMatching(/^\d{7}$/), addedDateTime: expect.stringMatching(/Z$/) });
    const unverified = sps.find((sp) => sp.id === app('inboxzen').servicePrincipalId)!;
    expect(unverified.verifiedPublisher).toEqual({ displayName: null, verifiedPublisherId: null, addedDateTime: null });
    const internal = sps.find((sp) => sp.id === app('hrsync').servicePrincipalId)!;
    expect(internal.appOwnerOrganizationId).toBe(tenant.entraTenantId);
  });

  test("lists an app's application permissions and who holds Microsoft Graph's roles", async () => {
    const client = graph('auditor-token');
    const backup = app('backupvault');
    const held = (await client.api(`/servicePrincipals/${backup.servicePrincipalId}/appRoleAssignments`).get()) as PageCollection & { '@odata.context': string };
    expect(held['@odata.context']).toBe(`${baseUrl}/$metadata#servicePrincipals('${backup.servicePrincipalId}')/appRoleAssignments`);
    expect(held.value.map((assignment: { appRoleId: string }) => assignment.appRoleId).sort()).toEqual(['Mail.ReadWrite', 'Files.ReadWrite.All', 'Sites.ReadWrite.All'].map((name) => graphAppRoleIds[name]).sort());
    expect(held.value[0]).toMatchObject({ principalId: backup.servicePrincipalId, principalType: 'ServicePrincipal', principalDisplayName: 'Backup Vault Cloud', resourceId: tenant.graphServicePrincipalId, resourceDisplayName: 'Microsoft Graph', deletedDateTime: null });

    const assignedTo = await all<{ id: string }>(client, await client.api(`/servicePrincipals/${tenant.graphServicePrincipalId}/appRoleAssignedTo`).get());
    expect(assignedTo.map((assignment) => assignment.id).sort()).toEqual(tenant.appRoleAssignments.filter((assignment) => assignment.resourceId === tenant.graphServicePrincipalId).map((assignment) => assignment.id).sort());

    const unknown = await graphFailure(client.api('/servicePrincipals/00000000-0000-4000-8000-000000000000/appRoleAssignments').get());
    expect(unknown.statusCode).toBe(404);
  });

  test('grants an application permission with appRoleAssignedTo and removes it again', async () => {
    const client = graph();
    const posture = app('posture');
    const created = await client.api(`/servicePrincipals/${tenant.graphServicePrincipalId}/appRoleAssignedTo`).post({ principalId: posture.servicePrincipalId, resourceId: tenant.graphServicePrincipalId, appRoleId: graphAppRoleIds['User.Read.All'] });
    expect(created).toMatchObject({ '@odata.context': `${baseUrl}/$metadata#servicePrincipals('${tenant.graphServicePrincipalId}')/appRoleAssignedTo/$entity`, principalId: posture.servicePrincipalId, principalType: 'ServicePrincipal', appRoleId: graphAppRoleIds['User.Read.All'], createdDateTime: '2026-11-21T10:30:00Z' });

    const duplicate = await graphFailure(client.api(`/servicePrincipals/${tenant.graphServicePrincipalId}/appRoleAssignedTo`).post({ principalId: posture.servicePrincipalId, resourceId: tenant.graphServicePrincipalId, appRoleId: graphAppRoleIds['User.Read.All'] }));
    expect(duplicate.statusCode).toBe(400);
    const noSuchRole = await graphFailure(client.api(`/servicePrincipals/${tenant.graphServicePrincipalId}/appRoleAssignedTo`).post({ principalId: posture.servicePrincipalId, resourceId: tenant.graphServicePrincipalId, appRoleId: '11111111-1111-4111-8111-111111111111' }));
    expect(noSuchRole.message).toBe(`Permission being assigned was not found on application '${microsoftGraphAppId}'.`);

    const path = `/servicePrincipals/${tenant.graphServicePrincipalId}/appRoleAssignedTo/${created.id}`;
    expect(await client.api(path).delete()).toBeUndefined();
    const held = (await client.api(`/servicePrincipals/${posture.servicePrincipalId}/appRoleAssignments`).get()) as PageCollection;
    expect(held.value.map((assignment: { id: string }) => assignment.id)).not.toContain(created.id);
    expect((await graphFailure(client.api(path).delete())).statusCode).toBe(404);

    const seeded = tenant.appRoleAssignments.find((assignment) => assignment.principalId === app('hrsync').servicePrincipalId)!;
    expect(await fetchStatus(`/servicePrincipals/${tenant.graphServicePrincipalId}/appRoleAssignedTo/${seeded.id}`, 'DELETE')).toBe(204);
    expect(tenant.appRoleAssignments).not.toContainEqual(seeded);
  });
});

describe('app registrations and their secrets', () => {
  test('lists password and certificate credentials in Graph shape, never with a secret', async () => {
    const page = (await graph('auditor-token').api('/applications').select('id,appId,displayName,passwordCredentials,keyCredentials').get()) as PageCollection & { '@odata.context': string };
    expect(page['@odata.context']).toBe(`${baseUrl}/$metadata#applications(id,appId,displayName,passwordCredentials,keyCredentials)`);
    expect(page.value).toHaveLength(tenant.appRegistrations.length);
    const first = page.value[0];
    const seeded = tenant.appRegistrations[0]!;
    expect(Object.keys(first).sort()).toEqual(['appId', 'displayName', 'id', 'keyCredentials', 'passwordCredentials']);
    expect(first.passwordCredentials[0]).toEqual({ customKeyIdentifier: null, displayName: seeded.passwordCredentials[0]!.displayName, endDateTime: seeded.passwordCredentials[0]!.endDateTime.replace('.000Z', 'Z'), hint: expect.stringMatching(/^.{3}$/), keyId: seeded.passwordCredentials[0]!.keyId, secretText: null, startDateTime: seeded.passwordCredentials[0]!.startDateTime.replace('.000Z', 'Z') });
    expect(first.keyCredentials[0]).toEqual({ customKeyIdentifier: expect.any(String), displayName: seeded.keyCredentials[0]!.displayName, endDateTime: expect.any(String), key: null, keyId: seeded.keyCredentials[0]!.keyId, startDateTime: expect.any(String), type: 'AsymmetricX509Cert', usage: 'Verify' });
  });

  test('addPassword shows the secret once; the list and later reads never show it; removePassword removes it', async () => {
    const client = graph();
    const application = tenant.appRegistrations[2]!;
    const added = await client.api(`/applications/${application.id}/addPassword`).post({ passwordCredential: { displayName: 'Rotated by Consentry' } });
    expect(added).toMatchObject({ '@odata.context': `${baseUrl}/$metadata#microsoft.graph.passwordCredential`, customKeyIdentifier: null, displayName: 'Rotated by Consentry', startDateTime: '2026-11-21T10:30:00Z', endDateTime: '2028-11-21T10:30:00Z' });
    expect(added.secretText).toMatch(/^[A-Za-z0-9~._-]{40}$/);
    expect(added.hint).toBe(added.secretText.slice(0, 3));
    expect(added.keyId).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await client.api(`/applications/${application.id}`).get();
    const stored = listed.passwordCredentials.find((credential: { keyId: string }) => credential.keyId === added.keyId);
    expect(stored).toMatchObject({ displayName: 'Rotated by Consentry', hint: added.hint, secretText: null });
    const everything = await (await raw('/applications')).text();
    expect(everything).not.toContain(added.secretText);
    expect(JSON.stringify(tenant.appRegistrations)).not.toContain(added.secretText);

    expect(await client.api(`/applications/${application.id}/removePassword`).post({ keyId: added.keyId })).toBeUndefined();
    expect((await client.api(`/applications/${application.id}`).get()).passwordCredentials.map((credential: { keyId: string }) => credential.keyId)).not.toContain(added.keyId);
    const again = await graphFailure(client.api(`/applications/${application.id}/removePassword`).post({ keyId: added.keyId }));
    expect(again.statusCode).toBe(404);
    const unknownApp = await graphFailure(client.api('/applications/00000000-0000-4000-8000-000000000000/addPassword').post({ passwordCredential: {} }));
    expect(unknownApp.statusCode).toBe(404);
  });

  test('addPassword accepts the appId form of the address, an explicit end date and no name at all', async () => {
    const application = tenant.appRegistrations[4]!;
    const added = await graph().api(`/applications(appId='${application.appId}')/addPassword`).post({ passwordCredential: { displayName: 'short-lived', endDateTime: '2027-01-01T00:00:00Z' } });
    expect(added.endDateTime).toBe('2027-01-01T00:00:00Z');
    expect(application.passwordCredentials.map((credential) => credential.keyId)).toContain(added.keyId);

    const unnamed = await graph().api(`/applications/${application.id}/addPassword`).post({});
    expect(unnamed.displayName).toBeNull();
    const listed = await graph().api(`/applications/${application.id}`).select('passwordCredentials').get();
    expect(listed.passwordCredentials.find((credential: { keyId: string }) => credential.keyId === unnamed.keyId)).toMatchObject({ displayName: null, secretText: null });
  });

  test('a read-only token cannot add a secret', async () => {
    const denied = await graphFailure(graph('auditor-token').api(`/applications/${tenant.appRegistrations[0]!.id}/addPassword`).post({}));
    expect([denied.statusCode, denied.code]).toEqual([403, 'Authorization_RequestDenied']);
  });
});

describe('authorization policy', () => {
  test("returns Graph's authorizationPolicy with the tenant's user-consent policy (legacy: users may consent to anything)", async () => {
    const policy = await graph('auditor-token').api('/policies/authorizationPolicy').get();
    expect(policy).toMatchObject({
      '@odata.context': `${baseUrl}/$metadata#policies/authorizationPolicy/$entity`,
      id: 'authorizationPolicy',
      allowInvitesFrom: 'everyone',
      allowedToSignUpEmailBasedSubscriptions: true,
      blockMsolPowerShell: false,
      displayName: 'Authorization Policy',
      defaultUserRolePermissions: {
        allowedToCreateApps: true,
        allowedToCreateSecurityGroups: true,
        allowedToReadOtherUsers: true,
        permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy', 'ManagePermissionGrantsForOwnedResource.microsoft-dynamically-managed-permissions-for-team'],
      },
    });
  });
});

describe('organization', () => {
  test('lists the one organization, whose id is the tenant id, for a directory reader and with $select', async () => {
    const organizations = (await graph('auditor-token').api('/organization').get()) as { '@odata.context': string; value: Record<string, unknown>[] };
    expect(organizations['@odata.context']).toBe(`${baseUrl}/$metadata#organization`);
    expect(organizations.value).toHaveLength(1);
    expect(organizations.value[0]).toMatchObject({ id: tenant.entraTenantId, tenantType: 'AAD', verifiedDomains: expect.arrayContaining([expect.objectContaining({ name: tenant.domain, isDefault: true })]) });
    const selected = (await graph('auditor-token').api('/organization').select('id').get()) as { value: Record<string, unknown>[] };
    expect(selected.value).toEqual([{ id: tenant.entraTenantId }]);
    expect((await graphFailure(graph('offboarding-token').api('/organization').get())).statusCode).toBe(403);
  });
});

describe('authentication and scopes', () => {
  test("answers a call without a token with Graph's 401 body and WWW-Authenticate challenge", async () => {
    const response = await raw('/users', { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(graphWwwAuthenticate);
    const body = (await response.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.message).toEqual(expect.any(String));
    expect(body.error.innerError).toEqual({ date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/), 'request-id': expect.stringMatching(/^[0-9a-f-]{36}$/), 'client-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(response.headers.get('request-id')).toBe(body.error.innerError['request-id']);
  });

  test('answers an unknown token with 401 InvalidAuthenticationToken through the client', async () => {
    const failure = await graphFailure(graph('revoked-or-made-up').api('/users').get());
    expect(failure.statusCode).toBe(401);
    expect(failure.code).toBe('InvalidAuthenticationToken');
    expect(failure.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(failure.headers?.get('www-authenticate')).toBe(graphWwwAuthenticate);
  });

  test('answers 403 Authorization_RequestDenied when the token lacks every accepted scope', async () => {
    const failure = await graphFailure(graph('user-reader-token').api('/oauth2PermissionGrants').get());
    expect(failure.statusCode).toBe(403);
    expect(failure.code).toBe('Authorization_RequestDenied');
    expect(failure.message).toBe('Insufficient privileges to complete the operation.');
    const disable = await graphFailure(graph('auditor-token').api(`/users/${tenant.users[1]!.graphId}`).patch({ accountEnabled: false }));
    expect(disable.statusCode).toBe(403);
    expect(tenant.entraAccountEnabled.get(tenant.users[1]!.graphId)).toBe(true);
  });

  test('the Graph client sends no token to a plain-http host, which is why the simulator serves Graph over https', async () => {
    const plain = createHttpServer(createApiListener({ routes: graphRoutes(tenant, { baseUrl: 'http://127.0.0.1/v1.0' }), errors: graphErrors, authenticate: async (token) => (tokens[token] ? new Set(tokens[token]) : null), calls: [] }));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    try {
      const port = (plain.address() as AddressInfo).port;
      const client = Client.init({ authProvider: (done) => done(null, 'admin-token'), baseUrl: `http://127.0.0.1:${port}/`, defaultVersion: 'v1.0', customHosts: new Set(['127.0.0.1']) });
      expect((await graphFailure(client.api('/users').get())).statusCode).toBe(401);
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});

describe('JSON batching', () => {
  test('runs three requests with dependsOn in order, each with its own status, and logs each one as a call', async () => {
    const user = tenant.users.find((candidate) => !candidate.suspended && !candidate.isAdmin && candidate.graphId !== tenant.users[1]!.graphId)!;
    const before = calls.length;
    const answer = (await graph().api('/$batch').post({
      requests: [
        { id: '1', method: 'PATCH', url: `/users/${user.graphId}`, body: { accountEnabled: false }, headers: { 'Content-Type': 'application/json' } },
        { id: '2', method: 'GET', url: `/users/${user.graphId}?$select=id,accountEnabled`, dependsOn: ['1'] },
        { id: '3', method: 'GET', url: '/users/nobody@sample-company.example' },
      ],
    })) as { responses: { id: string; status: number; headers: Record<string, string>; body?: Record<string, unknown> }[] };

    const byId = Object.fromEntries(answer.responses.map((response) => [response.id, response]));
    expect(answer.responses).toHaveLength(3);
    expect(byId['1']).toMatchObject({ status: 204 });
    expect(byId['1']!.body).toBeUndefined();
    expect(byId['2']).toMatchObject({ status: 200, body: { '@odata.context': `${baseUrl}/$metadata#users(id,accountEnabled)/$entity`, id: user.graphId, accountEnabled: false } });
    expect(byId['3']).toMatchObject({ status: 404, body: { error: { code: 'Request_ResourceNotFound', message: "Resource 'nobody@sample-company.example' does not exist or one of its queried reference-property objects are not present." } } });
    expect(byId['3']!.headers['Content-Type']).toBe('application/json');

    // Graph counts and throttles each item of a batch, not the batch: the log holds the three calls.
    const logged = calls.slice(before);
    expect(logged.map((call) => [call.name, call.method, call.status]).sort()).toEqual([
      ['graph.users.get', 'GET', 200],
      ['graph.users.get', 'GET', 404],
      ['graph.users.update', 'PATCH', 204],
    ]);
    expect(logged.map((call) => call.path)).toContain(`/v1.0/users/${user.graphId}`);
  });

  test('fails a request whose dependency failed with 424, without running or counting it', async () => {
    const grant = tenant.permissionGrants.find((candidate) => candidate.consentType === 'Principal')!;
    const before = calls.length;
    const answer = await graph().api('/$batch').post({
      requests: [
        { id: 'missing', method: 'GET', url: '/users/00000000-0000-4000-8000-000000000000' },
        { id: 'delete', method: 'DELETE', url: `/oauth2PermissionGrants/${grant.id}`, dependsOn: ['missing'] },
      ],
    });
    const byId = Object.fromEntries((answer.responses as { id: string; status: number }[]).map((response) => [response.id, response.status]));
    expect(byId).toEqual({ missing: 404, delete: 424 });
    expect(tenant.permissionGrants).toContain(grant);
    expect(calls.slice(before).map((call) => [call.name, call.status])).toEqual([['graph.users.get', 404]]);
  });

  test('checks each batch item against the scopes of the token that sent the batch', async () => {
    const answer = await graph('user-reader-token').api('/$batch').post({
      requests: [
        { id: 'users', method: 'GET', url: '/users?$top=1' },
        { id: 'grants', method: 'GET', url: '/oauth2PermissionGrants' },
      ],
    });
    const byId = Object.fromEntries((answer.responses as { id: string; status: number; body: { error?: { code: string } } }[]).map((response) => [response.id, response]));
    expect(byId.users!.status).toBe(200);
    expect(byId.grants).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied' } } });
  });

  /** One batch to the Graph routes on a plain-http listener with these faults; its items' answers by id, and the calls logged. */
  async function batchWithFaults(faults: Pick<ApiServerOptions, 'beforeRoute' | 'afterRoute'>, requests: unknown[]) {
    const calls: ApiCall[] = [];
    const plain = createHttpServer(
      createApiListener({
        routes: graphRoutes(tenant, { baseUrl: 'http://127.0.0.1/v1.0' }),
        errors: graphErrors,
        authenticate: async (token) => (tokens[token] ? new Set(tokens[token]) : null),
        calls,
        ...faults,
      }),
    );
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', () => resolve()));
    try {
      const response = await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/v1.0/$batch`, {
        method: 'POST',
        headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
      expect(response.status).toBe(200);
      const { responses } = (await response.json()) as { responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] };
      return { byId: Object.fromEntries(responses.map((item) => [item.id, item])), calls };
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  }

  test('throttles a batch item on its own: the fault plan answers that item 429 with Retry-After', async () => {
    const { byId, calls: throttledCalls } = await batchWithFaults(
      {
        beforeRoute: async (route) =>
          route.name === 'graph.oauth2PermissionGrants.list' ? { status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } } } : undefined,
      },
      [
        { id: 'users', method: 'GET', url: '/users?$top=1' },
        { id: 'grants', method: 'GET', url: '/oauth2PermissionGrants' },
      ],
    );
    expect(byId.users!.status).toBe(200);
    expect(byId.grants).toMatchObject({ status: 429, headers: { 'Retry-After': '7' } });
    expect(throttledCalls.map((call) => [call.name, call.status]).sort()).toEqual([
      ['graph.oauth2PermissionGrants.list', 429],
      ['graph.users.list', 200],
    ]);
  });

  test('a batch item whose answer is lost after its change is answered 503 in the batch, as it cannot drop the batch’s connection, and its change is logged', async () => {
    const user = tenant.users[40]!;
    const { byId, calls: lossyCalls } = await batchWithFaults({ afterRoute: createLostAnswerPlan(graphFaults, { lostAnswerRate: 1, lostAnswerAs: 'dropped' }) }, [
      { id: 'read', method: 'GET', url: `/users/${user.graphId}?$select=id` },
      { id: 'revoke', method: 'POST', url: `/users/${user.graphId}/revokeSignInSessions`, body: {}, headers: { 'content-type': 'application/json' } },
    ]);
    expect(byId.read!.status).toBe(200);
    expect(byId.revoke).toMatchObject({ status: 503, body: { error: { code: 'serviceNotAvailable' } } });
    expect(lossyCalls.map(({ name, status, effects, lostAnswer }) => ({ name, status, effects, lostAnswer })).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'graph.users.get', status: 200, effects: undefined, lostAnswer: undefined },
      { name: 'graph.users.revokeSignInSessions', status: 200, effects: [`microsoft.sessions.revoke:${user.graphId}`], lostAnswer: 'unavailable' },
    ]);
  });

  test("works with the client's BatchRequestContent, whose URLs carry the version", async () => {
    const user = tenant.users[30]!;
    const content = new BatchRequestContent([
      { id: 'get', request: new Request(`${baseUrl}/users/${user.graphId}?$select=id`, { method: 'GET' }) },
      { id: 'revoke', request: new Request(`${baseUrl}/users/${user.graphId}/revokeSignInSessions`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }), dependsOn: ['get'] },
    ]);
    const response = new BatchResponseContent(await graph().api('/$batch').post(await content.getContent()));
    expect(response.getResponseById('get').status).toBe(200);
    expect(response.getResponseById('revoke').status).toBe(200);
    expect(await response.getResponseById('revoke').json()).toEqual({ '@odata.context': `${baseUrl}/$metadata#Edm.Boolean`, value: true });
    expect(tenant.revokedSessionGraphUsers.has(user.graphId)).toBe(true);
  });

  test('refuses a batch of more than 20 requests, or a write without a body, with a 400 for the whole batch', async () => {
    const tooMany = await graphFailure(graph().api('/$batch').post({ requests: Array.from({ length: 21 }, (_, index) => ({ id: String(index), method: 'GET', url: '/users?$top=1' })) }));
    expect([tooMany.statusCode, tooMany.code]).toEqual([400, 'BadRequest']);
    const twenty = await graph().api('/$batch').post({ requests: Array.from({ length: 20 }, (_, index) => ({ id: String(index), method: 'GET', url: '/users?$top=1' })) });
    expect(twenty.responses).toHaveLength(20);

    const noBody = await graphFailure(graph().api('/$batch').post({ requests: [{ id: '1', method: 'POST', url: `/users/${tenant.users[2]!.graphId}/revokeSignInSessions` }] }));
    expect(noBody.statusCode).toBe(400);
    expect(noBody.message).toBe('Write request id : 1 does not contain Content-Type header or body.');
    const unknownDependency = await graphFailure(graph().api('/$batch').post({ requests: [{ id: '1', method: 'GET', url: '/users', dependsOn: ['0'] }] }));
    expect(unknownDependency.statusCode).toBe(400);
  });
});
