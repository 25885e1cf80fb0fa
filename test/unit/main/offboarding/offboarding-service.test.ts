import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import type { JobItem } from '../../../../src-main/jobs/job-model';
import type { ProviderOffboarding } from '../../../../src-main/offboarding/offboarding-port';
import { OffboardingService } from '../../../../src-main/offboarding/offboarding-service';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { ProfileFolder } from '../../../../src-main/storage/profile-file-opening';
import { offboardingListFile } from '../../../../src-main/storage/profile-files';
import type { KeyValueStore } from '../../../../src-main/storage/key-value-store';
import { createMemoryKeyValueStore } from '../../../../src-main/storage/memory-key-value-store';
import type { ConnectionView } from '../../../../src-shared/contract/connections';
import type { OffboardingPlan, RunOptions } from '../../../../src-shared/contract/offboarding';
import { stepLabel, type StepPayload } from '../../../../src-main/offboarding/offboarding-step-kind';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { fakeTenant, fakeView, type FakePerson } from './fake-offboarding';

const options: RunOptions = { suspend: true, transferData: false, connectionIds: [] };
const person = (email: string, overrides: Partial<FakePerson> = {}): FakePerson => ({ email, tokens: 2, sessions: 1, suspended: false, ...overrides });
const departed = ['ann@example.com', 'bob@example.com', 'cy@example.com'];

interface Setup {
  views?: ConnectionView[];
  adapter?: ProviderOffboarding;
  directory?: string;
  listStore?: KeyValueStore;
  confirmationsStore?: KeyValueStore;
  tenant?: ReturnType<typeof fakeTenant>;
  clock?: () => Date;
}

async function serviceWith(setup: Setup = {}) {
  const tenant = setup.tenant ?? fakeTenant([...departed.map((email) => person(email)), person('stays@example.com'), person('admin@example.com', { superAdmin: true })]);
  const views = setup.views ?? [fakeView('c1')];
  const directory = setup.directory ?? (await temporaryDirectory());
  const events = new EventHub();
  const changes: string[] = [];
  events.subscribe((event, payload) => {
    if (event === 'offboarding.changed') changes.push((payload as { what: string }).what);
  });
  const activityLog = await ActivityLog.open(join(directory, 'activity'));
  const activity = new ActivityService(activityLog, events);
  const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity, events });
  const view = (id: string) => {
    const found = views.find((candidate) => candidate.id === id);
    if (!found) throw new AppError('not_found', 'That connection is gone.');
    return found;
  };
  const unexpected: unknown[] = [];
  const service = new OffboardingService({
    adapters: { okta: setup.adapter ?? tenant.adapter },
    connections: { view, list: async () => ({ connections: views, vault: { mode: 'encrypted', problem: null, nextStep: null } }) },
    gateway: { context: (id: string, signal?: AbortSignal) => ({ connection: view(id), apiBaseUrl: `https://${id}.fake.example`, settings: {}, accessToken: async () => 'token', scheduler: undefined as never, ...(signal ? { signal } : {}) }) },
    jobs,
    activity,
    events,
    listStore: setup.listStore ?? createMemoryKeyValueStore(),
    confirmationsStore: setup.confirmationsStore ?? createMemoryKeyValueStore(),
    reportUnexpected: (_context, error) => unexpected.push(error),
    stepRetry: { retries: 3, firstMs: 1, maxMs: 4 },
    progressIntervalMs: 0,
    ...(setup.clock ? { clock: setup.clock } : {}),
  });
  await jobs.start();
  await service.start();
  const close = async () => {
    service.close();
    await jobs.close();
    await activityLog.close();
  };
  const entries = async (action: string) => (await activity.list({ action }, 0, 1_000)).entries;
  return { service, tenant, jobs, activity, entries, changes, unexpected, directory, close };
}

const paste = (emails: readonly string[]) => ({ source: 'paste' as const, text: `email\n${emails.join('\n')}\n` });

/** The start of a plan as the admin confirms it, typing its phrase. */
const confirmed = (plan: OffboardingPlan) => ({ planId: plan.id, confirmation: plan.confirmationPhrase });

async function startedRun(setup: Awaited<ReturnType<typeof serviceWith>>, emails: readonly string[] = departed) {
  await setup.service.importList(paste(emails));
  const plan = await setup.service.plan({ options });
  const run = await setup.service.startRun(confirmed(plan));
  const settled = await setup.jobs.settled(run.job.id);
  await setup.service.summaryWritten(run.job.id);
  return { plan, run, settled };
}

describe('the offboarding list', () => {
  test('imports pasted people, checks them against the directory and keeps the list across a restart', async () => {
    const listStore = createMemoryKeyValueStore();
    const first = await serviceWith({ listStore });
    const list = await first.service.importList(paste([...departed, 'nobody@example.com', 'admin@example.com']));
    expect(list.checks).toEqual([expect.objectContaining({ connectionId: 'c1', state: 'checked', message: '5 people read.' })]);
    expect(list.rows.map((row) => [row.email, row.verdict])).toEqual([
      ['ann@example.com', 'ready'],
      ['bob@example.com', 'ready'],
      ['cy@example.com', 'ready'],
      ['nobody@example.com', 'warning'],
      ['admin@example.com', 'error'],
    ]);
    expect(list.rows[4]!.reasons[0]).toMatchObject({ code: 'signed_in_admin' });
    expect(list.counts).toEqual({ ready: 3, warning: 1, error: 1 });
    expect(first.changes).toContain('list');
    await first.close();

    const second = await serviceWith({ listStore });
    expect(second.service.list().list).toEqual(list);
    await second.close();
  });

  test('a list file of another shape is set aside by name; the console starts without a list and keeps the next one', async () => {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'offboarding-list.json'), JSON.stringify({ list: ['ann@example.com'] }));
    const profile = new ProfileFolder(directory, { openStoreFile: openConfKeyValueStore });
    const listStore = profile.open(offboardingListFile);
    expect(profile.problems).toEqual([expect.objectContaining({ file: 'offboarding-list.json', problem: expect.stringContaining('"list"'), consequence: expect.stringContaining('Import the list again') })]);
    expect((await readdir(directory)).some((name) => name.startsWith('offboarding-list.damaged-'))).toBe(true);
    const setup = await serviceWith({ listStore, directory });
    expect(setup.service.list().list).toBeNull();
    const list = await setup.service.importList(paste(departed));
    expect(new ProfileFolder(directory, { openStoreFile: openConfKeyValueStore }).open(offboardingListFile).get('list')).toMatchObject({ list: { id: list.id } });
    await setup.close();
  });

  test('a directory that cannot be read is that connection’s check, naming why; the rows are kept', async () => {
    const setup = await serviceWith();
    setup.tenant.state.readFailure = new AppError('permission_denied', 'Okta refused to list users: the okta.users.read scope is missing.');
    const list = await setup.service.importList(paste(departed));
    expect(list.checks).toEqual([expect.objectContaining({ state: 'not_readable', message: expect.stringContaining('okta.users.read') })]);
    expect(list.rows).toHaveLength(3);
    expect(list.rows.every((row) => row.verdict === 'warning' && row.reasons.some((reason) => reason.code === 'not_checked'))).toBe(true);
    await setup.close();
  });

  test('fixing a row and dropping rows judge again from the readings held, without reading the directory again', async () => {
    const setup = await serviceWith();
    const reads: number[] = [];
    const readDirectory = setup.tenant.adapter.readDirectory.bind(setup.tenant.adapter);
    setup.tenant.adapter.readDirectory = (context) => {
      reads.push(1);
      return readDirectory(context);
    };
    const list = await setup.service.importList(paste(['ann@example.com', 'not an email']));
    expect(list.rows[1]!.verdict).toBe('error');
    const fixed = await setup.service.editRow({ rowId: list.rows[1]!.id, fields: { email: 'bob@example.com', transferTo: null, providers: null, note: null } });
    expect(fixed.rows.map((row) => [row.email, row.verdict])).toEqual([
      ['ann@example.com', 'ready'],
      ['bob@example.com', 'ready'],
    ]);
    const added = await setup.service.editRow({ rowId: null, fields: { email: 'cy@example.com', transferTo: null, providers: null, note: 'added by hand' } });
    expect(added.rows.at(-1)).toMatchObject({ email: 'cy@example.com', line: null, verdict: 'ready' });
    const dropped = await setup.service.dropRows({ rowIds: [list.rows[0]!.id] });
    expect(dropped.rows.map((row) => row.email)).toEqual(['bob@example.com', 'cy@example.com']);
    expect(reads).toHaveLength(1);
    await setup.service.checkList();
    expect(reads).toHaveLength(2);
    await setup.close();
  });

  test('a row fixed by hand takes the form of an imported one: the admin’s own address in capitals is refused, another case of a listed person is a duplicate', async () => {
    const setup = await serviceWith();
    const list = await setup.service.importList(paste(['ann@example.com', 'not an email']));
    const fixed = await setup.service.editRow({ rowId: list.rows[1]!.id, fields: { email: ' Admin@Example.com ', transferTo: ' Stays@Example.com ', providers: null, note: null } });
    expect(fixed.rows[1]).toMatchObject({ email: 'admin@example.com', transferTo: 'stays@example.com', verdict: 'error' });
    expect(fixed.rows[1]!.reasons.map((reason) => reason.code)).toEqual(['signed_in_admin', 'last_super_admin']);
    const added = await setup.service.editRow({ rowId: null, fields: { email: 'ANN@example.com', transferTo: null, providers: null, note: null } });
    expect(added.rows.at(-1)!.reasons.map((reason) => reason.code)).toEqual(['duplicate']);
    await setup.close();
  });

  test('a changed list replaces its plan', async () => {
    const setup = await serviceWith();
    const list = await setup.service.importList(paste(departed));
    await setup.service.plan({ options });
    expect(setup.service.currentPlan().plan).not.toBeNull();
    await setup.service.dropRows({ rowIds: [list.rows[0]!.id] });
    expect(setup.service.currentPlan().plan).toBeNull();
    await setup.close();
  });
});

describe('an offboarding run', () => {
  test('carries out every step of every person once, in order, and leaves manual steps to the admin', async () => {
    const setup = await serviceWith();
    const { plan, run, settled } = await startedRun(setup);
    expect(plan.confirmationPhrase).toBe('OFFBOARD 3');
    expect(run.job).toMatchObject({ kind: 'offboarding.step', title: 'Offboard 3 people', total: 12 });
    expect(settled).toMatchObject({ state: 'finished', succeeded: 9, failed: 0, skipped: 3 });
    // Each change once, each person's steps in the provider's order.
    expect(setup.tenant.state.effects.toSorted()).toEqual(departed.flatMap((email) => ['fake.suspend', 'fake.tokens', 'fake.sessions'].map((kind) => `${kind}:${email}`)).toSorted());
    for (const email of departed) {
      expect(setup.tenant.state.applies.filter((key) => key.startsWith(`${email}|`))).toEqual([`${email}|fake.tokens`, `${email}|fake.sessions`, `${email}|fake.suspend`]);
    }
    const detail = setup.service.run(run.job.id);
    expect(detail.persons.map((entry) => entry.state)).toEqual(['done', 'done', 'done']);
    expect(detail.persons[0]!.steps.map((step) => [step.kind, step.status, step.code])).toEqual([
      ['fake.tokens', 'succeeded', 'done'],
      ['fake.sessions', 'succeeded', 'done'],
      ['fake.mailbox', 'manual', 'manual'],
      ['fake.suspend', 'succeeded', 'done'],
    ]);
    expect(detail.persons[0]!.steps[0]).toMatchObject({ before: '2 left', after: 'none left', verified: true, requestIds: [expect.stringMatching(/^req-/)] });
    expect(detail.manual).toEqual(departed.map((email) => expect.objectContaining({ email, kind: 'fake.mailbox', where: 'Fake admin console → Users → Mailbox', url: 'https://admin.fake.example/users' })));
    expect(detail.connections).toEqual([{ connectionId: 'c1', label: 'Fake tenant c1', provider: 'okta', total: 12, ended: 12, failed: 0 }]);
    expect(setup.service.runs().runs).toEqual([expect.objectContaining({ people: 3, options, stepsPerMinute: null })]);
    await setup.close();
  });

  test('a failed step leaves the rest of that person’s steps there not attempted, while the others finish', async () => {
    const setup = await serviceWith();
    setup.tenant.fail('bob@example.com', 'fake.sessions', { code: 'permission_denied', message: 'Okta refused: the okta.sessions.manage scope is missing.' });
    const { run, settled } = await startedRun(setup);
    expect(settled).toMatchObject({ state: 'finished', failed: 1 });
    const bob = setup.service.run(run.job.id).persons.find((entry) => entry.email === 'bob@example.com')!;
    expect(bob.state).toBe('failed');
    expect(bob.steps.map((step) => [step.kind, step.status, step.code])).toEqual([
      ['fake.tokens', 'succeeded', 'done'],
      ['fake.sessions', 'failed', 'failed'],
      ['fake.mailbox', 'skipped', 'not_reached'],
      ['fake.suspend', 'skipped', 'not_reached'],
    ]);
    expect(bob.steps[1]!.message).toBe(
      'Sign out everywhere failed at Fake tenant c1: Okta refused: the okta.sessions.manage scope is missing. Once that is fixed, plan bob@example.com again: the steps already done are found done.',
    );
    expect(bob.steps[3]!.message).toBe('Not attempted: Sign out everywhere failed first; nothing after it was done for bob@example.com at Fake tenant c1.');
    // Refused for good: not tried again.
    expect(setup.tenant.state.applies.filter((key) => key === 'bob@example.com|fake.sessions')).toHaveLength(1);
    expect(setup.tenant.state.effects).not.toContain('fake.suspend:bob@example.com');
    expect(setup.tenant.state.effects.filter((effect) => effect.startsWith('fake.suspend:')).toSorted()).toEqual(['fake.suspend:ann@example.com', 'fake.suspend:cy@example.com']);
    await setup.close();
  });

  test('a step that fails for a passing reason is tried again, and fails with the provider’s reason once the tries are used up', async () => {
    const setup = await serviceWith();
    const timeout = { code: 'timeout' as const, message: 'Okta did not answer in time.' };
    setup.tenant.fail('ann@example.com', 'fake.tokens', timeout, { code: 'network', message: 'The connection to Okta was lost.' });
    setup.tenant.fail('cy@example.com', 'fake.tokens', timeout, timeout, timeout, timeout);
    const { run } = await startedRun(setup);
    const steps = setup.service.run(run.job.id).persons.map((entry) => entry.steps[0]!);
    expect(steps[0]).toMatchObject({ status: 'succeeded', code: 'done' });
    expect(steps[2]).toMatchObject({ status: 'failed', message: expect.stringMatching(/^Delete OAuth tokens failed at Fake tenant c1 \(tried 4 times\): Okta did not answer in time\. Once that is fixed, plan cy@example\.com again/) });
    expect(setup.tenant.state.applies.filter((key) => key === 'ann@example.com|fake.tokens')).toHaveLength(3);
    expect(setup.tenant.state.applies.filter((key) => key === 'cy@example.com|fake.tokens')).toHaveLength(4);
    expect(setup.tenant.state.effects.filter((effect) => effect === 'fake.tokens:ann@example.com')).toHaveLength(1);
    await setup.close();
  });

  test('refuses a confirmation that is not the plan’s phrase, and starts nothing', async () => {
    const setup = await serviceWith();
    await setup.service.importList(paste(departed));
    const plan = await setup.service.plan({ options });
    await expect(setup.service.startRun({ planId: plan.id, confirmation: 'OFFBOARD 2' })).rejects.toMatchObject({ code: 'confirmation_mismatch', message: 'Type “OFFBOARD 3” to start the run.' });
    expect(setup.jobs.list()).toEqual([]);
    expect(setup.tenant.state.applies).toEqual([]);
    await setup.close();
  });

  test('refuses to start where offboarding is not allowed, naming the connection and the scopes to allow', async () => {
    const setup = await serviceWith({ views: [fakeView('c1', { held: [] })] });
    await setup.service.importList(paste(departed));
    const plan = await setup.service.plan({ options });
    expect(plan.connections[0]!.missingScopes).toEqual([{ scope: 'fake.users.manage', reason: 'Manages users.' }]);
    await expect(setup.service.startRun(confirmed(plan))).rejects.toMatchObject({
      code: 'remediation_required',
      message: 'Offboarding needs “Offboard departed people” allowed on Fake tenant c1 (fake.users.manage).',
    });
    expect(setup.jobs.list()).toEqual([]);
    await setup.close();
  });

  test('a plan starts one run only', async () => {
    const setup = await serviceWith();
    const { plan } = await startedRun(setup);
    await expect(setup.service.startRun(confirmed(plan))).rejects.toMatchObject({ code: 'plan_expired' });
    expect(setup.jobs.list()).toHaveLength(1);
    await setup.close();
  });

  test('a connection that needs a reconnect pauses the run; the steps not carried out wait for the resume', async () => {
    const setup = await serviceWith();
    setup.tenant.fail('ann@example.com', 'fake.tokens', { code: 'needs_reconnect', message: 'Okta no longer accepts this sign-in.' });
    await setup.service.importList(paste(['ann@example.com']));
    const plan = await setup.service.plan({ options });
    const run = await setup.service.startRun(confirmed(plan));
    expect(await setup.jobs.settled(run.job.id)).toMatchObject({ state: 'paused', reason: expect.stringContaining('Okta no longer accepts this sign-in.') });
    expect(setup.tenant.state.effects).toEqual([]);
    await setup.jobs.resume(run.job.id);
    expect(await setup.jobs.settled(run.job.id)).toMatchObject({ state: 'finished', succeeded: 3, failed: 0 });
    expect(setup.tenant.state.effects).toEqual(['fake.tokens:ann@example.com', 'fake.sessions:ann@example.com', 'fake.suspend:ann@example.com']);
    await setup.close();
  });

  test('a step refused on an account someone else suspended mid-run is recorded as skipped, and the person’s later steps go on', async () => {
    const setup = await serviceWith();
    setup.tenant.state.notApplicable.add('ann@example.com|fake.sessions');
    const { run, settled } = await startedRun(setup, ['ann@example.com']);
    expect(settled).toMatchObject({ state: 'finished', failed: 0 });
    expect(setup.service.run(run.job.id).persons[0]!.steps.map((step) => [step.kind, step.status, step.code])).toEqual([
      ['fake.tokens', 'succeeded', 'done'],
      ['fake.sessions', 'skipped', 'not_applicable'],
      ['fake.mailbox', 'manual', 'manual'],
      ['fake.suspend', 'succeeded', 'done'],
    ]);
    await setup.close();
  });

  test('a transfer target gone since the plan fails the transfer step, so the account is not suspended', async () => {
    const setup = await serviceWith();
    // The fake's sign-out stands in for a step that hands the person's data to the target.
    setup.tenant.adapter.needsTransferTarget = (kind) => kind === 'fake.sessions';
    await setup.service.importList({ source: 'paste', text: 'email,transfer to\nann@example.com,stays@example.com\n' });
    const plan = await setup.service.plan({ options: { ...options, transferData: true } });
    setup.tenant.state.people.delete('stays@example.com');
    const run = await setup.service.startRun(confirmed(plan));
    expect(await setup.jobs.settled(run.job.id)).toMatchObject({ state: 'finished', failed: 1 });
    const ann = setup.service.run(run.job.id).persons[0]!;
    expect(ann.steps.map((step) => [step.kind, step.status, step.code])).toEqual([
      ['fake.tokens', 'succeeded', 'done'],
      ['fake.sessions', 'failed', 'failed'],
      ['fake.mailbox', 'skipped', 'not_reached'],
      ['fake.suspend', 'skipped', 'not_reached'],
    ]);
    expect(ann.steps[1]!.message).toContain('The transfer target stays@example.com is not found at Fake tenant c1 now');
    expect(setup.tenant.state.effects).toEqual(['fake.tokens:ann@example.com']);
    await setup.close();
  });

  test('a double click on confirming a manual step records it once', async () => {
    const setup = await serviceWith();
    const { run } = await startedRun(setup, ['ann@example.com']);
    const request = { runId: run.job.id, email: 'ann@example.com', connectionId: 'c1', kind: 'fake.mailbox' };
    await Promise.all([setup.service.confirmManualStep(request), setup.service.confirmManualStep(request)]);
    expect(await setup.entries('offboarding.manual_confirmed')).toHaveLength(1);
    await setup.close();
  });

  test('a manual step confirmed by the admin shows as done on their word, recorded once', async () => {
    const confirmationsStore = createMemoryKeyValueStore();
    const setup = await serviceWith({ confirmationsStore });
    const { run } = await startedRun(setup, ['ann@example.com']);
    const request = { runId: run.job.id, email: 'Ann@example.com', connectionId: 'c1', kind: 'fake.mailbox' };
    const detail = await setup.service.confirmManualStep(request);
    expect(detail.persons[0]!.steps[2]).toMatchObject({ status: 'succeeded', code: 'confirmed_by_admin', verified: false });
    expect(detail.manual).toEqual([]);
    await setup.service.confirmManualStep(request);
    expect(await setup.entries('offboarding.manual_confirmed')).toEqual([expect.objectContaining({ target: 'Convert the mailbox — ann@example.com at Fake tenant c1', detail: expect.stringContaining('their word') })]);
    await expect(setup.service.confirmManualStep({ ...request, kind: 'fake.tokens' })).rejects.toMatchObject({ code: 'invalid_request' });
    await setup.close();
  });

  test('writes one summary entry per run, and none again at the next start', async () => {
    const directory = await temporaryDirectory();
    const setup = await serviceWith({ directory });
    setup.tenant.fail('bob@example.com', 'fake.sessions', { code: 'permission_denied', message: 'Refused.' });
    const { run } = await startedRun(setup);
    const [entry, ...more] = await setup.entries('offboarding.run');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      target: 'Offboard 3 people',
      result: 'failed',
      errorCode: 'permission_denied',
      detail: `3 people. Fake tenant c1: 7 done, 1 failed, 2 skipped, 2 manual. Job ${run.job.id}.`,
    });
    await setup.close();
    const again = await serviceWith({ directory });
    expect(await again.entries('offboarding.run')).toHaveLength(1);
    await again.close();
  });
});

/** A run of the kernel holding a step for this person, as one left from before a restart would. */
function heldStep(email: string): Omit<JobItem<StepPayload>, 'n'> {
  const payload: StepPayload = {
    planId: 'an-older-plan',
    connectionId: 'c1',
    connectionLabel: 'Fake tenant c1',
    provider: 'okta',
    email,
    transferTo: null,
    kind: 'fake.tokens',
    mode: 'api',
    title: 'Delete OAuth tokens',
    options,
    confirmedAt: '2026-12-04T09:00:00.000Z',
    where: null,
    note: null,
  };
  return { key: `${email}|c1|fake.tokens`, label: stepLabel(payload), phase: 0, chain: `${email}|c1`, payload };
}

describe('starting a run', () => {
  test('two starts of one plan at once make one run; the other is refused', async () => {
    const setup = await serviceWith();
    await setup.service.importList(paste(departed));
    const plan = await setup.service.plan({ options });
    const request = confirmed(plan);
    const [first, second] = await Promise.allSettled([setup.service.startRun(request), setup.service.startRun(request)]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'plan_expired', message: 'This plan was started already; its run is listed under Runs.' } });
    expect(setup.jobs.list()).toHaveLength(1);
    await setup.jobs.settled(setup.jobs.list()[0]!.id);
    expect(setup.tenant.state.effects).toHaveLength(9);
    await setup.close();
  });

  test('a stop between the run’s creation and the plan’s save cannot let the plan start a second run', async () => {
    const directory = await temporaryDirectory();
    const saved = createMemoryKeyValueStore();
    // The plan's save after the job's creation never reaches the disk: as if Consentry stopped in between.
    const listStore: KeyValueStore = {
      get: (key) => saved.get(key),
      delete: (key) => saved.delete(key),
      set: (key, value) => {
        if (key !== 'plan' || (value as { runId: string | null }).runId === null) saved.set(key, value);
      },
    };
    const first = await serviceWith({ directory, listStore });
    const { plan } = await startedRun(first);
    expect(saved.get('plan')).toMatchObject({ runId: null, startingAt: expect.any(String) });
    await first.close();

    const second = await serviceWith({ directory, listStore, tenant: first.tenant });
    expect(second.service.currentPlan().plan?.id).toBe(plan.id);
    await expect(second.service.startRun(confirmed(plan))).rejects.toMatchObject({ code: 'plan_expired' });
    expect(second.jobs.list()).toHaveLength(1);
    expect(first.tenant.state.effects).toHaveLength(9);
    await second.close();
  });

  test('a plan naming someone an unfinished run still holds steps for is refused, naming the run and what to do; once it is cancelled they can be planned', async () => {
    const setup = await serviceWith();
    setup.tenant.fail('ann@example.com', 'fake.tokens', { code: 'needs_reconnect', message: 'Okta no longer accepts this sign-in.' });
    await setup.service.importList(paste(['ann@example.com']));
    const first = await setup.service.plan({ options });
    const run = await setup.service.startRun(confirmed(first));
    expect(await setup.jobs.settled(run.job.id)).toMatchObject({ state: 'paused' });

    await setup.service.importList(paste(['ann@example.com', 'bob@example.com']));
    await expect(setup.service.plan({ options })).rejects.toMatchObject({
      code: 'list_not_ready',
      message: expect.stringMatching(/^ann@example\.com at Fake tenant c1 still has steps waiting in the run “Offboard 1 person” \(paused, started [\d-]+ [\d:]+ UTC\): resume that run or cancel it under Runs first, then plan again\.$/),
    });
    expect(setup.service.currentPlan().plan).toBeNull();
    await setup.jobs.cancel(run.job.id);
    await setup.jobs.settled(run.job.id);
    expect((await setup.service.plan({ options })).people.map((person) => person.email)).toEqual(['ann@example.com', 'bob@example.com']);
    await setup.close();
  });

  test('a start is refused when a run holding the same people exists since the plan was made, and starts nothing', async () => {
    const setup = await serviceWith();
    await setup.service.importList(paste(['ann@example.com', 'bob@example.com']));
    const plan = await setup.service.plan({ options });
    // A run of an older plan that waits for a reconnect.
    setup.tenant.fail('bob@example.com', 'fake.tokens', { code: 'needs_reconnect', message: 'Okta no longer accepts this sign-in.' });
    const older = await setup.jobs.create<StepPayload>({ kind: 'offboarding.step', title: 'Offboard 1 person', subject: 'Fake tenant c1', items: [heldStep('bob@example.com')] });
    expect(await setup.jobs.settled(older.id)).toMatchObject({ state: 'paused' });
    await expect(setup.service.startRun(confirmed(plan))).rejects.toMatchObject({
      code: 'list_not_ready',
      message: expect.stringContaining('bob@example.com at Fake tenant c1 still has steps waiting in the run “Offboard 1 person” (paused'),
    });
    expect(setup.jobs.list()).toHaveLength(1);
    expect(setup.tenant.state.effects).toEqual([]);
    await setup.close();
  });

  test('a plan more than an hour old is refused at the start', async () => {
    let now = Date.parse('2026-12-04T10:00:00.000Z');
    const setup = await serviceWith({ clock: () => new Date(now) });
    await setup.service.importList(paste(departed));
    const plan = await setup.service.plan({ options });
    now += 61 * 60_000;
    await expect(setup.service.startRun(confirmed(plan))).rejects.toMatchObject({
      code: 'plan_expired',
      message: 'This plan is more than 60 minutes old: the directories it was worked out from may have changed since.',
    });
    expect(setup.jobs.list()).toEqual([]);
    await setup.close();
  });

  test('a connection whose directory could not be read takes no steps; the others do', async () => {
    const setup = await serviceWith({ views: [fakeView('c1'), fakeView('c2')] });
    const readDirectory = setup.tenant.adapter.readDirectory.bind(setup.tenant.adapter);
    setup.tenant.adapter.readDirectory = async (context) => {
      if (context.apiBaseUrl === 'https://c2.fake.example') throw new AppError('permission_denied', 'Okta refused to list users: the okta.users.read scope is missing.');
      return readDirectory(context);
    };
    await setup.service.importList(paste(['ann@example.com']));
    const plan = await setup.service.plan({ options });
    expect(plan.connections.find((connection) => connection.connectionId === 'c2')).toMatchObject({
      blocked: 'Fake tenant c2 takes no steps: its directory could not be read: Okta refused to list users: the okta.users.read scope is missing; check the list again.',
      apiSteps: 0,
    });
    expect(plan.people[0]!.steps.every((step) => step.connectionId === 'c1')).toBe(true);
    await setup.close();
  });

  test('the start checks the guards again on the directories read after a restart: the last active super admin, or a directory that cannot be read, refuse it', async () => {
    const directory = await temporaryDirectory();
    const listStore = createMemoryKeyValueStore();
    const first = await serviceWith({ directory, listStore });
    await first.service.importList(paste(['ann@example.com']));
    const plan = await first.service.plan({ options });
    await first.close();
    const request = confirmed(plan);

    // Since the plan, Ann became a super admin and the only other one was suspended.
    const { tenant } = first;
    tenant.state.people.get('ann@example.com')!.superAdmin = true;
    tenant.state.people.get('admin@example.com')!.suspended = true;
    const second = await serviceWith({ directory, listStore, tenant });
    await expect(second.service.startRun(request)).rejects.toMatchObject({
      code: 'list_not_ready',
      message: 'The list holds every active super admin of Fake tenant c1 (ann@example.com): drop one of them, or make another admin a super admin first.',
    });
    await second.close();

    tenant.state.readFailure = new AppError('network', 'Okta could not be reached.');
    const third = await serviceWith({ directory, listStore, tenant });
    await expect(third.service.startRun(request)).rejects.toMatchObject({
      code: 'list_not_ready',
      message: 'Fake tenant c1 takes no steps: its directory could not be read: Okta could not be reached; check the list again.',
    });
    expect(third.jobs.list()).toEqual([]);
    expect(tenant.state.applies).toEqual([]);
    await third.close();
  });
});

describe('the dry run', () => {
  test('measures what each step would change without changing anything, with totals per step', async () => {
    const setup = await serviceWith();
    await setup.service.importList(paste(['ann@example.com', 'bob@example.com']));
    const plan = await setup.service.plan({ options });
    expect(setup.service.dryRun({ planId: plan.id }).dryRun).toMatchObject({ state: 'running', total: 2 });
    await setup.service.dryRunSettled();
    const { dryRun } = setup.service.currentPlan().plan!;
    expect(dryRun).toMatchObject({ state: 'finished', done: 2, total: 2, reason: null });
    expect(dryRun!.people[0]!.steps.map((step) => [step.kind, step.state, step.count])).toEqual([
      ['fake.tokens', 'would_change', 2],
      ['fake.sessions', 'would_change', 1],
      ['fake.mailbox', 'manual', null],
      ['fake.suspend', 'would_change', 1],
    ]);
    expect(dryRun!.totals).toEqual([
      { connectionId: 'c1', kind: 'fake.tokens', people: 2, items: 4, failed: 0 },
      { connectionId: 'c1', kind: 'fake.sessions', people: 2, items: 2, failed: 0 },
      { connectionId: 'c1', kind: 'fake.suspend', people: 2, items: 2, failed: 0 },
    ]);
    expect(setup.tenant.state.applies).toEqual([]);
    expect(setup.tenant.state.effects).toEqual([]);
    expect(setup.changes).toContain('dryRun');
    await setup.close();
  });

  test('a step that cannot be measured is that step’s failure; the rest are still read', async () => {
    const setup = await serviceWith();
    const measure = setup.tenant.adapter.measure.bind(setup.tenant.adapter);
    setup.tenant.adapter.measure = async (context, kind, target) => {
      if (kind === 'fake.sessions') throw new AppError('permission_denied', 'Sessions cannot be read: okta.sessions.read is missing.');
      return measure(context, kind, target);
    };
    await setup.service.importList(paste(['ann@example.com']));
    const plan = await setup.service.plan({ options });
    setup.service.dryRun({ planId: plan.id });
    await setup.service.dryRunSettled();
    const steps = setup.service.currentPlan().plan!.dryRun!.people[0]!.steps;
    expect(steps.map((step) => step.state)).toEqual(['would_change', 'failed', 'manual', 'would_change']);
    expect(steps[1]!.description).toContain('okta.sessions.read');
    await setup.close();
  });

  test('can be cancelled: the people read so far stay, nothing more is read', async () => {
    const setup = await serviceWith();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const findPerson = setup.tenant.adapter.findPerson.bind(setup.tenant.adapter);
    setup.tenant.adapter.findPerson = async (context, email) => {
      if (email !== 'ann@example.com') await gate;
      return findPerson(context, email);
    };
    await setup.service.importList(paste(departed));
    const plan = await setup.service.plan({ options });
    setup.service.dryRun({ planId: plan.id });
    await expect.poll(() => setup.service.currentPlan().plan!.dryRun!.done).toBe(1);
    const cancelling = setup.service.cancelDryRun({ planId: plan.id });
    release();
    const { dryRun } = await cancelling;
    expect(dryRun).toMatchObject({ state: 'cancelled', done: 1 });
    expect(dryRun!.people.map((entry) => entry.email)).toEqual(['ann@example.com']);
    await setup.close();
  });
});
