/**
 * The Okta, Zendesk and Salesforce offboarding adapters, as their modules hand them out, against
 * the simulated SaaS services, signed in through Consentry's generic client with exactly the
 * capabilities each test names: people found by any of their addresses, each step removes what it
 * should and reads it back, a second apply changes nothing (the simulator's effects show each
 * change once), an account suspended already is found done, a change whose answer is lost is not
 * applied twice and is recorded as this run's, and a sign-in without the offboarding capability is
 * refused with the scope named.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError } from '../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler, type FailureKind } from '../../../src-main/net/request-scheduler';
import type { DirectoryPerson, ProviderOffboarding, StepTarget } from '../../../src-main/offboarding/offboarding-port';
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import { classifyOktaFailure } from '../../../src-main/providers/okta/okta-failure';
import { oktaModule } from '../../../src-main/providers/okta/okta-module';
import { classifySalesforceFailure } from '../../../src-main/providers/salesforce/salesforce-failure';
import { salesforceModule } from '../../../src-main/providers/salesforce/salesforce-module';
import { classifyZendeskFailure } from '../../../src-main/providers/zendesk/zendesk-failure';
import { zendeskModule } from '../../../src-main/providers/zendesk/zendesk-module';
import type { OktaUser } from '../../../src-main/sample/sample-saas';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { fixedRedirectPortForTest } from '../../support/loopback-port';
import { genericOAuthClient } from '../../support/node-oauth-clients';
import { providerDefinitions } from '../../support/provider-definitions';
import { scriptedSignIn } from '../../support/scripted-sign-in';

type SaasProvider = 'okta' | 'zendesk' | 'salesforce';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const noStop = new AbortController().signal;
const adapters: Record<SaasProvider, ProviderOffboarding> = { okta: oktaModule.offboarding!, zendesk: zendeskModule.offboarding!, salesforce: salesforceModule.offboarding! };
const classifiers: Record<SaasProvider, (error: unknown) => FailureKind> = { okta: classifyOktaFailure, zendesk: classifyZendeskFailure, salesforce: classifySalesforceFailure };
const settings: Record<SaasProvider, ConnectionSettings> = { okta: { orgUrl: 'https://sample-company.okta.com' }, zendesk: { subdomain: 'sample-company' }, salesforce: { myDomain: 'sample-company' } };

let simulator: TenantSimulator;
const tokens = {} as Record<SaasProvider, Record<'offboarding' | 'audit', string>>;

async function signIn(provider: SaasProvider, capabilities: CapabilityId[], to: TenantSimulator = simulator): Promise<string> {
  const endpoints = to.saas[provider];
  const connection = resolveConnection(providerDefinitions, {
    provider,
    clientId: endpoints.clientId,
    capabilities,
    settings: { ...settings[provider], issuer: endpoints.issuer, authorizationEndpoint: endpoints.authorizationEndpoint, tokenEndpoint: endpoints.tokenEndpoint, revocationEndpoint: endpoints.revocationEndpoint, redirectPort: fixedRedirectPortForTest() },
  });
  return (await genericOAuthClient.authorize(connection, {}, scriptedSignIn())).secrets.accessToken!;
}

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 41, users: 120, referenceTime });
  for (const provider of ['okta', 'zendesk', 'salesforce'] as const) {
    // Exactly the offboarding capability proves its scopes suffice; the audit's alone must be refused.
    tokens[provider] = { offboarding: await signIn(provider, ['offboarding']), audit: await signIn(provider, []) };
  }
});
afterAll(() => simulator?.close());

function context(provider: SaasProvider, token: 'offboarding' | 'audit' = 'offboarding'): ProviderCallContext {
  return { apiBaseUrl: simulator.saas[provider].apiBaseUrl, settings: settings[provider], accessToken: async () => tokens[provider][token], scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifiers[provider] }) };
}

const effects = (prefix: string) => simulator.calls.flatMap((call) => call.effects ?? []).filter((effect) => effect.startsWith(prefix));
const callsNamed = (name: string) => simulator.calls.filter((call) => call.name === name).length;

async function targetOf(provider: SaasProvider, email: string): Promise<StepTarget> {
  const person = await adapters[provider].findPerson(context(provider), email);
  expect(person).not.toBeNull();
  return { person: person!, transferTo: null, confirmedAt: referenceTime.toISOString() };
}

const apply = (provider: SaasProvider, kind: string, target: StepTarget, token: 'offboarding' | 'audit' = 'offboarding') => adapters[provider].apply(context(provider, token), kind, target, noStop);

async function refusalOf(call: Promise<unknown>): Promise<AppError> {
  const error: unknown = await call.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('Okta', () => {
  const okta = () => simulator.saasState.okta;
  const grantsOf = (user: OktaUser) => okta().grants.filter((grant) => grant.userId === user.id);
  const superAdminIds = () => new Set(okta().adminRoles.filter((role) => role.type === 'SUPER_ADMIN').map((role) => role.userId));
  /** An active non-admin with a live session, OAuth tokens Okta issued, and consent grants. */
  const holder = (skip = 0) =>
    okta().users.filter(
      (user) => user.status === 'ACTIVE' && !okta().adminRoles.some((role) => role.userId === user.id) && okta().activeSessionUserIds.includes(user.id) && okta().usersWithOauthTokens.includes(user.id) && grantsOf(user).length > 1,
    )[skip]!;

  test('reads every user, deactivated ones as unable to sign in, and the super admins from their roles', async () => {
    const reading = await adapters.okta.readDirectory(context('okta'));
    expect(reading.superAdminsKnown).toBe(true);
    expect(reading.people).toHaveLength(okta().users.length);
    for (const user of okta().users) {
      const person = reading.people.find((candidate) => candidate.id === user.id)!;
      expect(person).toMatchObject({ email: user.profile.login.toLowerCase(), suspended: user.status !== 'ACTIVE', superAdmin: superAdminIds().has(user.id) });
    }
    expect(reading.people.filter((person) => person.superAdmin)).toHaveLength(2);
  });

  test('without okta.roles.read it says the super admins are unknown instead of naming none', async () => {
    const reading = await adapters.okta.readDirectory(context('okta', 'audit'));
    expect(reading.superAdminsKnown).toBe(false);
    expect(reading.people.some((person) => person.superAdmin)).toBe(false);
    expect(reading.people).toHaveLength(okta().users.length);
  });

  test('finds a person by login whatever the case and spacing, and nobody for an unknown address', async () => {
    const admin = okta().users.find((user) => superAdminIds().has(user.id))!;
    const person = await adapters.okta.findPerson(context('okta'), `  ${admin.profile.login.toUpperCase()} `);
    expect(person).toMatchObject<Partial<DirectoryPerson>>({ id: admin.id, email: admin.profile.login, superAdmin: true, suspended: false });
    expect(await adapters.okta.findPerson(context('okta'), 'nobody@sample-company.example')).toBeNull();
  });

  test('finds a person by their login or their email, and gives both addresses', async () => {
    const user = okta().users.filter((candidate) => candidate.status === 'ACTIVE' && !superAdminIds().has(candidate.id)).at(-2)!;
    const login = user.profile.login;
    const email = `${login.split('@')[0]}.mail@sample-company.example`;
    user.profile.email = email;
    try {
      for (const address of [login, email.toUpperCase()]) {
        expect(await adapters.okta.findPerson(context('okta'), address)).toMatchObject<Partial<DirectoryPerson>>({ id: user.id, email: login, addresses: [login, email] });
      }
    } finally {
      user.profile.email = login;
    }
  });

  test('lists its steps in order, the suspension only when the run suspends', () => {
    expect(adapters.okta.steps({ suspend: true, transferData: true }, settings.okta).map((step) => [step.kind, step.mode])).toEqual([
      ['okta.sessions', 'api'],
      ['okta.grants', 'api'],
      ['okta.suspend', 'api'],
    ]);
    expect(adapters.okta.steps({ suspend: false, transferData: true }, settings.okta).map((step) => step.kind)).toEqual(['okta.sessions', 'okta.grants']);
  });

  test('ends sessions and tokens, revokes every grant and suspends, each once; a second apply changes nothing', async () => {
    const user = holder();
    const grantIds = grantsOf(user).map((grant) => grant.id);
    const target = await targetOf('okta', user.profile.login);
    const measured = await Promise.all(['okta.sessions', 'okta.grants', 'okta.suspend'].map((kind) => adapters.okta.measure(context('okta'), kind, target)));
    expect(measured.map((measure) => measure.count)).toEqual([null, grantIds.length, 1]);

    const sessions = await apply('okta', 'okta.sessions', target);
    expect(sessions).toMatchObject({ code: 'done', before: null, after: null, verified: false, requestIds: [expect.any(String)] });
    expect(sessions.message).toContain('nothing to read back');
    const grants = await apply('okta', 'okta.grants', target);
    expect(grants).toMatchObject({ code: 'done', changed: grantIds.length, after: 'No consent grants', verified: true });
    expect(grantsOf(user)).toEqual([]);
    const suspended = await apply('okta', 'okta.suspend', target);
    expect(suspended).toMatchObject({ code: 'done', changed: 1, before: 'Active', after: 'Suspended', verified: true, requestIds: [expect.any(String)] });
    expect(okta().users.find((candidate) => candidate.id === user.id)!.status).toBe('SUSPENDED');

    const calls = { grantDeletes: callsNamed('okta.userGrants.revokeAll'), suspends: callsNamed('okta.users.suspend') };
    for (const kind of ['okta.sessions', 'okta.grants', 'okta.suspend']) await apply('okta', kind, target);
    // The grants and suspension were read and found done: no state-changing call went out again.
    expect(callsNamed('okta.userGrants.revokeAll')).toBe(calls.grantDeletes);
    expect(callsNamed('okta.users.suspend')).toBe(calls.suspends);
    expect(effects('okta.').filter((effect) => effect.includes(user.id)).sort()).toEqual(
      [`okta.session.clear:${user.id}`, `okta.oauthTokens.revoke:${user.id}`, `okta.user.suspend:${user.id}`, ...grantIds.map((id) => `okta.grant.revoke:${user.id}:${id}`)].sort(),
    );
  });

  test('finds a suspended user’s suspension done without sending it, and a deactivated one’s too', async () => {
    // The sample may deactivate nobody: one is, as an admin would have done it.
    okta().users.find((candidate) => candidate.status === 'ACTIVE' && !okta().adminRoles.some((role) => role.userId === candidate.id) && grantsOf(candidate).length === 0)!.status = 'DEPROVISIONED';
    for (const status of ['SUSPENDED', 'DEPROVISIONED'] as const) {
      const user = okta().users.find((candidate) => candidate.status === status)!;
      const before = callsNamed('okta.users.suspend');
      const target = await targetOf('okta', user.profile.login);
      expect(target.person.suspended).toBe(true);
      expect(await adapters.okta.measure(context('okta'), 'okta.suspend', target)).toEqual({ count: 0, description: expect.stringContaining('already') });
      expect(await apply('okta', 'okta.suspend', target)).toMatchObject({ code: 'already_done', changed: 0, verified: true, requestIds: [] });
      expect(callsNamed('okta.users.suspend')).toBe(before);
    }
  });

  test('the simulated Okta refuses to suspend a user who is not active, as Okta documents', async () => {
    const user = okta().users.find((candidate) => candidate.status === 'SUSPENDED')!;
    const response = await fetch(`${simulator.saas.okta.apiBaseUrl}/api/v1/users/${user.id}/lifecycle/suspend`, { method: 'POST', headers: { authorization: `Bearer ${tokens.okta.offboarding}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorCode: 'E0000001' });
    expect(simulator.calls.at(-1)!.effects).toBeUndefined();
  });

  test('a session clear of someone with no session records no effect', async () => {
    const user = holder(1);
    const target = await targetOf('okta', user.profile.login);
    await apply('okta', 'okta.sessions', target);
    const recorded = effects('okta.').length;
    await apply('okta', 'okta.sessions', target);
    expect(effects('okta.').length).toBe(recorded);
  });

  test.each(['unavailable', 'dropped'] as const)('a session clear and a suspension whose answers are lost (%s) each apply once, and the suspension is recorded as this run’s', async (lostAs) => {
    const lossy = await startTenantSimulator({ seed: 43, users: 60, referenceTime, faults: { lostAnswerRate: 1, lostAnswerRoutes: ['okta.userSessions.revoke', 'okta.users.suspend'], lostAnswerAs: lostAs } });
    try {
      const token = await signIn('okta', ['offboarding'], lossy);
      const lossyContext: ProviderCallContext = { apiBaseUrl: lossy.saas.okta.apiBaseUrl, settings: settings.okta, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifyOktaFailure }) };
      const state = lossy.saasState.okta;
      const user = state.users.find(
        (candidate) => candidate.status === 'ACTIVE' && !state.adminRoles.some((role) => role.userId === candidate.id) && state.activeSessionUserIds.includes(candidate.id) && state.usersWithOauthTokens.includes(candidate.id),
      )!;
      const target: StepTarget = { person: (await adapters.okta.findPerson(lossyContext, user.profile.login))!, transferTo: null, confirmedAt: referenceTime.toISOString() };

      expect(await adapters.okta.apply(lossyContext, 'okta.sessions', target, noStop)).toMatchObject({ code: 'done', message: expect.stringContaining('answer to the clear was lost once, so it was sent again') });
      expect(await adapters.okta.apply(lossyContext, 'okta.suspend', target, noStop)).toMatchObject({
        code: 'done',
        changed: 1,
        before: 'Active',
        after: 'Suspended',
        verified: true,
        requestIds: [],
        message: expect.stringContaining('its answer was lost on the way back, and a read since shows the change applied'),
      });
      const sent = (name: string) => lossy.calls.filter((call) => call.name === name).map(({ lostAnswer, effects: applied }) => ({ lostAnswer, effects: applied }));
      // The clear was sent once more and ended nothing twice; the suspension was read back, not sent again.
      expect(sent('okta.userSessions.revoke')).toEqual([{ lostAnswer: lostAs, effects: [`okta.session.clear:${user.id}`, `okta.oauthTokens.revoke:${user.id}`] }, { lostAnswer: undefined, effects: undefined }]);
      expect(sent('okta.users.suspend')).toEqual([{ lostAnswer: lostAs, effects: [`okta.user.suspend:${user.id}`] }]);
    } finally {
      await lossy.close();
    }
  });

  test('after a lost answer, a repeat Okta refuses because the user is suspended now still records this run’s suspension, done and verified', async () => {
    const user = okta().users.filter((candidate) => candidate.status === 'ACTIVE' && !superAdminIds().has(candidate.id)).at(-1)!;
    const target = await targetOf('okta', user.profile.login);
    let stage: 'lose the answer' | 'read a stale status' | 'pass through' = 'lose the answer';
    const flaky: ProviderCallContext = {
      ...context('okta'),
      fetch: async (input, init) => {
        const url = String(input);
        if (stage === 'lose the answer' && init?.method === 'POST' && url.endsWith('/lifecycle/suspend')) {
          // Okta suspends the user, and the answer is lost on the way back.
          await fetch(input, init);
          stage = 'read a stale status';
          throw new TypeError('fetch failed');
        }
        const response = await fetch(input, init);
        if (stage === 'read a stale status' && url.endsWith(`/api/v1/users/${user.id}`)) {
          stage = 'pass through';
          // A read that does not show the suspension yet, so the step sends it again and Okta refuses (400).
          const body = (await response.json()) as Record<string, unknown>;
          return new Response(JSON.stringify({ ...body, status: 'ACTIVE' }), { status: 200, headers: { 'content-type': 'application/json' } });
        }
        return response;
      },
    };
    const suspends = callsNamed('okta.users.suspend');
    const result = await adapters.okta.apply(flaky, 'okta.suspend', target, noStop);
    expect(result).toMatchObject({ code: 'done', changed: 1, before: 'Active', after: 'Suspended', verified: true, message: expect.stringContaining('its answer was lost') });
    expect(result.message).not.toContain('meanwhile');
    expect(stage).toBe('pass through');
    expect(callsNamed('okta.users.suspend')).toBe(suspends + 2);
    expect(effects(`okta.user.suspend:${user.id}`)).toHaveLength(1);
  });

  test('without okta.users.manage a revocation is refused, naming the scope, and nothing changes', async () => {
    const user = holder(2);
    const before = grantsOf(user).length;
    const refusal = await refusalOf(apply('okta', 'okta.grants', await targetOf('okta', user.profile.login), 'audit'));
    expect(refusal.code).toBe('permission_denied');
    expect(refusal.message).toContain('okta.users.manage');
    expect(grantsOf(user)).toHaveLength(before);
  });
});

describe('Zendesk', () => {
  const zendesk = () => simulator.saasState.zendesk;
  const tokensOf = (userId: number) => zendesk().oauthTokens.filter((token) => token.user_id === userId);
  const holder = (skip = 0) => zendesk().users.filter((user) => user.role === 'agent' && !user.suspended && tokensOf(user.id).length > 1)[skip]!;

  test('reads the account’s agents and admins, never its end users (its customers), the admins as the highest role', async () => {
    const staff = zendesk().users.filter((user) => user.role !== 'end-user');
    expect(staff.length).toBeLessThan(zendesk().users.length);
    const reading = await adapters.zendesk.readDirectory(context('zendesk'));
    expect(reading.superAdminsKnown).toBe(true);
    expect(reading.people.map((person) => person.id).sort()).toEqual(staff.map((user) => String(user.id)).sort());
    expect(reading.people.filter((person) => person.superAdmin).map((person) => person.id).sort()).toEqual(zendesk().users.filter((user) => user.role === 'admin').map((user) => String(user.id)).sort());
  });

  test('finds a person by searching their address, and nobody for an unknown one', async () => {
    const user = holder();
    expect(await adapters.zendesk.findPerson(context('zendesk'), user.email.toUpperCase())).toMatchObject({ id: String(user.id), email: user.email, suspended: false, superAdmin: false });
    expect(await adapters.zendesk.findPerson(context('zendesk'), 'nobody@sample-company.example')).toBeNull();
    const customer = zendesk().users.find((candidate) => candidate.role === 'end-user')!;
    expect(await adapters.zendesk.findPerson(context('zendesk'), customer.email)).toBeNull();
    expect(callsNamed('zendesk.users.search')).toBeGreaterThanOrEqual(3);
  });

  test('deletes exactly the person’s tokens and suspends them, each once; a second apply changes nothing', async () => {
    const user = holder();
    const theirs = tokensOf(user.id).map((token) => token.id);
    const others = zendesk().oauthTokens.length - theirs.length;
    const target = await targetOf('zendesk', user.email);
    const listed = callsNamed('zendesk.oauthTokens.list');
    expect(await adapters.zendesk.measure(context('zendesk'), 'zendesk.oauth_tokens', target)).toMatchObject({ count: theirs.length });
    const pagesOfOneListing = callsNamed('zendesk.oauthTokens.list') - listed;

    const before = { lists: callsNamed('zendesk.oauthTokens.list'), shows: callsNamed('zendesk.oauthTokens.show') };
    expect(await apply('zendesk', 'zendesk.oauth_tokens', target)).toMatchObject({ code: 'done', changed: theirs.length, after: 'No OAuth tokens', verified: true });
    // The account's tokens were listed once; each deleted token was read back by its id.
    expect(callsNamed('zendesk.oauthTokens.list') - before.lists).toBe(pagesOfOneListing);
    expect(callsNamed('zendesk.oauthTokens.show') - before.shows).toBe(theirs.length);
    expect(tokensOf(user.id)).toEqual([]);
    expect(zendesk().oauthTokens).toHaveLength(others);
    expect(await apply('zendesk', 'zendesk.suspend', target)).toMatchObject({ code: 'done', before: 'Active', after: 'Suspended', verified: true });

    const sent = { deletes: callsNamed('zendesk.oauthTokens.revoke'), updates: callsNamed('zendesk.users.update') };
    expect(await apply('zendesk', 'zendesk.oauth_tokens', target)).toMatchObject({ code: 'already_done', changed: 0 });
    expect(await apply('zendesk', 'zendesk.suspend', target)).toMatchObject({ code: 'already_done', changed: 0 });
    expect({ deletes: callsNamed('zendesk.oauthTokens.revoke'), updates: callsNamed('zendesk.users.update') }).toEqual(sent);
    expect(effects('zendesk.').filter((effect) => effect.includes(String(user.id))).sort()).toEqual([...theirs.map((id) => `zendesk.oauthToken.delete:${user.id}:${id}`), `zendesk.user.suspend:${user.id}`].sort());
  });

  test('finds a suspended user’s suspension done without sending it', async () => {
    const user = zendesk().users.find((candidate) => candidate.suspended)!;
    const before = callsNamed('zendesk.users.update');
    const target = await targetOf('zendesk', user.email);
    expect(target.person.suspended).toBe(true);
    expect(await apply('zendesk', 'zendesk.suspend', target)).toMatchObject({ code: 'already_done', changed: 0, before: 'Suspended', verified: true });
    expect(callsNamed('zendesk.users.update')).toBe(before);
  });

  test('without the write scope a deletion is refused, naming it, and the tokens stay', async () => {
    const user = holder(1);
    const before = tokensOf(user.id).length;
    const refusal = await refusalOf(apply('zendesk', 'zendesk.oauth_tokens', await targetOf('zendesk', user.email), 'audit'));
    expect(refusal.code).toBe('permission_denied');
    expect(refusal.message).toContain('write scope');
    expect(tokensOf(user.id)).toHaveLength(before);
  });
});

describe('Salesforce', () => {
  const salesforce = () => simulator.saasState.salesforce;
  const tokensOf = (userId: string) => salesforce().oauthTokens.filter((token) => token.UserId === userId);
  const holder = (skip = 0) => salesforce().users.filter((user) => user.IsActive && !user.manageUsers && tokensOf(user.Id).length > 1)[skip]!;

  test('reads every user, a frozen one as unable to sign in, and says super admins are unknown', async () => {
    const frozen = salesforce().users.find((user) => user.IsActive && !user.manageUsers)!;
    frozen.IsFrozen = true;
    try {
      const reading = await adapters.salesforce.readDirectory(context('salesforce'));
      expect(reading.superAdminsKnown).toBe(false);
      expect(reading.people).toHaveLength(salesforce().users.length);
      for (const user of salesforce().users) expect(reading.people.find((person) => person.id === user.Id)!.suspended).toBe(!user.IsActive || user.IsFrozen);
      expect(reading.people.find((person) => person.id === frozen.Id)!.suspended).toBe(true);
    } finally {
      frozen.IsFrozen = false;
    }
  });

  test('finds a person by their username or their email, and gives both addresses', async () => {
    const user = salesforce().users.filter((candidate) => candidate.IsActive && !candidate.manageUsers).at(-1)!;
    const email = user.Email.toLowerCase();
    const username = `${email.split('@')[0]}@sample-company.example.production`;
    user.Username = username;
    try {
      for (const address of [username.toUpperCase(), email]) {
        expect(await adapters.salesforce.findPerson(context('salesforce'), address)).toMatchObject<Partial<DirectoryPerson>>({ id: user.Id, email, addresses: [email, username] });
      }
    } finally {
      user.Username = user.Email;
    }
  });

  test('revokes the person’s tokens and freezes them, each once; a second apply changes nothing', async () => {
    const user = holder();
    const keys = tokensOf(user.Id).map((token) => token.key);
    const target = await targetOf('salesforce', user.Email);
    expect(target.person).toMatchObject({ id: user.Id, suspended: false });
    expect(await adapters.salesforce.measure(context('salesforce'), 'salesforce.oauth_tokens', target)).toMatchObject({ count: keys.length });
    expect(await adapters.salesforce.measure(context('salesforce'), 'salesforce.freeze', target)).toEqual({ count: 1, description: 'Can sign in; will be frozen' });

    expect(await apply('salesforce', 'salesforce.oauth_tokens', target)).toMatchObject({ code: 'done', changed: keys.length, after: 'No OAuth tokens', verified: true });
    expect(tokensOf(user.Id)).toEqual([]);
    expect(await apply('salesforce', 'salesforce.freeze', target)).toMatchObject({ code: 'done', before: 'Can sign in', after: 'Frozen', verified: true });
    expect(user.IsFrozen).toBe(true);

    const sent = { revokes: callsNamed('salesforce.oauth2.revoke'), updates: callsNamed('salesforce.userLogin.update') };
    expect(await apply('salesforce', 'salesforce.oauth_tokens', target)).toMatchObject({ code: 'already_done', changed: 0 });
    expect(await apply('salesforce', 'salesforce.freeze', target)).toMatchObject({ code: 'already_done', changed: 0, before: 'Frozen' });
    expect({ revokes: callsNamed('salesforce.oauth2.revoke'), updates: callsNamed('salesforce.userLogin.update') }).toEqual(sent);
    expect(effects('salesforce.').filter((effect) => effect.includes(user.Id)).sort()).toEqual([...keys.map((key) => `salesforce.oauthToken.revoke:${user.Id}:${key}`), `salesforce.user.freeze:${user.Id}`].sort());
    // Found again, the person reads as unable to sign in.
    expect((await targetOf('salesforce', user.Email)).person.suspended).toBe(true);
  });

  // Salesforce shows others' tokens and login settings only with these; without them a step would find nothing and call it done.
  test.each([
    ['salesforce.freeze', 'manageUsers', 'Manage Users'],
    ['salesforce.oauth_tokens', 'customizeApplication', 'Customize Application'],
  ] as const)('refuses %s when the connected user lacks %s (%s), and changes nothing', async (kind, permission, name) => {
    const user = holder(1);
    const target = await targetOf('salesforce', user.Email);
    const tokensBefore = tokensOf(user.Id).length;
    const holders = salesforce().users.filter((candidate) => candidate[permission]);
    for (const candidate of holders) candidate[permission] = false;
    try {
      const refusal = await refusalOf(apply('salesforce', kind, target));
      expect(refusal.code).toBe('permission_denied');
      expect(refusal.message).toContain(name);
    } finally {
      for (const candidate of holders) candidate[permission] = true;
    }
    expect(user.IsFrozen).toBe(false);
    expect(tokensOf(user.Id)).toHaveLength(tokensBefore);
  });
});

test('the simulator’s inspection endpoint counts what offboarding changed at each SaaS provider', async () => {
  const { okta, zendesk, salesforce } = simulator.saasState;
  const summary = (await (await fetch(simulator.inspectionUrl)).json()) as { saas: Record<string, number> };
  expect(summary.saas).toEqual({
    oktaSuspendedUsers: okta.users.filter((user) => user.status === 'SUSPENDED').length,
    oktaActiveSessions: okta.activeSessionUserIds.length,
    oktaUsersWithOauthTokens: okta.usersWithOauthTokens.length,
    oktaGrants: okta.grants.length,
    zendeskSuspendedUsers: zendesk.users.filter((user) => user.suspended).length,
    zendeskOauthTokens: zendesk.oauthTokens.length,
    salesforceOauthTokens: salesforce.oauthTokens.length,
    salesforceFrozenUsers: 1,
  });
});
