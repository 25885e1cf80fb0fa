import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { simulatedTenant } from '../../../src-main/sample/simulator/simulated-tenant';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedEntraTokenWithScopes, simulatedGraphClient } from '../../support/simulated-entra-sign-in';

let simulator: TenantSimulator;

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 5, users: 120, referenceTime: new Date('2026-11-21T09:00:00Z') });
  // The simulated Entra and Graph present a certificate generated at start; this process trusts it.
  setDefaultCACertificates([...getCACertificates('default'), simulator.microsoft.certificate]);
});

afterAll(() => simulator?.close());

describe('simulated Entra and Graph, signed in through msal-node', () => {
  test('an audit sign-in lists users and delegated grants', async () => {
    const client = await simulatedGraphClient(simulator, []);
    const users = (await client.api('/users').top(999).get()) as { value: unknown[] };
    expect(users.value).toHaveLength(120);
    const grants = (await client.api('/oauth2PermissionGrants').filter("consentType eq 'AllPrincipals'").get()) as { value: { consentType: string }[] };
    expect(grants.value.length).toBeGreaterThan(0);
    expect(grants.value.every((grant) => grant.consentType === 'AllPrincipals')).toBe(true);
  });

  test('an audit sign-in may not delete a grant: 403 Authorization_RequestDenied, and the grant stays', async () => {
    const client = await simulatedGraphClient(simulator, []);
    const grant = simulator.tenant.permissionGrants[0]!;
    const error = (await client.api(`/oauth2PermissionGrants/${grant.id}`).delete().catch((caught: unknown) => caught)) as GraphError;
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Authorization_RequestDenied');
    expect(simulator.tenant.permissionGrants).toContain(grant);
  });

  test('a sign-in allowed to revoke grants revokes a grant and a user’s sessions, and the state says so', async () => {
    const client = await simulatedGraphClient(simulator, ['revoke_grants']);
    const grant = simulator.tenant.permissionGrants.find((candidate) => candidate.consentType === 'Principal')!;
    await client.api(`/oauth2PermissionGrants/${grant.id}`).delete();
    expect(simulator.tenant.permissionGrants).not.toContain(grant);
    const user = simulator.tenant.users[3]!;
    await client.api(`/users/${user.graphId}/revokeSignInSessions`).post({});
    const inspection = (await (await fetch(simulator.inspectionUrl)).json()) as { state: { revokedSessionGraphUsers: string[] }; calls: { byEndpoint: Record<string, number> } };
    expect(inspection.state.revokedSessionGraphUsers).toContain(user.graphId);
    expect(Object.keys(inspection.calls.byEndpoint)).toEqual(expect.arrayContaining(['graph.oauth2PermissionGrants.delete']));
  });
});

describe('simulated Graph for offboarding: a user’s app role assignments, Global Administrators, and the effects each change records', () => {
  const graphUrl = (path: string) => `${simulator.microsoft.graphBaseUrl}${path}`;
  const effectsSince = (from: number) => simulator.calls.slice(from).flatMap((call) => call.effects ?? []);
  const active = (index: number) => simulator.tenant.users.filter((user) => !user.isAdmin && !user.departed && !user.suspended)[index]!;
  const defaultRole = '00000000-0000-0000-0000-000000000000';

  test('lists a user’s own app role assignments in pages, and deletes one through either route, each an effect once', async () => {
    const client = await simulatedGraphClient(simulator, ['offboarding']);
    const user = active(0);
    const apps = simulator.tenant.apps.slice(0, 3);
    for (const app of apps) {
      const created = (await client.api(`/users/${user.graphId}/appRoleAssignments`).post({ principalId: user.graphId, resourceId: app.servicePrincipalId, appRoleId: defaultRole })) as Record<string, unknown>;
      expect(created).toMatchObject({ '@odata.context': `${simulator.microsoft.graphBaseUrl}/$metadata#users('${user.graphId}')/appRoleAssignments/$entity`, principalId: user.graphId, principalType: 'User', resourceId: app.servicePrincipalId, resourceDisplayName: app.name, appRoleId: defaultRole });
    }
    const first = (await client.api(`/users/${user.graphId}/appRoleAssignments`).top(2).get()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    expect(first.value).toHaveLength(2);
    const second = (await client.api(first['@odata.nextLink']!).get()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    expect(second.value).toHaveLength(1);
    expect(second['@odata.nextLink']).toBeUndefined();
    const ids = [...first.value, ...second.value].map((assignment) => assignment.id);

    const from = simulator.calls.length;
    await client.api(`/users/${user.graphId}/appRoleAssignments/${ids[0]}`).delete();
    await client.api(`/servicePrincipals/${apps[1]!.servicePrincipalId}/appRoleAssignedTo/${ids[1]}`).delete();
    const again = (await client.api(`/users/${user.graphId}/appRoleAssignments/${ids[0]}`).delete().catch((caught: unknown) => caught)) as GraphError;
    expect(again).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });
    expect(effectsSince(from)).toEqual([`microsoft.app_role_assignment.delete:${user.graphId}:${ids[0]}`, `microsoft.app_role_assignment.delete:${user.graphId}:${ids[1]}`]);
    expect(simulator.tenant.appRoleAssignments.filter((assignment) => assignment.principalId === user.graphId).map((assignment) => assignment.id)).toEqual([ids[2]]);
  });

  test('each departed user who consented to an app starts assigned to the first of them, with its default role', async () => {
    const client = await simulatedGraphClient(simulator, []);
    // Read from a tenant as seeded: the tests above deleted a grant.
    const seeded = simulatedTenant({ seed: 5, users: 120, referenceTime: new Date('2026-11-21T09:00:00Z') });
    const departedUsers = seeded.users.filter((candidate) => candidate.departed);
    expect(departedUsers.length).toBeGreaterThan(0);
    let assigned = 0;
    for (const user of departedUsers) {
      const clientId = seeded.permissionGrants.find((grant) => grant.principalId === user.graphId)?.clientId;
      const listed = (await client.api(`/users/${user.graphId}/appRoleAssignments`).get()) as { value: Record<string, unknown>[] };
      // One who consented to no app is assigned to none.
      expect(listed.value).toEqual(clientId ? [expect.objectContaining({ principalId: user.graphId, principalType: 'User', resourceId: clientId, appRoleId: defaultRole })] : []);
      if (clientId) assigned += 1;
    }
    expect(assigned).toBeGreaterThan(departedUsers.length / 2);
  });

  test('an audit sign-in reads a user’s assignments (Directory.Read.All) but may not delete one, nor assign a role the app does not publish', async () => {
    const writer = await simulatedGraphClient(simulator, ['offboarding']);
    const user = active(1);
    const app = simulator.tenant.apps[4]!;
    const created = (await writer.api(`/users/${user.graphId}/appRoleAssignments`).post({ principalId: user.graphId, resourceId: app.servicePrincipalId, appRoleId: defaultRole })) as { id: string };
    const unknownRole = (await writer.api(`/users/${user.graphId}/appRoleAssignments`).post({ principalId: user.graphId, resourceId: app.servicePrincipalId, appRoleId: '11111111-1111-4111-8111-111111111111' }).catch((caught: unknown) => caught)) as GraphError;
    expect(unknownRole.statusCode).toBe(400);

    const audit = await simulatedGraphClient(simulator, []);
    const listed = (await audit.api(`/users/${user.graphId}/appRoleAssignments`).select('id,resourceId').get()) as { value: Record<string, unknown>[] };
    expect(listed.value).toEqual([{ id: created.id, resourceId: app.servicePrincipalId }]);
    const refused = (await audit.api(`/users/${user.graphId}/appRoleAssignments/${created.id}`).delete().catch((caught: unknown) => caught)) as GraphError;
    expect(refused).toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
    expect(simulator.tenant.appRoleAssignments.some((assignment) => assignment.id === created.id)).toBe(true);
  });

  test('the Global Administrator role’s members, by template id or role id, are the sample’s admins as directory objects; a users-only sign-in is refused', async () => {
    const client = await simulatedGraphClient(simulator, []);
    const admins = simulator.tenant.users.filter((user) => user.isAdmin);
    const byTemplate = (await client.api("/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members").select('id,userPrincipalName').get()) as { value: Record<string, unknown>[]; '@odata.context': string };
    expect(byTemplate['@odata.context']).toBe(`${simulator.microsoft.graphBaseUrl}/$metadata#directoryObjects(id,userPrincipalName)`);
    expect(byTemplate.value).toEqual(admins.map((user) => ({ '@odata.type': '#microsoft.graph.user', id: user.graphId, userPrincipalName: user.primaryEmail })));
    const unknown = (await client.api("/directoryRoles(roleTemplateId='9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3')/members").get().catch((caught: unknown) => caught)) as GraphError;
    expect(unknown).toMatchObject({ statusCode: 404, code: 'Request_ResourceNotFound' });

    const usersOnly = await simulatedEntraTokenWithScopes(simulator, ['User.Read.All']);
    const refused = await fetch(graphUrl("/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members"), { headers: { authorization: `Bearer ${usersOnly}` } });
    expect(refused.status).toBe(403);
    const roleReader = await simulatedEntraTokenWithScopes(simulator, ['RoleManagement.Read.Directory']);
    expect((await fetch(graphUrl("/directoryRoles(roleTemplateId='62e90394-69f5-4237-9190-012177145e10')/members?$select=id"), { headers: { authorization: `Bearer ${roleReader}` } })).status).toBe(200);
  });

  test('each revokeSignInSessions is an effect and moves signInSessionsValidFromDateTime to the whole second; accountEnabled is an effect only when it changes', async () => {
    const client = await simulatedGraphClient(simulator, ['offboarding']);
    const user = active(2);
    const from = simulator.calls.length;
    const started = Date.now();
    await client.api(`/users/${user.graphId}/revokeSignInSessions`).post({});
    await client.api(`/users/${user.graphId}/revokeSignInSessions`).post({});
    const read = (await client.api(`/users/${user.graphId}`).select('id,signInSessionsValidFromDateTime').get()) as { signInSessionsValidFromDateTime: string };
    expect(read.signInSessionsValidFromDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(read.signInSessionsValidFromDateTime)).toBeGreaterThanOrEqual(Math.floor(started / 1_000) * 1_000);

    await client.api(`/users/${user.graphId}`).patch({ accountEnabled: true });
    await client.api(`/users/${user.graphId}`).patch({ accountEnabled: false });
    await client.api(`/users/${user.graphId}`).patch({ accountEnabled: false });
    expect(effectsSince(from)).toEqual([`microsoft.sessions.revoke:${user.graphId}`, `microsoft.sessions.revoke:${user.graphId}`, `microsoft.user.account_enabled:${user.graphId}:false`]);
    expect(simulator.tenant.entraAccountEnabled.get(user.graphId)).toBe(false);
    // Google's suspension is the other account's: left alone.
    expect(user.suspended).toBe(false);
  });

  test('a person’s delegated grants are listed with $filter on principalId, and each delete is an effect naming the person', async () => {
    const client = await simulatedGraphClient(simulator, ['offboarding']);
    const user = simulator.tenant.users.find((candidate) => simulator.tenant.permissionGrants.filter((grant) => grant.principalId === candidate.graphId).length >= 2)!;
    const listed = (await client.api('/oauth2PermissionGrants').filter(`principalId eq '${user.graphId}'`).get()) as { value: { id: string; principalId: string }[] };
    expect(listed.value.map((grant) => grant.id).sort()).toEqual(simulator.tenant.permissionGrants.filter((grant) => grant.principalId === user.graphId).map((grant) => grant.id).sort());
    const from = simulator.calls.length;
    await client.api(`/oauth2PermissionGrants/${listed.value[0]!.id}`).delete();
    expect(effectsSince(from)).toEqual([`microsoft.delegated_grant.delete:${user.graphId}:${listed.value[0]!.id}`]);
  });

  test('answers carry Graph’s request-id and echo the client-request-id, on success and on failure', async () => {
    const token = await simulatedEntraTokenWithScopes(simulator, ['User.Read.All']);
    const sent = '7b3f0c7e-2a51-4c61-9d55-3f7c2b0a9e11';
    const ok = await fetch(graphUrl(`/users/${active(3).graphId}?$select=id`), { headers: { authorization: `Bearer ${token}`, 'client-request-id': sent } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get('client-request-id')).toBe(sent);
    const refused = await fetch(graphUrl(`/users/${active(3).graphId}/revokeSignInSessions`), { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused.headers.get('client-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
