/**
 * Google's offboarding adapter, as the module registers it, against the running simulator, signed
 * in as the sample company's admin: people found by any of their addresses, each step removes what
 * it should and reads it back, a second apply changes nothing (the simulator's log of effects proves
 * it), backup codes of a person suspended meanwhile are not applicable and the chain goes on, a data
 * transfer requested before a stop is found and waited for (one that moves less is not), a transfer
 * Google takes too long over fails the step, and a missing scope is named.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import type { DirectoryPerson, StepTarget } from '../../../src-main/offboarding/offboarding-port';
import { classifyGoogleFailure } from '../../../src-main/providers/google/google-failure';
import { createGoogleOffboarding } from '../../../src-main/providers/google/google-offboarding';
import { googleModule } from '../../../src-main/providers/google/google-module';
import type { SampleUser } from '../../../src-main/sample/sample-tenant';
import { googleAliases } from '../../../src-main/sample/simulator/google-directory-api';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { sampleAccessToken } from '../sample/sample-sign-in';

const offboarding = googleModule.offboarding!;
const referenceTime = new Date('2026-11-21T09:00:00Z');
const removalKinds = ['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out', 'google.suspend'];

let simulator: TenantSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function connect(options: { capabilities?: CapabilityId[]; transferMs?: number } = {}): Promise<{ sim: TenantSimulator; context: ProviderCallContext; token: string }> {
  const sim = (simulator = await startTenantSimulator({ seed: 41, users: 60, referenceTime, dataTransferDurationMs: options.transferMs ?? 300 }));
  const token = await sampleAccessToken(sim, options.capabilities ?? ['offboarding']);
  const context = { apiBaseUrl: sim.google.apiRoot, settings: {}, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure }) };
  return { sim, context, token };
}

const departedUsers = (sim: TenantSimulator) => sim.tenant.users.filter((user) => user.departed);
/** Someone still at the company to receive the data: not departed, suspended or an admin. */
const manager = (sim: TenantSimulator) => sim.tenant.users.find((user) => !user.departed && !user.suspended && !user.isAdmin)!;
const effects = (sim: TenantSimulator) => sim.calls.flatMap((call) => call.effects ?? []);

async function personOf(context: ProviderCallContext, user: SampleUser): Promise<DirectoryPerson> {
  const person = await offboarding.findPerson(context, user.primaryEmail);
  expect(person).not.toBeNull();
  return person!;
}

async function targetOf(context: ProviderCallContext, user: SampleUser, transferTo: SampleUser | null = null): Promise<StepTarget> {
  return { person: await personOf(context, user), transferTo: transferTo ? await personOf(context, transferTo) : null, confirmedAt: new Date().toISOString() };
}

const apply = (context: ProviderCallContext, kind: string, target: StepTarget, signal = new AbortController().signal) => offboarding.apply(context, kind, target, signal);
const failureOf = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a refusal'), (error: unknown) => error as AppError);

describe('reading the Google directory', () => {
  test('lists every user once with super admins and suspended users, and finds one by address whatever its case', async () => {
    const { sim, context } = await connect({ capabilities: [] });
    const { people, superAdminsKnown } = await offboarding.readDirectory(context);
    expect(superAdminsKnown).toBe(true);
    expect(people.map((person) => person.id).sort()).toEqual(sim.tenant.users.map((user) => user.googleId).sort());
    expect(people.filter((person) => person.superAdmin).map((person) => person.email).sort()).toEqual(sim.tenant.users.filter((user) => user.isAdmin).map((user) => user.primaryEmail).sort());
    expect(people.filter((person) => person.suspended)).toHaveLength(sim.tenant.users.filter((user) => user.suspended).length);

    const someone = departedUsers(sim)[0]!;
    expect(await offboarding.findPerson(context, ` ${someone.primaryEmail.toUpperCase()} `)).toEqual({
      id: someone.googleId,
      email: someone.primaryEmail,
      addresses: [someone.primaryEmail, ...(googleAliases(sim.tenant).get(someone.googleId) ?? [])],
      displayName: `${someone.givenName} ${someone.familyName}`,
      suspended: false,
      superAdmin: false,
    });
    expect(await offboarding.findPerson(context, `nobody@${sim.tenant.domain}`)).toBeNull();
  });

  test('gives every person all their addresses, primary first, and finds one by an alias', async () => {
    const { sim, context } = await connect({ capabilities: [] });
    const aliases = googleAliases(sim.tenant);
    const aliased = departedUsers(sim).filter((user) => aliases.has(user.googleId));
    expect(aliased.length).toBeGreaterThan(0);
    const { people } = await offboarding.readDirectory(context);
    for (const user of sim.tenant.users) {
      const person = people.find((candidate) => candidate.id === user.googleId)!;
      expect(person.addresses, user.primaryEmail).toEqual([user.primaryEmail, ...(aliases.get(user.googleId) ?? [])]);
    }

    const [user] = aliased;
    const alias = aliases.get(user!.googleId)![0]!;
    expect(alias).not.toBe(user!.primaryEmail);
    const found = await offboarding.findPerson(context, alias.toUpperCase());
    expect(found).toMatchObject({ id: user!.googleId, email: user!.primaryEmail, addresses: [user!.primaryEmail, alias] });
  });
});

describe('the Google steps', () => {
  test('come in the order that works, the transfer and the suspension only when chosen, each with the Admin console place', () => {
    const kinds = (suspend: boolean, transferData: boolean) => offboarding.steps({ suspend, transferData }, {}).map((step) => step.kind);
    expect(kinds(true, true)).toEqual(['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out', 'google.data_transfer', 'google.suspend']);
    expect(kinds(false, false)).toEqual(['google.app_passwords', 'google.backup_codes', 'google.oauth_tokens', 'google.sign_out']);
    for (const step of offboarding.steps({ suspend: true, transferData: true }, {})) {
      expect(step.mode).toBe('api');
      expect(step.where?.label).toMatch(/^Google Admin console › /);
      expect(step.why.length).toBeGreaterThan(20);
      // Only the transfer needs the target looked up.
      expect(offboarding.needsTransferTarget?.(step.kind), step.kind).toBe(step.kind === 'google.data_transfer');
    }
  });

  test('counts in the dry run what each step would change, and changes nothing', async () => {
    const { sim, context } = await connect();
    const user = departedUsers(sim)[0]!;
    const target = await targetOf(context, user, manager(sim));
    const before = sim.calls.length;
    const measured = Object.fromEntries(await Promise.all(offboarding.steps({ suspend: true, transferData: true }, {}).map(async (step) => [step.kind, await offboarding.measure(context, step.kind, target)] as const)));

    const ownAsps = sim.tenant.asps.filter((asp) => asp.userGoogleId === user.googleId);
    const ownClients = new Set(sim.tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).map((token) => token.clientId));
    expect(ownAsps.length).toBeGreaterThan(0);
    expect(ownClients.size).toBeGreaterThanOrEqual(2);
    expect(measured['google.app_passwords']).toEqual({ count: ownAsps.length, description: expect.stringContaining(ownAsps[0]!.name) });
    expect(measured['google.backup_codes']).toEqual({ count: 10, description: '10 backup codes' });
    expect(measured['google.oauth_tokens']!.count).toBe(ownClients.size);
    expect(measured['google.sign_out']).toEqual({ count: null, description: expect.stringMatching(/cannot be counted/) });
    expect(measured['google.data_transfer']).toEqual({ count: 1, description: `Drive and Docs and Calendar data would be transferred to ${manager(sim).primaryEmail}.` });
    expect(measured['google.suspend']).toEqual({ count: 1, description: 'Active; will be suspended' });

    const sent = sim.calls.slice(before);
    expect(sent.every((call) => call.method === 'GET')).toBe(true);
    expect(effects(sim)).toEqual([]);
  });

  test('remove what each holds and read it back; applied again, they find nothing left and change nothing', async () => {
    const { sim, context } = await connect();
    const user = departedUsers(sim)[1]!;
    const target = await targetOf(context, user);
    const ownAsps = sim.tenant.asps.filter((asp) => asp.userGoogleId === user.googleId);
    const ownClients = [...new Set(sim.tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).map((token) => token.clientId))];

    const results = [];
    for (const kind of removalKinds) results.push(await apply(context, kind, target));
    const [passwords, codes, tokens, signOut, suspension] = results;
    expect(passwords).toMatchObject({ code: 'done', changed: ownAsps.length, after: 'No app passwords', verified: true });
    expect(passwords!.before).toContain(ownAsps[0]!.name);
    expect(codes).toMatchObject({ code: 'done', changed: 10, before: '10 backup codes', after: 'No backup codes', verified: true });
    expect(tokens).toMatchObject({ code: 'done', changed: ownClients.length, after: 'No app tokens', verified: true });
    expect(signOut).toMatchObject({ code: 'done', before: null, after: null, verified: false });
    expect(suspension).toMatchObject({ code: 'done', changed: 1, before: 'Active', after: 'Suspended', verified: true, message: `Suspended ${user.primaryEmail}; a read-back confirmed it.` });
    for (const result of results) expect(result!.message).toMatch(/^[^\n]+\.$/);

    expect(sim.tenant.asps.filter((asp) => asp.userGoogleId === user.googleId)).toEqual([]);
    expect(sim.tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId)).toEqual([]);
    expect(sim.tenant.invalidatedBackupCodeGoogleUsers.has(user.googleId)).toBe(true);
    expect(sim.tenant.signedOutGoogleUsers.has(user.googleId)).toBe(true);
    expect(user.suspended).toBe(true);

    const applied = effects(sim);
    expect(applied.sort()).toEqual(
      [
        ...ownAsps.map((asp) => `google.asp.delete:${user.googleId}:${asp.codeId}`),
        `google.verificationCodes.invalidate:${user.googleId}`,
        ...ownClients.map((clientId) => `google.token.delete:${user.googleId}:${clientId}`),
        `google.user.signOut:${user.googleId}`,
        `google.user.suspend:${user.googleId}`,
      ].sort(),
    );

    // A run resumed after a stop carries every step out again.
    const sentBefore = sim.calls.length;
    for (const kind of removalKinds) {
      const again = await apply(context, kind, target);
      expect(again.code, kind).toBe(kind === 'google.sign_out' ? 'done' : 'already_done');
      if (again.code === 'already_done') expect(again.changed, kind).toBe(0);
    }
    expect(effects(sim).sort()).toEqual(applied);
    // Nothing but reads and the sign-out, which Google takes as a no-op.
    expect(sim.calls.slice(sentBefore).filter((call) => call.method !== 'GET').map((call) => call.name)).toEqual(['directory.users.signOut']);
  });

  test('leave backup codes of a person suspended meanwhile as not applicable, sending nothing, so the chain goes on', async () => {
    const { sim, context } = await connect();
    const user = departedUsers(sim)[2]!;
    // Read when the run began, before someone else suspended the account.
    const target = await targetOf(context, user);
    expect(offboarding.skipReason('google.backup_codes', target)).toBeNull();

    await apply(context, 'google.suspend', target);
    const suspended = await targetOf(context, user);
    expect(suspended.person.suspended).toBe(true);
    expect(offboarding.skipReason('google.backup_codes', suspended)).toMatch(/refuses backup-code changes on a suspended user/);

    const result = await apply(context, 'google.backup_codes', target);
    expect(result).toEqual({
      code: 'not_applicable',
      changed: 0,
      before: 'Suspended; 10 backup codes',
      after: 'Suspended; 10 backup codes',
      verified: false,
      requestIds: [],
      message: `${user.primaryEmail} is suspended now, and Google refuses backup-code changes on a suspended user: the codes cannot be used while the account stays suspended; if it is ever restored, invalidate them first.`,
    });
    // Read before acting: the codes, then the account, and nothing sent.
    expect(sim.calls.some((call) => call.name === 'directory.verificationCodes.invalidate')).toBe(false);
    expect(effects(sim).filter((effect) => effect.startsWith('google.verificationCodes.'))).toEqual([]);
    expect(sim.tenant.invalidatedBackupCodeGoogleUsers.has(user.googleId)).toBe(false);

    // The next steps of the chain still apply to the suspended account.
    expect(await apply(context, 'google.oauth_tokens', target)).toMatchObject({ code: 'done', after: 'No app tokens' });
  });
});

describe('the Google data transfer', () => {
  test('hands Drive and Calendar data to the target and waits until Google completes it', async () => {
    const { sim, context } = await connect({ transferMs: 400 });
    const [user, receiver] = [departedUsers(sim)[0]!, manager(sim)];
    const target = await targetOf(context, user, receiver);
    const started = Date.now();
    const result = await apply(context, 'google.data_transfer', target);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(result).toMatchObject({ code: 'done', changed: 1, verified: true, before: `No transfer to ${receiver.primaryEmail} yet`, message: `Transferred ${user.primaryEmail}’s Drive and Docs and Calendar data to ${receiver.primaryEmail}; Google reports it completed.` });
    const [transfer] = sim.tenant.dataTransfers;
    expect(sim.tenant.dataTransfers).toHaveLength(1);
    expect(result.requestIds).toEqual([transfer!.id]);
    expect(transfer).toMatchObject({ oldOwnerUserId: user.googleId, newOwnerUserId: receiver.googleId });
    expect(transfer!.applicationDataTransfers).toEqual([
      { applicationId: '55656082996', applicationTransferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] },
      { applicationId: '435070579839', applicationTransferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] },
    ]);

    const again = await apply(context, 'google.data_transfer', target);
    expect(again).toMatchObject({ code: 'already_done', changed: 0, requestIds: [transfer!.id] });
    expect(effects(sim)).toEqual([`google.transfer.insert:${user.googleId}:${receiver.googleId}`]);
  });

  test('finds the transfer it requested before a stop and waits for it instead of asking again', async () => {
    const { sim, context } = await connect({ transferMs: 1_500 });
    const [user, receiver] = [departedUsers(sim)[1]!, manager(sim)];
    const target = await targetOf(context, user, receiver);
    const stop = new AbortController();
    const first = failureOf(apply(context, 'google.data_transfer', target, stop.signal));
    // A read of the transfer means the insert's answer reached the step: stopping now cannot lose it.
    await expect.poll(() => sim.calls.some((call) => call.name === 'datatransfer.transfers.get')).toBe(true);
    stop.abort();
    const cancelled = await first;
    expect(cancelled.code).toBe('cancelled');
    expect(cancelled.message).toMatch(/Google carries on with it/);

    // Dates in words, as the rest of the evidence writes them.
    expect(await offboarding.measure(context, 'google.data_transfer', target)).toEqual({ count: 0, description: expect.stringMatching(/ requested on \d{1,2} [A-Z][a-z]{2} \d{4} is under way; the step waits for it\.$/) });
    const resumed = await apply(context, 'google.data_transfer', target);
    expect(resumed).toMatchObject({ code: 'already_done', changed: 0, verified: true, requestIds: [sim.tenant.dataTransfers[0]!.id] });
    expect(resumed.before).toMatch(/ requested \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC \(/);
    expect(resumed.after).toMatch(/completed$/);
    expect(sim.calls.filter((call) => call.name === 'datatransfer.transfers.insert')).toHaveLength(1);
    expect(effects(sim)).toEqual([`google.transfer.insert:${user.googleId}:${receiver.googleId}`]);
  });

  test('does not take a transfer that moves less for its own: a Calendar-only one, or shared files only', async () => {
    const { sim, context, token } = await connect({ transferMs: 600 });
    const [user, receiver] = [departedUsers(sim)[0]!, manager(sim)];
    const target = await targetOf(context, user, receiver);
    const request = (applicationDataTransfers: unknown[]) =>
      fetch(`${sim.google.apiRoot}admin/datatransfer/v1/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ oldOwnerUserId: user.googleId, newOwnerUserId: receiver.googleId, applicationDataTransfers }),
      });
    // Requested by hand a moment ago, both still under way when the step looks.
    expect((await request([{ applicationId: '435070579839', applicationTransferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] }])).status).toBe(200);
    expect((await request([{ applicationId: '55656082996', applicationTransferParams: [{ key: 'PRIVACY_LEVEL', value: ['SHARED'] }] }, { applicationId: '435070579839', applicationTransferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] }])).status).toBe(200);
    const [calendarOnly, sharedOnly] = sim.tenant.dataTransfers;

    expect(await offboarding.measure(context, 'google.data_transfer', target)).toEqual({ count: 1, description: `Drive and Docs and Calendar data would be transferred to ${receiver.primaryEmail}.` });
    const result = await apply(context, 'google.data_transfer', target);
    expect(sim.tenant.dataTransfers).toHaveLength(3);
    const own = sim.tenant.dataTransfers[2]!;
    expect(own.applicationDataTransfers.map((item) => item.applicationId).sort()).toEqual(['435070579839', '55656082996']);
    expect(result).toMatchObject({ code: 'done', changed: 1, verified: true, requestIds: [own.id], before: `2 earlier transfers to ${receiver.primaryEmail}, none of this run moving Drive and Docs and Calendar` });
    expect(result.requestIds).not.toContain(calendarOnly!.id);
    expect(result.requestIds).not.toContain(sharedOnly!.id);
    expect(effects(sim)).toEqual(Array.from({ length: 3 }, () => `google.transfer.insert:${user.googleId}:${receiver.googleId}`));
  });

  test('fails when Google has not completed the transfer within the longest wait, saying where to follow it, and asks once', async () => {
    const { sim, context } = await connect({ transferMs: 60_000 });
    const patient = createGoogleOffboarding({ dataTransfer: { longestWaitMs: 1_000 } });
    const [user, receiver] = [departedUsers(sim)[1]!, manager(sim)];
    const target = await targetOf(context, user, receiver);
    const started = Date.now();
    const failure = await failureOf(patient.apply(context, 'google.data_transfer', target, new AbortController().signal));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const [transfer] = sim.tenant.dataTransfers;
    expect(failure).toBeInstanceOf(AppError);
    // Not a transient code: a step retried would wait as long again.
    expect(failure.code).toBe('precondition_failed');
    expect(failure.message).toBe(
      `Google is still carrying out the data transfer from ${user.primaryEmail} to ${receiver.primaryEmail} (${transfer!.id}) after 1 second; the steps after it, the suspension included, were not done, so the account keeps its data until the transfer completes.`,
    );
    expect(failure.nextStep).toMatch(/^Follow the transfer in the Google Admin console \(Apps › Google Workspace › Drive and Docs › Transfer ownership\)/);
    expect(failure.nextStep).toContain(`plan ${user.primaryEmail} again`);
    // The last read came at the deadline; Google was asked once.
    expect(sim.calls.filter((call) => call.name === 'datatransfer.transfers.get').length).toBeGreaterThan(0);
    expect(effects(sim)).toEqual([`google.transfer.insert:${user.googleId}:${receiver.googleId}`]);

    // Planned again, the step finds that transfer and waits for it rather than asking twice.
    const again = await failureOf(patient.apply(context, 'google.data_transfer', target, new AbortController().signal));
    expect(again.message).toContain(transfer!.id);
    expect(effects(sim)).toHaveLength(1);
  });

  test('is skipped without a target, for the person themselves and for a suspended target', async () => {
    const { sim, context } = await connect();
    const user = departedUsers(sim)[0]!;
    const { person } = await targetOf(context, user);
    const suspendedUser = sim.tenant.users.find((candidate) => candidate.suspended)!;
    expect(offboarding.skipReason('google.data_transfer', { person, transferTo: null })).toMatch(/^No transfer target was given/);
    expect(offboarding.skipReason('google.data_transfer', { person, transferTo: person })).toMatch(/the person themselves/);
    expect(offboarding.skipReason('google.data_transfer', { person, transferTo: await personOf(context, suspendedUser) })).toBe(`The transfer target ${suspendedUser.primaryEmail} is suspended, so Google cannot hand data to them.`);
    expect(offboarding.skipReason('google.data_transfer', { person, transferTo: await personOf(context, manager(sim)) })).toBeNull();
  });
});

describe('a connection without the offboarding capability', () => {
  test('is refused the suspension and the transfer with the scope each takes named, and nothing changes', async () => {
    const { sim, context } = await connect({ capabilities: [] });
    const user = departedUsers(sim)[0]!;
    const target = await targetOf(context, user, manager(sim));

    const suspension = await failureOf(apply(context, 'google.suspend', target));
    expect(suspension.code).toBe('permission_denied');
    expect(suspension.message).toBe(`Google refused suspending ${user.primaryEmail}: the connection lacks the https://www.googleapis.com/auth/admin.directory.user scope.`);
    expect(suspension.nextStep).toMatch(/Allow the Offboarding capability/);

    const transfer = await failureOf(apply(context, 'google.data_transfer', target));
    expect(transfer.code).toBe('permission_denied');
    expect(transfer.message).toContain('https://www.googleapis.com/auth/admin.datatransfer scope');
    expect(user.suspended).toBe(false);
    expect(sim.tenant.dataTransfers).toEqual([]);
    expect(effects(sim)).toEqual([]);
  });
});
