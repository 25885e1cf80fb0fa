import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import type { JobItem } from '../../../../src-main/jobs/job-model';
import { OffboardingStepKind, stepLabel, type StepPayload } from '../../../../src-main/offboarding/offboarding-step-kind';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { fakeTenant, fakeView, type FakePerson } from './fake-offboarding';

const ann: FakePerson = { email: 'ann@example.com', tokens: 2, sessions: 1, suspended: false };

function payload(overrides: Partial<StepPayload> = {}): StepPayload {
  return {
    planId: 'plan-1',
    connectionId: 'c1',
    connectionLabel: 'Acme Okta',
    provider: 'okta',
    email: 'ann@example.com',
    transferTo: null,
    kind: 'fake.tokens',
    mode: 'api',
    title: 'Delete OAuth tokens',
    options: { suspend: true, transferData: false, connectionIds: [] },
    confirmedAt: '2026-12-04T10:00:00.000Z',
    where: null,
    note: null,
    ...overrides,
  };
}

function item(overrides: Partial<StepPayload> = {}, n = 0): JobItem<StepPayload> {
  const body = payload(overrides);
  return { n, key: `${body.email}|${body.connectionId}|${body.kind}`, label: stepLabel(body), phase: 0, chain: `${body.email}|${body.connectionId}`, payload: body };
}

function kindWith(people: FakePerson[] = [{ ...ann }]) {
  const tenant = fakeTenant(people);
  const finds: string[] = [];
  const findPerson = tenant.adapter.findPerson.bind(tenant.adapter);
  tenant.adapter.findPerson = (context, email) => {
    finds.push(email);
    return findPerson(context, email);
  };
  const gateway = { context: (id: string, signal?: AbortSignal) => ({ connection: fakeView(id), apiBaseUrl: undefined, settings: {}, accessToken: async () => 'token', scheduler: undefined as never, ...(signal ? { signal } : {}) }) };
  const steps = new OffboardingStepKind({ adapters: { okta: tenant.adapter }, gateway, retry: { retries: 3, firstMs: 1, maxMs: 4 } });
  return { tenant, finds, steps, kind: steps.kind(), gateway };
}

const signal = () => new AbortController().signal;

describe('an offboarding step', () => {
  test('a manual step is recorded as the admin’s to do, with the place, never as done', async () => {
    const { kind, tenant } = kindWith();
    const outcome = await kind.execute(item({ kind: 'fake.mailbox', mode: 'manual', title: 'Convert the mailbox', where: { label: 'Fake admin console → Users', url: 'https://admin.fake.example/users' } }), signal());
    expect(outcome).toEqual({
      result: 'skipped',
      code: 'manual',
      verified: false,
      errorCode: null,
      message: 'Manual step: Convert the mailbox for ann@example.com at Fake admin console → Users (https://admin.fake.example/users). Consentry has no API for it and did not do it.',
    });
    expect(tenant.state.applies).toEqual([]);
  });

  test('a step the plan found not to apply is recorded as skipped with why, without a call', async () => {
    const { kind, tenant, finds } = kindWith();
    expect(await kind.execute(item({ mode: 'skip', note: 'Not found at Acme Okta: nothing to do there.' }), signal())).toMatchObject({ result: 'skipped', code: 'not_applicable', message: 'Not found at Acme Okta: nothing to do there.' });
    expect(tenant.state.applies).toEqual([]);
    expect(finds).toEqual([]);
  });

  test('a person gone from the directory since the plan is skipped as not found', async () => {
    const { kind, tenant } = kindWith([]);
    expect(await kind.execute(item(), signal())).toMatchObject({ result: 'skipped', code: 'not_found', message: 'ann@example.com is not found at Acme Okta now: nothing to do there.' });
    expect(tenant.state.applies).toEqual([]);
  });

  test('what applies is judged on the person as they are now: a step refused for a suspended account is skipped', async () => {
    const { kind, tenant } = kindWith([{ ...ann, suspended: true }]);
    expect(await kind.execute(item({ kind: 'fake.sessions', title: 'Sign out everywhere' }), signal())).toMatchObject({ result: 'skipped', code: 'not_applicable', message: 'Sessions of a suspended account cannot be listed here.' });
    expect(tenant.state.applies).toEqual([]);
  });

  test('records what was read before and after, and the request ids, as evidence', async () => {
    const { kind } = kindWith();
    expect(await kind.execute(item(), signal())).toEqual({
      result: 'succeeded',
      code: 'done',
      verified: true,
      errorCode: null,
      message: 'Removed 2; none remain.',
      evidence: { before: '2 left', after: 'none left', requestIds: ['req-1'] },
    });
  });

  test('a step carried out again after a stop that finds its work done says it was sent before the stop, verified by that read', async () => {
    const { kind, tenant } = kindWith([{ ...ann, tokens: 0 }]);
    expect(await kind.execute(item(), signal(), { afterStop: true })).toEqual({
      result: 'succeeded',
      code: 'already_done',
      verified: true,
      errorCode: null,
      message: 'Sent before Consentry stopped; found done when resumed: none left',
      evidence: { before: 'none left', after: 'none left', requestIds: [] },
    });
    expect(tenant.state.effects).toEqual([]);
  });

  test('a first carrying-out that finds nothing left, or a repeat after a stop that still had work, reads as what it did', async () => {
    const { kind } = kindWith([{ ...ann, sessions: 0 }]);
    expect(await kind.execute(item({ kind: 'fake.sessions' }), signal(), { afterStop: false })).toMatchObject({ code: 'already_done', message: 'Nothing was left to remove.' });
    expect(await kind.execute(item({ kind: 'fake.tokens' }, 1), signal(), { afterStop: true })).toMatchObject({ code: 'done', message: 'Removed 2; none remain.' });
  });

  test('resolves a person once per run and connection, and afresh for another run or after the run is forgotten', async () => {
    const { kind, steps, finds } = kindWith();
    await kind.execute(item(), signal());
    await kind.execute(item({ kind: 'fake.sessions' }, 1), signal());
    expect(finds).toEqual(['ann@example.com']);
    await kind.execute(item({ planId: 'plan-2' }), signal());
    expect(finds).toHaveLength(2);
    steps.forget('plan-1');
    await kind.execute(item({ kind: 'fake.suspend' }, 2), signal());
    expect(finds).toHaveLength(3);
  });

  test('a step the provider finds cannot apply to the account as it is now is skipped with what was read, not failed', async () => {
    const { kind, tenant } = kindWith();
    tenant.state.notApplicable.add('ann@example.com|fake.sessions');
    expect(await kind.execute(item({ kind: 'fake.sessions', title: 'Sign out everywhere' }), signal())).toEqual({
      result: 'skipped',
      code: 'not_applicable',
      verified: false,
      errorCode: null,
      message: 'Refused on a suspended account: nothing to remove there now.',
      evidence: { before: 'suspended', after: null, requestIds: [] },
    });
  });

  test('the transfer target is looked up only for the step that needs it: a failing lookup fails no other step', async () => {
    const { kind, tenant, finds } = kindWith([{ ...ann }, { email: 'boss@example.com', tokens: 0, sessions: 0, suspended: false }]);
    tenant.adapter.needsTransferTarget = (stepKind) => stepKind === 'fake.sessions';
    const findPerson = tenant.adapter.findPerson;
    tenant.adapter.findPerson = async (context, email) => {
      if (email === 'boss@example.com') throw new AppError('permission_denied', 'Okta refused to read boss@example.com.');
      return findPerson(context, email);
    };
    expect(await kind.execute(item({ transferTo: 'boss@example.com' }), signal())).toMatchObject({ result: 'succeeded', code: 'done' });
    expect(finds).toEqual(['ann@example.com']);
    expect(await kind.execute(item({ kind: 'fake.sessions', title: 'Sign out everywhere', transferTo: 'boss@example.com' }, 1), signal())).toMatchObject({ result: 'failed', errorCode: 'permission_denied' });
  });

  test('a transfer target not found now fails the transfer step, naming it, rather than skipping it as if none was given', async () => {
    const { kind, tenant } = kindWith();
    tenant.adapter.needsTransferTarget = (stepKind) => stepKind === 'fake.sessions';
    expect(await kind.execute(item({ kind: 'fake.sessions', title: 'Transfer data', transferTo: 'gone@example.com' }), signal())).toEqual({
      result: 'failed',
      code: 'failed',
      verified: false,
      errorCode: 'not_found',
      message:
        "Transfer data failed at Acme Okta: The transfer target gone@example.com is not found at Acme Okta now, so ann@example.com's data would go to nobody: correct the transfer-to in the list. Once that is fixed, plan ann@example.com again: the steps already done are found done.",
    });
    expect(tenant.state.applies).toEqual([]);
  });

  test('the transfer target is read afresh for each person’s step, never from another chain’s reading', async () => {
    const { kind, tenant, finds } = kindWith([{ ...ann }, { email: 'cy@example.com', tokens: 1, sessions: 1, suspended: false }, { email: 'boss@example.com', tokens: 0, sessions: 0, suspended: false }]);
    tenant.adapter.needsTransferTarget = (stepKind) => stepKind === 'fake.sessions';
    await kind.execute(item({ kind: 'fake.sessions', transferTo: 'boss@example.com' }), signal());
    await kind.execute(item({ kind: 'fake.sessions', email: 'cy@example.com', transferTo: 'boss@example.com' }, 1), signal());
    expect(finds.filter((email) => email === 'boss@example.com')).toHaveLength(2);
  });

  test('a lookup that fails for a passing reason is tried again with the step', async () => {
    const { kind, tenant, finds } = kindWith();
    const findPerson = tenant.adapter.findPerson;
    let failures = 1;
    tenant.adapter.findPerson = async (context, email) => {
      if (failures-- > 0) throw new AppError('network', 'The connection to Okta was lost.');
      return findPerson(context, email);
    };
    expect(await kind.execute(item(), signal())).toMatchObject({ result: 'succeeded', code: 'done' });
    expect(finds).toHaveLength(1);
  });

  test('a stop during the wait before a retry leaves the step unanswered (in doubt), not failed', async () => {
    const tenant = fakeTenant([{ ...ann }]);
    tenant.fail('ann@example.com', 'fake.tokens', { code: 'timeout', message: 'Okta did not answer in time.' });
    const gateway = { context: (id: string, abort?: AbortSignal) => ({ connection: fakeView(id), apiBaseUrl: undefined, settings: {}, accessToken: async () => 'token', scheduler: undefined as never, ...(abort ? { signal: abort } : {}) }) };
    const kind = new OffboardingStepKind({ adapters: { okta: tenant.adapter }, gateway, retry: { retries: 3, firstMs: 60_000, maxMs: 60_000 } }).kind();
    const controller = new AbortController();
    const running = kind.execute(item(), controller.signal);
    await expect.poll(() => tenant.state.applies.length).toBe(1);
    controller.abort(new Error('closing'));
    await expect(running).rejects.toThrow('closing');
  });

  test('a connection that needs a reconnect pauses the run; other failures do not', () => {
    const { kind } = kindWith();
    expect(kind.pausesJob!({ result: 'failed', code: 'failed', verified: false, message: 'Okta no longer accepts this sign-in.', errorCode: 'needs_reconnect' })).toContain('Reconnect the connection on the Connections page');
    expect(kind.pausesJob!({ result: 'failed', code: 'failed', verified: false, message: 'Refused.', errorCode: 'permission_denied' })).toBeNull();
  });

  test('a step whose change was made but whose answer was lost in a stop is carried out again after the restart and finds its work done', async () => {
    const directory = await temporaryDirectory();
    const { steps, tenant } = kindWith();
    const open = async () => {
      const events = new EventHub();
      const log = await ActivityLog.open(join(directory, 'activity'));
      const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity: new ActivityService(log, events), events });
      jobs.register(steps.kind());
      await jobs.start();
      return { jobs, close: async () => (await jobs.close(), await log.close()) };
    };
    const first = await open();
    tenant.state.loseAnswerOf = 'fake.sessions';
    const job = await first.jobs.create<StepPayload>({
      kind: 'offboarding.step',
      title: 'Offboard 1 person',
      subject: 'Acme Okta',
      items: [item(), item({ kind: 'fake.sessions', title: 'Sign out everywhere' }), item({ kind: 'fake.suspend', title: 'Suspend the account' })],
    });
    await expect.poll(() => tenant.state.effects).toEqual(['fake.tokens:ann@example.com', 'fake.sessions:ann@example.com']);
    await first.close();

    const second = await open();
    expect(second.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', inDoubt: 1 });
    expect(second.jobs.summary(job.id).reason).toBe('Consentry stopped while this job was running, with 1 step under way: it is not counted as done, and Consentry checks it again before going on.');
    await second.jobs.resume(job.id);
    expect(await second.jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 3 });
    expect(tenant.state.effects).toEqual(['fake.tokens:ann@example.com', 'fake.sessions:ann@example.com', 'fake.suspend:ann@example.com']);
    expect(second.jobs.items(job.id).map(({ outcome }) => outcome?.code)).toEqual(['done', 'already_done', 'done']);
    // The evidence says this run did it before the stop, verified by the read that found it done.
    expect(second.jobs.items(job.id)[1]!.outcome).toMatchObject({ verified: true, message: 'Sent before Consentry stopped; found done when resumed: none left' });
    await second.close();
  });
});
