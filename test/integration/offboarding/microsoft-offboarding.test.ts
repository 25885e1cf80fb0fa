/**
 * The Microsoft offboarding adapter against the simulated Entra tenant, signed in as its admin:
 * the directory with its Global Administrators and every address of each person, each step
 * carried out and read back, a second apply that changes nothing (proven by the simulator's
 * effects), a revocation repeated after a stop that is found done, a revocation judged by Graph's
 * clock however far this machine's is off, a revocation whose answer is lost that is found applied
 * and not sent again, and the refusals of a sign-in without the offboarding capability.
 */
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import type { StepTarget } from '../../../src-main/offboarding/offboarding-port';
import { classifyGraphFailure } from '../../../src-main/providers/microsoft/graph-failure';
import { microsoftModule } from '../../../src-main/providers/microsoft/microsoft-module';
import { microsoftOffboarding as offboarding } from '../../../src-main/providers/microsoft/microsoft-offboarding';
import type { SampleUser } from '../../../src-main/sample/sample-tenant';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { simulatedEntraAccessToken, simulatedEntraTokenWithScopes } from '../../support/simulated-entra-sign-in';

const defaultCertificates = getCACertificates('default');
const referenceTime = new Date('2026-11-21T09:00:00Z');
/** How far the simulated Graph's clock is from this machine's; the clock tests move it. */
let graphClockOffsetMs = 0;
const graphClock = () => new Date(Date.now() + graphClockOffsetMs);
/** Graph keeps whole seconds. */
const graphSecond = (at: number) => `${new Date(at).toISOString().slice(0, 19)}Z`;
const kinds = ['microsoft.revoke_sessions', 'microsoft.delegated_grants', 'microsoft.app_role_assignments', 'microsoft.disable'];
const noStop = new AbortController().signal;

/** A scheduler that counts what it was given, to prove every call went through it. */
class CountingScheduler extends RequestScheduler {
  scheduled = 0;
  override schedule<T>(call: () => Promise<T>, options?: Parameters<RequestScheduler['schedule']>[1]): Promise<T> {
    this.scheduled += 1;
    return super.schedule(call, options);
  }
}

function callContext(simulator: TenantSimulator, token: string): ProviderCallContext & { scheduler: CountingScheduler } {
  return { apiBaseUrl: simulator.microsoft.graphBaseUrl, settings: { issuer: simulator.microsoft.authority }, accessToken: async () => token, scheduler: new CountingScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure }) };
}

/** What a call was refused with: an AppError, as the port promises. */
async function refusalOf(call: Promise<unknown>): Promise<AppError> {
  const error: unknown = await call.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('the Microsoft offboarding adapter against the simulated Entra tenant', () => {
  let simulator: TenantSimulator;
  let admin: ProviderCallContext & { scheduler: CountingScheduler };
  /** The audit's scopes only: reads, but no change. */
  let audit: ProviderCallContext;

  const effects = () => simulator.calls.flatMap((call) => call.effects ?? []);
  const callsNamed = (name: string) => simulator.calls.filter((call) => call.name === name).length;
  const grantsOf = (user: SampleUser) => simulator.tenant.permissionGrants.filter((grant) => grant.principalId === user.graphId);
  const assignmentsOf = (user: SampleUser) => simulator.tenant.appRoleAssignments.filter((assignment) => assignment.principalId === user.graphId);
  const targetOf = async (user: SampleUser, confirmedAt = new Date().toISOString()): Promise<StepTarget> => ({ person: (await offboarding.findPerson(admin, user.primaryEmail))!, transferTo: null, confirmedAt });

  /** A departed person with delegated grants, assigned to two more apps through Graph itself. */
  async function departedWithAccess(skip = 0): Promise<SampleUser> {
    const user = simulator.tenant.users.filter((candidate) => candidate.departed && grantsOf(candidate).length > 0)[skip]!;
    const token = await simulatedEntraAccessToken(simulator, ['offboarding']);
    const assigned = new Set(assignmentsOf(user).map((assignment) => assignment.resourceId));
    for (const app of simulator.tenant.apps.filter((candidate) => !assigned.has(candidate.servicePrincipalId)).slice(0, 2)) {
      const response = await fetch(`${simulator.microsoft.graphBaseUrl}/users/${user.graphId}/appRoleAssignments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ principalId: user.graphId, resourceId: app.servicePrincipalId, appRoleId: '00000000-0000-0000-0000-000000000000' }),
      });
      expect(response.status).toBe(201);
    }
    return user;
  }

  beforeAll(async () => {
    simulator = await startTenantSimulator({ seed: 13, users: 150, referenceTime, graphClock });
    setDefaultCACertificates([...defaultCertificates, simulator.microsoft.certificate]);
    admin = callContext(simulator, await simulatedEntraAccessToken(simulator, ['offboarding']));
    audit = callContext(simulator, await simulatedEntraAccessToken(simulator, []));
  });
  afterAll(async () => {
    setDefaultCACertificates(defaultCertificates);
    await simulator?.close();
  });

  test('is the Microsoft module’s offboarding, and reads every user with the Global Administrators marked', async () => {
    expect(microsoftModule.offboarding).toBe(offboarding);
    expect(offboarding.directory).toBe('api');
    const reading = await offboarding.readDirectory(audit);
    expect(reading.superAdminsKnown).toBe(true);
    expect(reading.people).toHaveLength(150);
    for (const user of simulator.tenant.users) {
      // Every mailbox also answers to an alias on the tenant's initial domain.
      const alias = `${user.primaryEmail.split('@')[0]}@samplecompany.onmicrosoft.com`;
      expect(reading.people).toContainEqual({ id: user.graphId, email: user.primaryEmail, addresses: [user.primaryEmail, alias], displayName: `${user.givenName} ${user.familyName}`, suspended: user.suspended, superAdmin: user.isAdmin });
    }
    expect(reading.people.filter((person) => person.superAdmin)).toHaveLength(simulator.tenant.users.filter((user) => user.isAdmin).length);
  });

  test('says the super admins are unknown, and marks no one, when the sign-in may read users but not directory roles', async () => {
    const usersOnly = callContext(simulator, await simulatedEntraTokenWithScopes(simulator, ['User.Read.All']));
    const reading = await offboarding.readDirectory(usersOnly);
    expect(reading.superAdminsKnown).toBe(false);
    expect(reading.people).toHaveLength(150);
    expect(reading.people.some((person) => person.superAdmin)).toBe(false);
  });

  test('finds a person by address whatever its case and spaces, with their admin role, and nobody for an unknown address', async () => {
    const administrator = simulator.tenant.users.find((user) => user.isAdmin)!;
    expect(await offboarding.findPerson(audit, `  ${administrator.primaryEmail.toUpperCase()} `)).toMatchObject({ id: administrator.graphId, email: administrator.primaryEmail, superAdmin: true, suspended: false });
    const suspended = simulator.tenant.users.find((user) => user.suspended)!;
    expect(await offboarding.findPerson(audit, suspended.primaryEmail)).toMatchObject({ id: suspended.graphId, suspended: true, superAdmin: false });
    expect(await offboarding.findPerson(audit, `nobody.here@${simulator.tenant.domain}`)).toBeNull();
    expect(await offboarding.findPerson(audit, `o'brien@${simulator.tenant.domain}`)).toBeNull();
  });

  test('finds a person by their sign-in name, their mail or an alias, and gives every address of theirs', async () => {
    const user = simulator.tenant.users.filter((candidate) => !candidate.isAdmin && !candidate.suspended)[7]!;
    const signInName = `${user.givenName.toLowerCase()}.sign-in@${simulator.tenant.domain}`;
    const alias = `${user.primaryEmail.split('@')[0]}@samplecompany.onmicrosoft.com`;
    simulator.tenant.entraUserPrincipalNames.set(user.graphId, signInName);
    try {
      for (const address of [signInName, user.primaryEmail, alias.toUpperCase()]) {
        expect(await offboarding.findPerson(audit, address)).toEqual({ id: user.graphId, email: user.primaryEmail, addresses: [user.primaryEmail, signInName, alias], displayName: `${user.givenName} ${user.familyName}`, suspended: false, superAdmin: false });
      }
      // The alias was found through Graph's lambda filter on proxyAddresses, as the reference has it.
      expect(simulator.calls.some((call) => call.name === 'graph.users.list' && call.status === 200)).toBe(true);
      expect((await offboarding.readDirectory(audit)).people.find((person) => person.id === user.graphId)!.addresses).toEqual([user.primaryEmail, signInName, alias]);
    } finally {
      simulator.tenant.entraUserPrincipalNames.delete(user.graphId);
    }
    expect(await offboarding.findPerson(audit, `someone.else@samplecompany.onmicrosoft.com`)).toBeNull();
  });

  test('orders the steps sessions, delegated grants, app role assignments, and disables only when asked, each with its place in the Entra admin center', () => {
    const withSuspend = offboarding.steps({ suspend: true, transferData: true }, {});
    expect(withSuspend.map((step) => step.kind)).toEqual(kinds);
    expect(offboarding.steps({ suspend: false, transferData: true }, {}).map((step) => step.kind)).toEqual(kinds.slice(0, 3));
    for (const step of withSuspend) {
      expect(step).toMatchObject({ mode: 'api', title: expect.any(String), why: expect.any(String), where: { label: expect.stringContaining('Microsoft Entra admin center'), url: expect.stringMatching(/^https:\/\/entra\.microsoft\.com\/#view\//) } });
    }
    expect(offboarding.steps({ suspend: true, transferData: false }, { cloud: 'usgov' })[0]!.where!.url).toMatch(/^https:\/\/portal\.azure\.us\//);
  });

  test('measures, then carries out every step once, reading back; a second apply finds each done and changes nothing', async () => {
    const user = await departedWithAccess();
    const grantIds = grantsOf(user).map((grant) => grant.id);
    const assignmentIds = assignmentsOf(user).map((assignment) => assignment.id);
    const target = await targetOf(user);
    expect(target.person).toMatchObject({ id: user.graphId, suspended: false, superAdmin: false });
    for (const kind of kinds) expect(offboarding.skipReason(kind, target)).toBeNull();

    // A time in words, to the second (Graph's precision), never an ISO stamp.
    const inWords = /^Sessions valid from \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} UTC/;
    expect(await offboarding.measure(admin, 'microsoft.revoke_sessions', target)).toEqual({ count: null, description: expect.stringMatching(new RegExp(`${inWords.source}; open sessions cannot be counted, all will be ended$`)) });
    expect(await offboarding.measure(admin, 'microsoft.delegated_grants', target)).toEqual({ count: grantIds.length, description: `${grantIds.length} delegated permission grant${grantIds.length === 1 ? '' : 's'}` });
    expect(assignmentIds.length).toBeGreaterThanOrEqual(3);
    expect(await offboarding.measure(admin, 'microsoft.app_role_assignments', target)).toEqual({ count: assignmentIds.length, description: `${assignmentIds.length} app role assignments (${assignmentsOf(user).map((assignment) => assignment.resourceDisplayName).join(', ')})` });
    expect(await offboarding.measure(admin, 'microsoft.disable', target)).toEqual({ count: 1, description: 'Account enabled; it will be disabled' });

    const before = effects().length;
    const scheduledBefore = admin.scheduler.scheduled;
    const callsBefore = simulator.calls.length;
    const results = [];
    for (const kind of kinds) results.push(await offboarding.apply(admin, kind, target, noStop));
    // Every Graph call of the run went through the tenant's scheduler.
    expect(admin.scheduler.scheduled - scheduledBefore).toBe(simulator.calls.length - callsBefore);

    const [sessions, grants, assignments, disabled] = results;
    expect(sessions).toMatchObject({ code: 'done', changed: 1, verified: true, before: expect.stringMatching(new RegExp(`${inWords.source}$`)), after: expect.stringMatching(new RegExp(`${inWords.source}$`)) });
    expect(Date.parse(simulator.tenant.signInSessionsValidFrom.get(user.graphId)!)).toBeGreaterThanOrEqual(Math.floor(Date.parse(target.confirmedAt) / 1_000) * 1_000);
    expect(grants).toMatchObject({ code: 'done', changed: grantIds.length, verified: true, after: 'None', message: expect.stringContaining('none remain') });
    expect(assignments).toMatchObject({ code: 'done', changed: assignmentIds.length, verified: true, before: `${assignmentIds.length} app role assignments`, after: 'None' });
    expect(disabled).toMatchObject({ code: 'done', changed: 1, verified: true, before: 'Enabled', after: 'Disabled' });
    for (const result of results) expect(result.requestIds).toHaveLength(result.changed);
    expect(results.flatMap((result) => result.requestIds).every((id) => /^[0-9a-f-]{36}$/.test(id))).toBe(true);
    expect(grantsOf(user)).toEqual([]);
    expect(assignmentsOf(user)).toEqual([]);
    expect(simulator.tenant.entraAccountEnabled.get(user.graphId)).toBe(false);

    const applied = effects().slice(before);
    expect(applied.sort()).toEqual(
      [
        `microsoft.sessions.revoke:${user.graphId}`,
        ...grantIds.map((id) => `microsoft.delegated_grant.delete:${user.graphId}:${id}`),
        ...assignmentIds.map((id) => `microsoft.app_role_assignment.delete:${user.graphId}:${id}`),
        `microsoft.user.account_enabled:${user.graphId}:false`,
      ].sort(),
    );

    const writesBefore = simulator.calls.filter((call) => call.method !== 'GET').length;
    for (const kind of kinds) {
      expect(await offboarding.apply(admin, kind, target, noStop)).toMatchObject({ code: 'already_done', changed: 0, verified: true, requestIds: [] });
    }
    expect(effects().length).toBe(before + applied.length);
    expect(simulator.calls.filter((call) => call.method !== 'GET').length).toBe(writesBefore);
    expect(await offboarding.measure(admin, 'microsoft.delegated_grants', target)).toEqual({ count: 0, description: '0 delegated permission grants' });
    expect(await offboarding.measure(admin, 'microsoft.disable', target)).toEqual({ count: 0, description: 'Account already disabled' });
  });

  test('a change Graph throttles with 429 and Retry-After is sent again by the scheduler, and applied once', async () => {
    const user = simulator.tenant.users.filter((candidate) => candidate.departed && grantsOf(candidate).length > 0)[2]!;
    const grantIds = grantsOf(user).map((grant) => grant.id);
    let throttled = 0;
    const throttling: ProviderCallContext = {
      ...admin,
      fetch: async (input, init) => {
        if (init?.method === 'DELETE' && throttled < grantIds.length) {
          throttled += 1;
          return new Response(JSON.stringify({ error: { code: 'TooManyRequests', message: 'Too many requests.' } }), { status: 429, headers: { 'retry-after': '0', 'content-type': 'application/json' } });
        }
        return fetch(input, init);
      },
    };
    const result = await offboarding.apply(throttling, 'microsoft.delegated_grants', await targetOf(user), noStop);
    expect(throttled).toBe(grantIds.length);
    expect(result).toMatchObject({ code: 'done', changed: grantIds.length, verified: true });
    for (const id of grantIds) expect(effects().filter((effect) => effect === `microsoft.delegated_grant.delete:${user.graphId}:${id}`)).toHaveLength(1);
  });

  test('a revocation sent before a stop is found done when the step is carried out again, and is not sent twice', async () => {
    const user = simulator.tenant.users.find((candidate) => candidate.departed && !candidate.suspended && !simulator.tenant.signInSessionsValidFrom.has(candidate.graphId))!;
    const target = await targetOf(user);
    // The run sent the POST, then stopped before it recorded the answer.
    const token = await simulatedEntraAccessToken(simulator, ['offboarding']);
    const sent = await fetch(`${simulator.microsoft.graphBaseUrl}/users/${user.graphId}/revokeSignInSessions`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(sent.status).toBe(200);
    const posts = callsNamed('graph.users.revokeSignInSessions');

    expect(await offboarding.apply(admin, 'microsoft.revoke_sessions', target, noStop)).toMatchObject({ code: 'already_done', changed: 0, requestIds: [], message: expect.stringContaining('already revoked in this run') });
    expect(callsNamed('graph.users.revokeSignInSessions')).toBe(posts);
    expect(effects().filter((effect) => effect === `microsoft.sessions.revoke:${user.graphId}`)).toHaveLength(1);
  });

  test('a revocation from before the run was confirmed does not count: the step revokes again', async () => {
    const user = simulator.tenant.users.filter((candidate) => candidate.departed && !candidate.suspended)[3]!;
    const confirmedAt = new Date().toISOString();
    simulator.tenant.signInSessionsValidFrom.set(user.graphId, `${new Date(Date.parse(confirmedAt) - 3_600_000).toISOString().slice(0, 19)}Z`);
    const result = await offboarding.apply(admin, 'microsoft.revoke_sessions', await targetOf(user, confirmedAt), noStop);
    expect(result).toMatchObject({ code: 'done', changed: 1, verified: true, requestIds: [expect.any(String)] });
  });

  test('a revocation this run made is found done by Graph’s clock when Graph runs ten minutes behind this machine, and not sent again', async () => {
    const user = simulator.tenant.users.filter((candidate) => !candidate.departed && !candidate.isAdmin && !candidate.suspended)[0]!;
    graphClockOffsetMs = -10 * 60_000;
    try {
      const target = await targetOf(user);
      // Graph records the revocation ten minutes "before" the run was confirmed by this machine's clock.
      expect(await offboarding.apply(admin, 'microsoft.revoke_sessions', target, noStop)).toMatchObject({ code: 'done', changed: 1, verified: true });
      expect(Date.parse(simulator.tenant.signInSessionsValidFrom.get(user.graphId)!)).toBeLessThan(Date.parse(target.confirmedAt));
      const posts = callsNamed('graph.users.revokeSignInSessions');
      expect(await offboarding.apply(admin, 'microsoft.revoke_sessions', target, noStop)).toMatchObject({ code: 'already_done', changed: 0, requestIds: [] });
      expect(callsNamed('graph.users.revokeSignInSessions')).toBe(posts);
      expect(effects().filter((effect) => effect === `microsoft.sessions.revoke:${user.graphId}`)).toHaveLength(1);
    } finally {
      graphClockOffsetMs = 0;
    }
  });

  test('a revocation from before the run is not taken for this run’s when Graph runs ten minutes ahead of this machine: the step revokes', async () => {
    const user = simulator.tenant.users.filter((candidate) => !candidate.departed && !candidate.isAdmin && !candidate.suspended)[1]!;
    graphClockOffsetMs = 10 * 60_000;
    try {
      const confirmedAt = new Date().toISOString();
      // Revoked five minutes before the run was confirmed, which Graph's clock writes as five minutes after it by this machine's.
      simulator.tenant.signInSessionsValidFrom.set(user.graphId, graphSecond(Date.parse(confirmedAt) + graphClockOffsetMs - 5 * 60_000));
      const posts = callsNamed('graph.users.revokeSignInSessions');
      expect(await offboarding.apply(admin, 'microsoft.revoke_sessions', await targetOf(user, confirmedAt), noStop)).toMatchObject({ code: 'done', changed: 1, verified: true, requestIds: [expect.any(String)] });
      expect(callsNamed('graph.users.revokeSignInSessions')).toBe(posts + 1);
    } finally {
      graphClockOffsetMs = 0;
    }
  });

  test('a sign-in without the offboarding capability is refused each change with the permission named, and nothing changes', async () => {
    const user = await departedWithAccess(1);
    const target = await targetOf(user);
    const grantsBefore = grantsOf(user).length;
    const assignmentsBefore = assignmentsOf(user).length;
    const before = effects().length;
    const expected: Record<string, string> = {
      'microsoft.revoke_sessions': 'User.RevokeSessions.All',
      'microsoft.delegated_grants': 'DelegatedPermissionGrant.ReadWrite.All',
      'microsoft.app_role_assignments': 'AppRoleAssignment.ReadWrite.All',
      'microsoft.disable': 'User.EnableDisableAccount.All',
    };
    for (const kind of kinds) {
      const error = await refusalOf(offboarding.apply(audit, kind, target, noStop));
      expect(error).toMatchObject({ code: 'permission_denied', message: expect.stringContaining(`the connection lacks ${expected[kind]}`), nextStep: expect.stringContaining('Offboarding capability') });
      expect(error.message).not.toContain('Insufficient privileges');
    }
    expect(effects().length).toBe(before);
    expect(grantsOf(user)).toHaveLength(grantsBefore);
    expect(assignmentsOf(user)).toHaveLength(assignmentsBefore);
    expect(simulator.tenant.entraAccountEnabled.get(user.graphId)).toBe(true);
    // The dry run reads through the audit's scopes alone.
    expect(await offboarding.measure(audit, 'microsoft.app_role_assignments', target)).toMatchObject({ count: assignmentsBefore });
  });

  test('disabling an account that is already disabled is already done, without a call that changes it', async () => {
    const user = simulator.tenant.users.find((candidate) => candidate.suspended)!;
    const patches = callsNamed('graph.users.update');
    expect(await offboarding.apply(admin, 'microsoft.disable', await targetOf(user), noStop)).toMatchObject({ code: 'already_done', before: 'Disabled', message: 'The account was already disabled.' });
    expect(callsNamed('graph.users.update')).toBe(patches);
  });

  test('a person deleted from Entra since the plan fails the step as not found, in words', async () => {
    const user = simulator.tenant.users.filter((candidate) => candidate.departed)[5]!;
    const target = await targetOf(user);
    const index = simulator.tenant.users.indexOf(user);
    simulator.tenant.users.splice(index, 1);
    try {
      const error = await refusalOf(offboarding.apply(admin, 'microsoft.revoke_sessions', target, noStop));
      expect(error).toMatchObject({ code: 'not_found', message: expect.stringContaining('Microsoft Entra no longer has this person') });
    } finally {
      simulator.tenant.users.splice(index, 0, user);
    }
  });
});

describe('a revocation whose answer Graph loses after revoking', () => {
  afterAll(() => setDefaultCACertificates(defaultCertificates));

  test.each(['unavailable', 'dropped'] as const)('(%s) is found applied by its valid-from time, recorded as done and not sent again', async (lostAs) => {
    const lossy = await startTenantSimulator({ seed: 17, users: 40, referenceTime, faults: { lostAnswerRate: 1, lostAnswerRoutes: ['graph.users.revokeSignInSessions'], lostAnswerAs: lostAs } });
    try {
      setDefaultCACertificates([...defaultCertificates, lossy.microsoft.certificate]);
      const context = callContext(lossy, await simulatedEntraAccessToken(lossy, ['offboarding']));
      const user = lossy.tenant.users.find((candidate) => candidate.departed && !candidate.suspended)!;
      const target: StepTarget = { person: (await offboarding.findPerson(context, user.primaryEmail))!, transferTo: null, confirmedAt: new Date().toISOString() };

      const result = await offboarding.apply(context, 'microsoft.revoke_sessions', target, noStop);
      expect(result).toMatchObject({ code: 'done', changed: 1, verified: true, requestIds: [], message: expect.stringContaining('answer was lost') });
      // One POST, its change applied and its answer lost (Graph's 503 carries a Retry-After the scheduler would have waited out and sent again).
      expect(lossy.calls.filter((call) => call.name === 'graph.users.revokeSignInSessions')).toEqual([expect.objectContaining({ status: 200, lostAnswer: lostAs, effects: [`microsoft.sessions.revoke:${user.graphId}`] })]);
    } finally {
      await lossy.close();
    }
  });
});
