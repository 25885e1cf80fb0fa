import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditedGrant, ProviderScan, ScanProgress } from '../../../src-main/audit/grant-model';
import type { RevocationTarget } from '../../../src-main/audit/provider-audit';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { classifyGraphFailure } from '../../../src-main/providers/microsoft/graph-failure';
import { microsoftGrantAudit } from '../../../src-main/providers/microsoft/microsoft-audit';
import { removeMicrosoftScopes } from '../../../src-main/providers/microsoft/microsoft-grant-revoker';
import { startTenantSimulator, type TenantSimulator, type TenantSimulatorOptions } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedEntraAccessToken } from '../../support/simulated-entra-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
/** The process's trusted certificates before any simulator's: each simulator's own replaces the last one's. */
const defaultCertificates = getCACertificates('default');


async function startSimulator(options: { seed: number; users: number; faults?: TenantSimulatorOptions['faults'] }): Promise<TenantSimulator> {
  const simulator = await startTenantSimulator({ ...options, referenceTime });
  // The simulated Entra and Graph present a certificate generated at start; this process trusts it.
  // Only the current one: every simulator's certificate has the same subject, and OpenSSL would
  // find an earlier one first.
  setDefaultCACertificates([...defaultCertificates, simulator.microsoft.certificate]);
  return simulator;
}

function callContext(simulator: TenantSimulator, token: string, scheduler = new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure })): ProviderCallContext {
  return { apiBaseUrl: simulator.microsoft.graphBaseUrl, settings: {}, accessToken: async () => token, scheduler };
}

async function scan(simulator: TenantSimulator, token: string) {
  const scheduler = new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure });
  const progress: ScanProgress[] = [];
  const result = await microsoftGrantAudit.scan({ ...callContext(simulator, token, scheduler), onProgress: (step) => progress.push(step) });
  return { result, progress, scheduler };
}

function target(result: ProviderScan, grant: AuditedGrant): RevocationTarget {
  return { app: result.apps.find((app) => app.key === grant.appKey)!, grant };
}

describe('scanning Microsoft Entra grants', () => {
  let simulator: TenantSimulator;
  let auditToken: string;
  beforeAll(async () => {
    simulator = await startSimulator({ seed: 5, users: 150 });
    auditToken = await simulatedEntraAccessToken(simulator, []);
  });
  afterAll(() => simulator?.close());

  test('finds every delegated grant and application permission the tenant has, over every service principal', async () => {
    const { tenant } = simulator;
    const { result, progress } = await scan(simulator, auditToken);
    expect(result).toMatchObject({ total: tenant.apps.length + 1, completed: tenant.apps.length + 1, incomplete: [] });

    const delegated = result.grants.filter((grant) => grant.access === 'delegated');
    expect(delegated.map((grant) => (grant.evidence as { id: string }).id).sort()).toEqual(tenant.permissionGrants.map((grant) => grant.id).sort());
    const withApplication = tenant.apps.filter((app) => app.graphApplication.length > 0);
    const application = result.grants.filter((grant) => grant.access === 'application');
    expect(application).toHaveLength(withApplication.length);
    for (const app of withApplication) {
      const grant = application.find((candidate) => candidate.appKey === `microsoft:${app.appId}`)!;
      expect(grant).toMatchObject({ consent: 'tenant', user: null, key: `microsoft:${app.appId}|*|${tenant.graphServicePrincipalId}|application` });
      expect([...grant.scopes].sort()).toEqual([...app.graphApplication].sort());
    }
    expect(application.flatMap((grant) => grant.scopes)).toContain('Directory.ReadWrite.All');
    expect(new Set(result.grants.map((grant) => grant.key)).size).toBe(result.grants.length);
    expect(progress.at(-1)).toEqual({ phase: 'app roles', done: tenant.apps.length + 1, total: tenant.apps.length + 1, fraction: 1 });
    const fractions = progress.map((step) => step.fraction!);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  test('tells tenant-wide consent from per-user consent, naming each user by user principal name', async () => {
    const { tenant } = simulator;
    const { result } = await scan(simulator, auditToken);
    const byId = new Map(result.grants.map((grant) => [(grant.evidence as { id?: string }).id, grant]));
    for (const seeded of tenant.permissionGrants) {
      const grant = byId.get(seeded.id)!;
      const app = tenant.apps.find((candidate) => candidate.servicePrincipalId === seeded.clientId)!;
      expect(grant.scopes).toEqual(seeded.scope.split(' '));
      if (seeded.consentType === 'AllPrincipals') {
        expect(grant).toMatchObject({ consent: 'tenant', user: null, key: `microsoft:${app.appId}|*|${tenant.graphServicePrincipalId}|delegated` });
      } else {
        const user = tenant.users.find((candidate) => candidate.graphId === seeded.principalId)!;
        expect(grant).toMatchObject({ consent: 'user', user: user.primaryEmail, key: `microsoft:${app.appId}|${user.graphId}|${tenant.graphServicePrincipalId}|delegated` });
      }
    }
    expect(result.grants.some((grant) => grant.consent === 'tenant' && grant.access === 'delegated')).toBe(true);
  });

  test('reads each app’s publisher, whether it is verified, and whether the organisation built it', async () => {
    const { tenant } = simulator;
    const { result } = await scan(simulator, auditToken);
    const appOf = (key: string) => {
      const sample = tenant.apps.find((app) => app.key === key)!;
      return result.apps.find((app) => app.key === `microsoft:${sample.appId}`)!;
    };
    expect(appOf('meetslot')).toMatchObject({ name: 'MeetSlot Scheduler', publisher: 'MeetSlot Inc.', verifiedPublisher: true, internal: false, provider: 'microsoft' });
    expect(appOf('inboxzen')).toMatchObject({ publisher: 'InboxZen', verifiedPublisher: false, internal: false });
    expect(appOf('hrsync')).toMatchObject({ name: 'HR Sync Connector', verifiedPublisher: true, internal: true });
    // Only apps that hold access are listed: Microsoft Graph itself holds none.
    expect(result.apps.some((app) => app.clientId === '00000003-0000-0000-c000-000000000000')).toBe(false);
  });

  test('stops when cancelled instead of reporting what it did not read', async () => {
    const controller = new AbortController();
    const scheduler = new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure });
    const scanning = microsoftGrantAudit.scan({ ...callContext(simulator, auditToken, scheduler), signal: controller.signal, onProgress: (step) => step.phase === 'grants' && controller.abort() });
    await expect(scanning).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('gives the same keys on a second scan, so scans can be compared', async () => {
    const first = await scan(simulator, auditToken);
    const second = await scan(simulator, auditToken);
    expect(second.result.grants.map((grant) => grant.key).sort()).toEqual(first.result.grants.map((grant) => grant.key).sort());
  });
});

describe('scanning under injected faults', () => {
  let simulator: TenantSimulator;
  afterAll(() => simulator?.close());

  test('loses no service principal: each is read after retries or listed as incomplete with the reason', { timeout: 120_000 }, async () => {
    // Graph's 503s ask for no wait here: the Retry-After path is taken without sleeping 2 s per fault.
    simulator = await startSimulator({ seed: 3, users: 200, faults: { errorRate: 0.2, unavailableRetryAfterSeconds: 0 } });
    const { result, scheduler } = await scan(simulator, await simulatedEntraAccessToken(simulator, []));
    const principalsNotRead = result.incomplete.filter((item) => item.what.startsWith('application permissions of'));
    expect(result.total).toBe(simulator.tenant.apps.length + 1);
    expect(result.completed + principalsNotRead.length).toBe(result.total);
    for (const item of result.incomplete) expect(item.reason).toMatch(/^Microsoft Graph (answered \d{3}|could not be reached)/);
    if (result.incomplete.length === 0) expect(result.grants.filter((grant) => grant.access === 'delegated')).toHaveLength(simulator.tenant.permissionGrants.length);
    expect(scheduler.stats().retries).toBeGreaterThan(0);
  });
});

describe('revoking Microsoft grants', () => {
  let simulator: TenantSimulator;
  let auditToken: string;
  let remediate: ProviderCallContext;
  beforeAll(async () => {
    simulator = await startSimulator({ seed: 9, users: 120 });
    auditToken = await simulatedEntraAccessToken(simulator, []);
    // Exactly the revoke_grants capability: its scopes suffice for every revocation below.
    remediate = callContext(simulator, await simulatedEntraAccessToken(simulator, ['revoke_grants']));
  });
  afterAll(() => simulator?.close());

  test('deletes a user’s delegated grant, verifies it, and the next scan no longer finds it; again it is already gone', async () => {
    const { result } = await scan(simulator, auditToken);
    const grant = result.grants.find((candidate) => candidate.consent === 'user')!;
    expect(microsoftGrantAudit.describeRevocation(target(result, grant))).toBe(`Delete the delegated grant (oauth2PermissionGrant) of ${target(result, grant).app.name} for ${grant.user}.`);
    expect(await microsoftGrantAudit.revoke(remediate, target(result, grant))).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
    expect(simulator.tenant.permissionGrants.some((seeded) => seeded.id === (grant.evidence as { id: string }).id)).toBe(false);
    const rescan = await scan(simulator, auditToken);
    expect(rescan.result.grants.map((candidate) => candidate.key)).not.toContain(grant.key);

    expect(await microsoftGrantAudit.revoke(remediate, target(result, grant))).toMatchObject({ outcome: 'already_gone', verified: true, errorCode: null });
  });

  test('with the audit scopes only, Graph refuses the revocation with its 403 and the grant stays', async () => {
    const { result } = await scan(simulator, auditToken);
    const grant = result.grants.find((candidate) => candidate.consent === 'user')!;
    expect(await microsoftGrantAudit.revoke(callContext(simulator, auditToken), target(result, grant))).toMatchObject({ outcome: 'failed', verified: false, errorCode: 'permission_denied' });
    expect(simulator.tenant.permissionGrants.some((seeded) => seeded.id === (grant.evidence as { id: string }).id)).toBe(true);
  });

  test('removes every application permission of an app, verified by reading its assignments back', async () => {
    const { result } = await scan(simulator, auditToken);
    const backup = simulator.tenant.apps.find((app) => app.key === 'backupvault')!;
    const grant = result.grants.find((candidate) => candidate.access === 'application' && candidate.appKey === `microsoft:${backup.appId}`)!;
    expect(microsoftGrantAudit.describeRevocation(target(result, grant))).toBe('Remove 3 application permissions (app role assignments) of Backup Vault Cloud.');
    const outcome = await microsoftGrantAudit.revoke(remediate, target(result, grant));
    expect(outcome).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
    expect(simulator.tenant.appRoleAssignments.filter((assignment) => assignment.principalId === backup.servicePrincipalId)).toEqual([]);
    const rescan = await scan(simulator, auditToken);
    expect(rescan.result.grants.some((candidate) => candidate.appKey === grant.appKey)).toBe(false);
  });

  test('narrows a tenant-wide grant to the scopes that stay, and deletes it when none stays', async () => {
    const { result } = await scan(simulator, auditToken);
    const meeting = simulator.tenant.apps.find((app) => app.key === 'meetingbridge')!;
    const grant = result.grants.find((candidate) => candidate.consent === 'tenant' && candidate.appKey === `microsoft:${meeting.appId}` && candidate.access === 'delegated')!;
    expect(microsoftGrantAudit.describeRevocation(target(result, grant))).toBe('Delete the delegated grant (oauth2PermissionGrant) of MeetingBridge for everyone in the organisation (tenant-wide).');
    expect(await removeMicrosoftScopes(remediate, target(result, grant), ['OnlineMeetings.ReadWrite'])).toMatchObject({ outcome: 'revoked', verified: true });
    const seeded = simulator.tenant.permissionGrants.find((candidate) => candidate.id === (grant.evidence as { id: string }).id)!;
    expect(seeded.scope).toBe('User.Read Calendars.Read');
    expect(await removeMicrosoftScopes(remediate, target(result, grant), ['User.Read', 'Calendars.Read'])).toMatchObject({ outcome: 'revoked', verified: true });
    expect(simulator.tenant.permissionGrants).not.toContain(seeded);
  });

  test('an audit sign-in may not revoke: the grant stays and the outcome says permission denied', async () => {
    const { result } = await scan(simulator, auditToken);
    const grant = result.grants.find((candidate) => candidate.consent === 'user')!;
    const outcome = await microsoftGrantAudit.revoke(callContext(simulator, auditToken), target(result, grant));
    expect(outcome).toEqual({ outcome: 'failed', verified: false, errorCode: 'permission_denied', message: 'Deleting the delegated grant failed: Microsoft Graph answered 403 (Authorization_RequestDenied).' });
    expect(simulator.tenant.permissionGrants.some((seeded) => seeded.id === (grant.evidence as { id: string }).id)).toBe(true);
  });

  test('signs a user out everywhere, and the simulator’s state shows it', async () => {
    const user = simulator.tenant.users[7]!;
    // Through the context's fetch, as the sample workspace passes one that pins its certificate.
    const sent: string[] = [];
    const context: ProviderCallContext = { ...remediate, fetch: (input, init) => (sent.push(`${init?.method} ${String(input)}`), fetch(input, init)) };
    expect(await microsoftGrantAudit.revokeSignInSessions!(context, user.primaryEmail)).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
    expect(sent).toEqual([`POST ${simulator.microsoft.graphBaseUrl}/users/${encodeURIComponent(user.primaryEmail)}/revokeSignInSessions`, expect.stringMatching(/^GET .*signInSessionsValidFromDateTime/)]);
    const inspection = (await (await fetch(simulator.inspectionUrl)).json()) as { state: { revokedSessionGraphUsers: string[] }; calls: { byEndpoint: Record<string, number> } };
    expect(inspection.state.revokedSessionGraphUsers).toContain(user.graphId);
    expect(inspection.calls.byEndpoint['graph.users.revokeSignInSessions']).toBe(1);
  });
});
