import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import type { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedGraphClient } from '../../support/simulated-entra-sign-in';

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
