import { describe, expect, test } from 'vitest';
import { maxPeoplePerRun, type ListRow, type RowReason, type RunOptions, type StepDefinition } from '../../../../src-shared/contract/offboarding';
import type { DirectoryPerson } from '../../../../src-main/offboarding/offboarding-port';
import { directoryPerson } from './directory-person';
import { DirectoryIndex } from '../../../../src-main/offboarding/directory-index';
import { planOffboarding, refuseGuardedPeople, type PlanConnectionInput } from '../../../../src-main/offboarding/offboarding-planner';

const step = (kind: string, mode: StepDefinition['mode'] = 'api'): StepDefinition => ({
  kind,
  title: kind,
  mode,
  why: `why ${kind}`,
  where: mode === 'manual' ? { label: `Console of ${kind}`, url: null } : null,
});

const person = directoryPerson;

const everyone = ['ann@example.com', 'bob@example.com', 'boss@example.com'].map((email) => person(email));

/** What the fake Google adapter was asked, to check the planner passes the right target. */
const asked: { kind: string; person: string; transferTo: string | null }[] = [];

const googleSteps = ['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out', 'google.data_transfer', 'google.suspend'].map((kind) => step(kind));

const google = (people: DirectoryPerson[] = everyone, overrides: Partial<PlanConnectionInput> = {}): PlanConnectionInput => ({
  connectionId: 'conn-google',
  label: 'Acme Google',
  provider: 'google',
  providerLabel: 'Google Workspace',
  directory: 'api',
  steps: googleSteps,
  reading: { people, superAdminsKnown: true },
  missingScopes: [],
  blocked: null,
  skipReason: (kind, target) => {
    asked.push({ kind, person: target.person.email, transferTo: target.transferTo?.email ?? null });
    if (kind === 'google.backup_codes' && target.person.suspended) return 'Google refuses backup-code changes on a suspended user.';
    if (kind === 'google.data_transfer' && target.transferTo === null) return 'No transfer target.';
    return null;
  },
  ...overrides,
});

const microsoft = (people: DirectoryPerson[] = everyone, overrides: Partial<PlanConnectionInput> = {}): PlanConnectionInput => ({
  connectionId: 'conn-ms',
  label: 'Acme Entra',
  provider: 'microsoft',
  providerLabel: 'Microsoft Entra ID / Microsoft 365',
  directory: 'api',
  steps: ['microsoft.revoke_sessions', 'microsoft.delegated_grants', 'microsoft.app_role_assignments', 'microsoft.disable'].map((kind) => step(kind)),
  reading: { people, superAdminsKnown: true },
  missingScopes: [{ scope: 'User.ReadWrite.All', reason: 'to disable the account' }],
  blocked: null,
  skipReason: () => null,
  ...overrides,
});

const salesforce: PlanConnectionInput = {
  connectionId: 'conn-sf',
  label: 'Acme Salesforce',
  provider: 'salesforce',
  providerLabel: 'Salesforce',
  directory: 'api',
  steps: [step('salesforce.oauth_tokens'), step('salesforce.freeze', 'manual')],
  reading: { people: everyone, superAdminsKnown: false },
  missingScopes: [],
  blocked: null,
  skipReason: () => null,
};

const slack: PlanConnectionInput = {
  connectionId: 'conn-slack',
  label: 'Acme Slack',
  provider: 'slack',
  providerLabel: 'Slack',
  directory: 'none',
  steps: [step('slack.deactivate', 'manual'), step('slack.reset_sessions', 'manual')],
  reading: null,
  missingScopes: [],
  blocked: null,
  skipReason: () => {
    throw new Error('a provider without a directory is never asked');
  },
};

const row = (email: string, fields: Partial<ListRow> = {}): ListRow => ({
  id: `row-${email}`,
  line: 2,
  email,
  transferTo: 'boss@example.com',
  providers: null,
  note: null,
  verdict: 'ready',
  reasons: [],
  ...fields,
});

const reason = (level: RowReason['level'], code: RowReason['code'], message: string, connectionId: string | null = null): RowReason => ({ level, code, message, connectionId });

const options = (overrides: Partial<RunOptions> = {}): RunOptions => ({ suspend: true, transferData: true, connectionIds: [], ...overrides });

const stepsOf = (plan: ReturnType<typeof planOffboarding>, email: string) =>
  plan.people.find((each) => each.email === email)!.steps.map((each) => `${each.kind}:${each.mode}${each.note ? ` (${each.note})` : ''}`);

/** The `list_not_ready` failure with this message. */
const notReady = (message: string) => expect.objectContaining({ code: 'list_not_ready', message });

describe('steps per person, in each provider order', () => {
  test("each connection's steps in the provider's order, connections in the order given", () => {
    const plan = planOffboarding({ rows: [row('ann@example.com')], options: options(), connections: [google(), microsoft()] });
    expect(stepsOf(plan, 'ann@example.com')).toEqual([
      'google.app_passwords:api',
      'google.backup_codes:api',
      'google.oauth_tokens:api',
      'google.sign_out:api',
      'google.data_transfer:api',
      'google.suspend:api',
      'microsoft.revoke_sessions:api',
      'microsoft.delegated_grants:api',
      'microsoft.app_role_assignments:api',
      'microsoft.disable:api',
    ]);
    expect(plan.people[0]).toMatchObject({ rowId: 'row-ann@example.com', email: 'ann@example.com', transferTo: 'boss@example.com' });
    expect(plan.people[0]!.steps.every((each) => each.connectionId === (each.kind.startsWith('google') ? 'conn-google' : 'conn-ms'))).toBe(true);
  });

  test('a person not found at a connection has its steps there skipped, saying so', () => {
    const plan = planOffboarding({ rows: [row('ann@example.com')], options: options(), connections: [microsoft([person('bob@example.com')]), salesforce] });
    expect(stepsOf(plan, 'ann@example.com')).toEqual([
      'microsoft.revoke_sessions:skip (Not found at Acme Entra: nothing to do there.)',
      'microsoft.delegated_grants:skip (Not found at Acme Entra: nothing to do there.)',
      'microsoft.app_role_assignments:skip (Not found at Acme Entra: nothing to do there.)',
      'microsoft.disable:skip (Not found at Acme Entra: nothing to do there.)',
      'salesforce.oauth_tokens:api',
      'salesforce.freeze:manual',
    ]);
    expect(plan.connections.map((each) => [each.connectionId, each.people, each.apiSteps])).toEqual([
      ['conn-ms', 0, 0],
      ['conn-sf', 1, 1],
    ]);
  });

  test('every step of a provider without a directory is manual, and a manual step stays manual at an API provider', () => {
    const plan = planOffboarding({ rows: [row('ann@example.com')], options: options(), connections: [salesforce, slack] });
    expect(stepsOf(plan, 'ann@example.com')).toEqual(['salesforce.oauth_tokens:api', 'salesforce.freeze:manual', 'slack.deactivate:manual', 'slack.reset_sessions:manual']);
    expect(plan.manualSteps).toBe(3);
    expect(plan.apiSteps).toBe(1);
    expect(plan.connections.find((each) => each.connectionId === 'conn-slack')!.people).toBe(1);
  });

  test('the adapter skips a step with its reason: backup codes of a suspended person, a transfer without a target', () => {
    const suspendedAnn = [person('ann@example.com', { suspended: true }), person('boss@example.com')];
    const plan = planOffboarding({ rows: [row('ann@example.com', { transferTo: null })], options: options(), connections: [google(suspendedAnn)] });
    expect(stepsOf(plan, 'ann@example.com')).toEqual([
      'google.app_passwords:api',
      'google.backup_codes:skip (Google refuses backup-code changes on a suspended user.)',
      'google.oauth_tokens:api',
      'google.sign_out:api',
      'google.data_transfer:skip (No transfer target.)',
      'google.suspend:api',
    ]);
    expect(plan.connections[0]!.apiSteps).toBe(4);
  });

  test('the transfer target reaches the adapter as the person in that directory, and not at all without data transfer', () => {
    asked.length = 0;
    planOffboarding({ rows: [row('ann@example.com')], options: options(), connections: [google()] });
    expect(asked.find((each) => each.kind === 'google.data_transfer')).toEqual({ kind: 'google.data_transfer', person: 'ann@example.com', transferTo: 'boss@example.com' });
    asked.length = 0;
    const plan = planOffboarding({ rows: [row('ann@example.com')], options: options({ transferData: false }), connections: [google()] });
    expect(asked.every((each) => each.transferTo === null)).toBe(true);
    expect(plan.people[0]!.transferTo).toBeNull();
  });

  test('a directory that could not be read takes no steps: its guards cannot run there', () => {
    const plan = planOffboarding({
      rows: [row('ann@example.com')],
      options: options(),
      connections: [google(), microsoft([], { reading: null, readProblem: 'Microsoft refused to list users: User.Read.All is missing.' })],
    });
    expect(stepsOf(plan, 'ann@example.com').every((each) => each.startsWith('google.'))).toBe(true);
    expect(plan.connections[1]).toMatchObject({
      blocked: 'Acme Entra takes no steps: its directory could not be read: Microsoft refused to list users: User.Read.All is missing; check the list again.',
      people: 0,
      apiSteps: 0,
    });
  });

  test('a person and their transfer target are found by any address, in any case', () => {
    const ann = person('ann@example.com', { addresses: ['ann@example.com', 'ann.smith@example.com'] });
    const boss = person('boss@example.com', { addresses: ['boss@example.com', 'chief@example.com'] });
    asked.length = 0;
    const plan = planOffboarding({ rows: [row('Ann.Smith@example.com', { transferTo: 'CHIEF@example.com' })], options: options(), connections: [google([ann, boss])] });
    expect(stepsOf(plan, 'Ann.Smith@example.com').every((each) => each.endsWith(':api'))).toBe(true);
    expect(asked.find((each) => each.kind === 'google.data_transfer')).toEqual({ kind: 'google.data_transfer', person: 'ann@example.com', transferTo: 'boss@example.com' });
  });

  test("a row limited to some providers gets only those connections' steps", () => {
    const plan = planOffboarding({ rows: [row('ann@example.com', { providers: ['Microsoft 365'] }), row('bob@example.com')], options: options(), connections: [google(), microsoft()] });
    expect(stepsOf(plan, 'ann@example.com').every((each) => each.startsWith('microsoft.'))).toBe(true);
    expect(stepsOf(plan, 'bob@example.com')).toHaveLength(10);
    expect(plan.connections.map((each) => [each.connectionId, each.people])).toEqual([
      ['conn-google', 1],
      ['conn-ms', 2],
    ]);
  });
});

describe('the plan as a whole', () => {
  test('counts steps and people, lists the connections with their scopes, and asks to type OFFBOARD and the people', () => {
    const plan = planOffboarding({ rows: [row('ann@example.com'), row('bob@example.com')], options: options(), connections: [google(), microsoft(), slack] });
    expect(plan.apiSteps).toBe(20);
    expect(plan.manualSteps).toBe(4);
    expect(plan.confirmationPhrase).toBe('OFFBOARD 2');
    expect(plan.options).toEqual(options());
    expect(plan.connections[1]).toEqual({
      connectionId: 'conn-ms',
      label: 'Acme Entra',
      provider: 'microsoft',
      providerLabel: 'Microsoft Entra ID / Microsoft 365',
      steps: microsoft().steps,
      people: 2,
      apiSteps: 8,
      missingScopes: [{ scope: 'User.ReadWrite.All', reason: 'to disable the account' }],
      blocked: null,
    });
  });

  test('rows with an error stay out and are counted; warnings that still apply are listed', () => {
    const rows = [
      row('ann@example.com', { verdict: 'warning', reasons: [reason('warning', 'not_found', 'Not found at Acme Entra: nothing to do there.', 'conn-ms')] }),
      row('nope', { verdict: 'error', reasons: [reason('error', 'not_an_email', 'bad')] }),
      row('bob@example.com', {
        transferTo: null,
        verdict: 'warning',
        reasons: [reason('warning', 'no_transfer_target', 'No transfer target at Acme Google.', 'conn-google'), reason('warning', 'not_checked', 'Acme Okta could not be read.', 'conn-okta')],
      }),
    ];
    const plan = planOffboarding({ rows, options: options(), connections: [google(), microsoft([person('bob@example.com')])] });
    expect(plan.people.map((each) => each.email)).toEqual(['ann@example.com', 'bob@example.com']);
    expect(plan.excludedRows).toBe(1);
    // Okta is not in this run: its warning no longer applies.
    expect(plan.warnings).toEqual([
      { email: 'ann@example.com', message: 'Not found at Acme Entra: nothing to do there.' },
      { email: 'bob@example.com', message: 'No transfer target at Acme Google.' },
    ]);
    const withoutTransfer = planOffboarding({ rows, options: options({ transferData: false }), connections: [google(), microsoft([person('bob@example.com')])] });
    expect(withoutTransfer.warnings.map((each) => each.email)).toEqual(['ann@example.com']);
  });

  test('a blocked connection is listed with its reason and takes no steps', () => {
    const plan = planOffboarding({ rows: [row('ann@example.com')], options: options(), connections: [google(), microsoft(everyone, { blocked: 'Acme Entra needs a reconnect.' })] });
    expect(stepsOf(plan, 'ann@example.com').every((each) => each.startsWith('google.'))).toBe(true);
    expect(plan.connections[1]).toMatchObject({ connectionId: 'conn-ms', blocked: 'Acme Entra needs a reconnect.', apiSteps: 0 });
  });

  test("only the run's chosen connections take part", () => {
    const plan = planOffboarding({ rows: [row('ann@example.com')], options: options({ connectionIds: ['conn-ms'] }), connections: [google(), microsoft()] });
    expect(plan.connections.map((each) => each.connectionId)).toEqual(['conn-ms']);
    expect(plan.apiSteps).toBe(4);
  });

  test('a person limited to providers outside the run is left out with a warning', () => {
    const plan = planOffboarding({ rows: [row('ann@example.com', { providers: ['google'] }), row('bob@example.com')], options: options({ connectionIds: ['conn-ms'] }), connections: [google(), microsoft()] });
    expect(plan.people.map((each) => each.email)).toEqual(['bob@example.com']);
    expect(plan.warnings).toEqual([{ email: 'ann@example.com', message: 'Not in this run: none of the connections named in providers (google) takes part.' }]);
    expect(plan.confirmationPhrase).toBe('OFFBOARD 1');
  });
});

describe('lists that cannot be planned', () => {
  test('no row without an error', () => {
    expect(() => planOffboarding({ rows: [row('nope', { verdict: 'error' })], options: options(), connections: [google()] })).toThrow(
      notReady('No row is ready: fix or drop the rows with errors first.'),
    );
    expect(() => planOffboarding({ rows: [], options: options(), connections: [google()] })).toThrow(notReady('The list is empty: import or paste the departed people first.'));
  });

  test('more people than one run takes: split the list', () => {
    const rows = Array.from({ length: maxPeoplePerRun + 1 }, (_, index) => row(`user${index}@example.com`));
    expect(() => planOffboarding({ rows, options: options(), connections: [google()] })).toThrow(
      notReady('The list has 5,001 people; one run takes at most 5,000: split the list and run each part.'),
    );
    expect(planOffboarding({ rows: rows.slice(1), options: options(), connections: [google()] }).people).toHaveLength(maxPeoplePerRun);
  });

  test('nobody at a connection of the run', () => {
    expect(() => planOffboarding({ rows: [row('ann@example.com', { providers: ['google'] })], options: options({ connectionIds: ['conn-ms'] }), connections: [google(), microsoft()] })).toThrow(
      notReady("None of the ready rows is at a connection of this run: change the run's connections or the rows' providers."),
    );
  });

  test('a plan naming the signed-in admin account is refused, found by directory id where the account is in the directory', () => {
    const admin = person('admin@example.com', { addresses: ['admin@example.com', 'admin@acme.onmicrosoft.com'] });
    expect(() => planOffboarding({ rows: [row('admin@example.com')], options: options(), connections: [microsoft([admin], { account: 'admin@acme.onmicrosoft.com' })] })).toThrow(
      notReady('admin@example.com is the admin account Consentry is signed in with at Acme Entra: drop that row, and offboard the account from another admin account.'),
    );
    expect(planOffboarding({ rows: [row('admin@example.com')], options: options(), connections: [microsoft([admin], { account: 'other@acme.onmicrosoft.com' })] }).people).toHaveLength(1);
  });

  test('the guards run again on newer readings: a person who became the last active super admin since the plan is refused', () => {
    const plan = planOffboarding({ rows: [row('root@example.com')], options: options(), connections: [google([person('root@example.com'), ...everyone])] });
    const now = new DirectoryIndex({ people: [person('root@example.com', { superAdmin: true }), ...everyone], superAdminsKnown: true });
    expect(() => refuseGuardedPeople([{ connectionId: 'conn-google', label: 'Acme Google', people: now, account: null }], plan.people)).toThrow(
      notReady('The list holds every active super admin of Acme Google (root@example.com): drop one of them, or make another admin a super admin first.'),
    );
  });

  test('a plan that would take every active super admin of a tenant is refused, even when the rows were judged before', () => {
    const admins = [person('root@example.com', { superAdmin: true }), person('second@example.com', { superAdmin: true }), person('old@example.com', { superAdmin: true, suspended: true }), ...everyone];
    expect(() => planOffboarding({ rows: [row('root@example.com'), row('second@example.com')], options: options(), connections: [google(admins)] })).toThrow(
      notReady('The list holds every active super admin of Acme Google (root@example.com, second@example.com): drop one of them, or make another admin a super admin first.'),
    );
    expect(planOffboarding({ rows: [row('root@example.com')], options: options(), connections: [google(admins)] }).people).toHaveLength(1);
    expect(planOffboarding({ rows: [row('root@example.com'), row('second@example.com')], options: options(), connections: [google(admins, { reading: { people: admins, superAdminsKnown: false } })] }).people).toHaveLength(2);
  });
});
