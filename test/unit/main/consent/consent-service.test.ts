import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import type { AppConsentState, ConsentCallOutcome, ConsentPolicyReading, ConsentRequestReading, ProviderConsent } from '../../../../src-main/consent/consent-port';
import { ConsentService } from '../../../../src-main/consent/consent-service';
import { GoogleAppDecisions } from '../../../../src-main/consent/google-app-decisions';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import { createExternalUrlPolicy } from '../../../../src-main/security/external-url-policy';
import { createMemoryKeyValueStore } from '../../../../src-main/storage/memory-key-value-store';
import type { ConsentWorkflow } from '../../../../src-shared/contract/consent';
import type { ConnectionView } from '../../../../src-shared/contract/connections';
import { temporaryDirectory } from '../../../support/temporary-directory';

const appId = 'b0a4d5e6-0000-4000-8000-000000000001';
const consentScopes = ['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All'];
const ok = (code: string, message = 'Done.'): ConsentCallOutcome => ({ ok: true, code, message, errorCode: null });

/** An Entra tenant in memory: what the adapter would read and change through Graph. */
function fakeTenant() {
  const tenant = {
    assigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
    allowedToCreateApps: true,
    /** Null: the admin consent workflow could not be read (the adapter says why). */
    workflow: null as ConsentWorkflow | null,
    app: { appId, displayName: null, publisher: null, verifiedPublisher: null, servicePrincipalId: null, accountEnabled: null, appRoleAssignmentRequired: null, tenantWideGrant: null, appRoles: [] } as AppConsentState,
    requests: [{ id: 'req-1', appId, appDisplayName: 'Board Notes', pendingScopes: ['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All'], userRequests: [{ id: 'u1', stageIds: ['s1'], requestedBy: 'ada@contoso.test', reason: 'Board minutes', createdAt: '2026-12-01T10:00:00Z', status: 'InProgress' }] }] as ConsentRequestReading[],
    decisions: [] as { id: string; decision: string; justification: string }[],
    failAssign: false,
    failRead: false,
    /** A call to set the tenant-wide scopes that never answers: the process stops while it is in flight. */
    holdSetScopes: null as Promise<void> | null,
    /** The same for a policy change, a sign-in change and a denial. */
    holdChange: null as Promise<void> | null,
  };
  const adapter: ProviderConsent = {
    readScopes: ['Policy.Read.All'],
    readPolicy: async (): Promise<ConsentPolicyReading> => {
      if (tenant.failRead) throw new Error('socket hang up');
      const workflow = tenant.workflow ? structuredClone(tenant.workflow) : null;
      return { provider: 'microsoft', permissionGrantPoliciesAssigned: [...tenant.assigned], allowedToCreateApps: tenant.allowedToCreateApps, workflow, workflowProblem: workflow ? null : { code: 'permission_denied', message: 'Refused.' } };
    },
    changePolicy: async (_context, change) => {
      if (tenant.holdChange) await tenant.holdChange;
      if (change.kind === 'user_consent') tenant.assigned = change.value === 'none' ? [] : ['ManagePermissionGrantsForSelf.microsoft-user-default-low'];
      if (change.kind === 'app_registration') tenant.allowedToCreateApps = change.allowed;
      if (change.kind === 'admin_consent_workflow') {
        const named = (query: string) => tenant.workflow?.reviewers.find((reviewer) => reviewer.query === query)?.displayName ?? (query === '/users/u-ada' ? 'Ada Admin' : null);
        tenant.workflow = { isEnabled: change.isEnabled, notifyReviewers: change.notifyReviewers, remindersEnabled: change.remindersEnabled, requestDurationInDays: change.requestDurationInDays, reviewers: change.reviewers.map(({ query }) => ({ query, displayName: named(query) })) };
      }
      return ok('updated');
    },
    resolveReviewers: async (_context, references) => ({
      found: references.filter((reference) => reference === 'ada@contoso.test').map(() => ({ query: '/users/u-ada', displayName: 'Ada Admin' })),
      notFound: references.filter((reference) => reference !== 'ada@contoso.test'),
    }),
    pendingRequests: async () => tenant.requests.map((request) => ({ ...request })),
    decideRequest: async (_context, request, decision, justification) => {
      if (tenant.holdChange) await tenant.holdChange;
      tenant.decisions.push({ id: request.id, decision, justification });
      tenant.requests = tenant.requests.filter((pending) => pending.id !== request.id);
      return ok('decided');
    },
    appState: async () => structuredClone(tenant.app),
    resourcePermissions: async () => ({ servicePrincipalId: 'graph', delegated: new Set(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']), appRoles: new Map([['User.Read.All', 'r1']]) }),
    createServicePrincipal: async () => {
      tenant.app = { ...tenant.app, servicePrincipalId: 'sp-1', displayName: 'Board Notes', accountEnabled: true, appRoleAssignmentRequired: false };
      return { ...ok('created'), servicePrincipalId: 'sp-1' };
    },
    setTenantWideScopes: async (_context, _sp, scopes) => {
      if (tenant.holdSetScopes) await tenant.holdSetScopes;
      tenant.app = { ...tenant.app, tenantWideGrant: scopes.length ? { id: 'g1', scopes: [...scopes] } : null };
      return ok('updated');
    },
    assignAppRole: async (_context, _sp, permission) => {
      if (tenant.failAssign) return { ok: false, code: 'forbidden', message: 'Microsoft Graph refused: assigning needs AppRoleAssignment.ReadWrite.All.', errorCode: 'permission_denied' };
      tenant.app = { ...tenant.app, appRoles: [...tenant.app.appRoles, { assignmentId: `a-${permission}`, permission }] };
      return ok('created');
    },
    removeAppRole: async () => ok('deleted'),
    setSignIn: async (_context, _sp, change) => {
      if (tenant.holdChange) await tenant.holdChange;
      tenant.app = { ...tenant.app, ...change };
      return ok('updated');
    },
    describeFailure: () => ({ code: 'network', message: 'Microsoft Graph could not be reached.', nextStep: 'Check the network.' }),
  };
  return { tenant, adapter };
}

function viewOf(id: string, provider: ConnectionView['provider'], consentHeld: boolean): ConnectionView {
  return {
    id,
    label: provider === 'microsoft' ? 'Contoso' : `Acme ${provider}`,
    provider,
    providerLabel: provider === 'microsoft' ? 'Microsoft 365' : provider,
    scopesGranted: ['Policy.Read.All', ...(consentHeld ? consentScopes : [])],
    capabilities: [{ id: 'consent', allowed: consentHeld, held: consentHeld, extraScopes: consentScopes.map((scope) => ({ scope, reason: '' })) }],
    settings: provider === 'microsoft' ? { issuer: 'https://127.0.0.1:47001/contoso/v2.0' } : {},
  } as unknown as ConnectionView;
}

interface ConsoleOptions {
  consentHeld?: boolean;
  clock?: () => Date;
  /** Reopens the console on an earlier one's profile folder and tenant, as after a restart. */
  reopen?: { directory: string; fake: ReturnType<typeof fakeTenant> };
  /** The activity log refuses entries of this action (as if Consentry stopped before writing them). */
  refuse?: string;
}

async function consoleWith(options: ConsoleOptions = {}) {
  const directory = options.reopen?.directory ?? (await temporaryDirectory());
  const events = new EventHub();
  const changed: string[] = [];
  events.subscribe((event, payload) => {
    if (event === 'consent.changed') changed.push((payload as { connectionId: string }).connectionId);
  });
  const log = await ActivityLog.open(join(directory, 'activity'));
  const activity = new ActivityService(log, events);
  const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity, events });
  const fake = options.reopen?.fake ?? fakeTenant();
  const { tenant, adapter } = fake;
  const unexpected: string[] = [];
  const views = [viewOf('ms', 'microsoft', options.consentHeld ?? true), viewOf('zoom', 'zoom', false)];
  const view = (id: string) => {
    const found = views.find((candidate) => candidate.id === id);
    if (!found) throw new AppError('not_found', 'That connection is gone.');
    return found;
  };
  const rescans: string[][] = [];
  const opened: { url: string; trustedHosts: readonly string[] | undefined }[] = [];
  const service = new ConsentService({
    consents: { microsoft: adapter },
    connections: { view, list: async () => ({ connections: views, vault: { mode: 'encrypted', problem: null, nextStep: null } }) },
    gateway: { context: (id: string) => ({ connection: view(id), apiBaseUrl: undefined, settings: {}, accessToken: async () => 'token', scheduler: undefined as never }) },
    jobs,
    activity: {
      list: (filter, offset, limit) => activity.list(filter, offset, limit),
      record: async (record) => {
        if (record.action === options.refuse) throw new AppError('storage_unavailable', 'The activity log cannot be written.');
        return activity.record(record);
      },
    },
    events,
    googleDecisions: new GoogleAppDecisions(createMemoryKeyValueStore()),
    openExternal: async (url, context) => {
      opened.push({ url, trustedHosts: context?.trustedHosts });
    },
    rescan: async (ids) => rescans.push([...ids]),
    reportUnexpected: (context, error) => {
      // Only a test that makes the log refuse an entry expects to hear of it.
      if (!options.refuse) throw new Error(`${context}: ${String(error)}`);
      unexpected.push(`${context}: ${String(error)}`);
    },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await jobs.start();
  const entries = async (action: string) => (await activity.list({ action }, 0, 100)).entries;
  return { service, tenant, adapter, fake, directory, jobs, views, changed, rescans, opened, entries, unexpected };
}

const approveBoardNotes = async (service: ConsentService) => {
  const review = await service.review({ connectionId: 'ms', appId, requestId: 'req-1', delegated: [], application: [] });
  return service.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read', 'Calendars.Read'], keepApplication: [], method: 'graph' });
};

describe('consent policies', () => {
  test('reads each tenant with an adapter, checks it, and lists providers without one as unsupported', async () => {
    const { service } = await consoleWith();
    const policies = await service.policies();
    expect(policies.unsupported).toEqual([{ connectionId: 'zoom', label: 'Acme zoom', provider: 'zoom', why: expect.stringContaining('no API') }]);
    const [contoso] = policies.tenants;
    expect(contoso).toMatchObject({ state: 'read', canChange: true, microsoft: { userConsent: 'legacy' } });
    expect(contoso!.checks.find((check) => check.controlId === 'MS.AAD.5.2v1')!.result).toBe('fail');
    expect(contoso!.checks.find((check) => check.controlId === 'MS.AAD.5.3v1')!.result).toBe('error');
  });

  test('a failed read says why for that tenant only', async () => {
    const { service, tenant } = await consoleWith();
    tenant.failRead = true;
    const [contoso] = (await service.policies(['ms'])).tenants;
    expect(contoso).toMatchObject({ state: 'failed', checks: [], failure: { code: 'network', message: 'Microsoft Graph could not be reached.' } });
  });

  test('changes user consent to none as a job and reads it back: the check passes and the log has before → after', async () => {
    const { service, entries, changed } = await consoleWith();
    const plan = await service.planPolicyChange({ connectionId: 'ms', change: { kind: 'user_consent', value: 'none' } });
    expect(plan).toMatchObject({ before: 'Users may consent to any app', after: 'Users cannot consent to apps', call: 'PATCH /policies/authorizationPolicy', missingScopes: [] });
    const result = await service.changePolicy({ planId: plan.planId, confirmation: '' });
    expect(result.applied).toBe(true);
    expect(result.policy.checks.find((check) => check.controlId === 'MS.AAD.5.2v1')!.result).toBe('pass');
    // Written once, by the decision log, before the answer.
    expect(await entries('consent.policy_changed')).toMatchObject([{ result: 'succeeded', detail: expect.stringContaining('Users may consent to any app → Users cannot consent to apps') }]);
    expect(changed).toContain('ms');
  });

  test('a workflow change keeps a group reviewer the workflow has by its query, looks a new user up, and refuses a query it does not have', async () => {
    const { service, tenant } = await consoleWith();
    const group = { query: '/groups/g-1/transitiveMembers/microsoft.graph.user', displayName: 'App reviewers' };
    tenant.workflow = { isEnabled: true, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 14, reviewers: [group] };
    const change = { kind: 'admin_consent_workflow' as const, isEnabled: true, notifyReviewers: true, remindersEnabled: true, requestDurationInDays: 14 };
    const plan = await service.planPolicyChange({ connectionId: 'ms', change: { ...change, reviewers: [group.query, 'ada@contoso.test'] } });
    expect(plan.after).toContain('App reviewers');
    expect((await service.changePolicy({ planId: plan.planId, confirmation: '' })).applied).toBe(true);
    expect(tenant.workflow.reviewers).toEqual([group, { query: '/users/u-ada', displayName: 'Ada Admin' }]);
    await expect(service.planPolicyChange({ connectionId: 'ms', change: { ...change, reviewers: ['/groups/g-2/transitiveMembers/microsoft.graph.user'] } })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(service.planPolicyChange({ connectionId: 'ms', change: { ...change, reviewers: ['nobody@contoso.test'] } })).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('nobody@contoso.test') });
  });

  test('a policy change on a connection without the consent capability is refused before anything is sent', async () => {
    const { service, tenant } = await consoleWith({ consentHeld: false });
    const plan = await service.planPolicyChange({ connectionId: 'ms', change: { kind: 'app_registration', allowed: false } });
    expect(plan.missingScopes).toEqual(consentScopes);
    await expect(service.changePolicy({ planId: plan.planId, confirmation: '' })).rejects.toMatchObject({ code: 'remediation_required' });
    expect(tenant.allowedToCreateApps).toBe(true);
  });

  test('an expired plan is refused and nothing changes', async () => {
    let now = new Date('2026-12-04T10:00:00Z');
    const { service, tenant } = await consoleWith({ clock: () => now });
    const plan = await service.planPolicyChange({ connectionId: 'ms', change: { kind: 'app_registration', allowed: false } });
    now = new Date('2026-12-04T11:00:00Z');
    await expect(service.changePolicy({ planId: plan.planId, confirmation: '' })).rejects.toMatchObject({ code: 'plan_expired' });
    expect(tenant.allowedToCreateApps).toBe(true);
  });
});

describe('requests and decisions', () => {
  test('lists the pending requests with their scopes rated', async () => {
    const { service } = await consoleWith();
    const { requests, unavailable } = await service.requests();
    expect(unavailable).toEqual([]);
    expect(requests[0]).toMatchObject({ appName: 'Board Notes', connectionLabel: 'Contoso', firstRequestedAt: '2026-12-01T10:00:00Z', requests: [{ requestedBy: 'ada@contoso.test', reason: 'Board minutes' }] });
    expect(requests[0]!.scopes.map((scope) => scope.scope)).toEqual(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']);
  });

  test('a request shows its publisher once the app has a service principal in the tenant, and none before', async () => {
    const { service, tenant } = await consoleWith();
    expect((await service.requests()).requests[0]).toMatchObject({ publisher: null, verifiedPublisher: null, inTenant: false });
    tenant.app = { ...tenant.app, servicePrincipalId: 'sp-1', displayName: 'Board Notes', publisher: 'Notable Software', verifiedPublisher: true };
    expect((await service.requests()).requests[0]).toMatchObject({ publisher: 'Notable Software', verifiedPublisher: true, inTenant: true });
  });

  test('denies a request and records the reason', async () => {
    const { service, tenant, entries } = await consoleWith();
    const result = await service.deny({ connectionId: 'ms', requestId: 'req-1', reason: 'Board Notes stores minutes outside the EU' });
    expect(result.atProvider).toBe('recorded');
    expect(tenant.decisions).toEqual([{ id: 'req-1', decision: 'Deny', justification: 'Board Notes stores minutes outside the EU' }]);
    expect(await entries('consent.denied')).toMatchObject([{ target: 'Board Notes (Contoso)', result: 'succeeded', detail: expect.stringContaining('Reason: Board Notes stores minutes outside the EU') }]);
    expect(await entries('consent.deny')).toHaveLength(1);
  });

  test('a request someone else already decided is a clear error', async () => {
    const { service } = await consoleWith();
    await service.deny({ connectionId: 'ms', requestId: 'req-1', reason: 'No' });
    await expect(service.deny({ connectionId: 'ms', requestId: 'req-1', reason: 'No' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('no longer pending') });
  });
});

describe('granting exactly the kept scopes', () => {
  test('approves Board Notes keeping two scopes: creates its service principal, grants them, records the approval, reads back exactly those', async () => {
    const { service, tenant, jobs, entries, rescans } = await consoleWith();
    const plan = await approveBoardNotes(service);
    expect(plan.droppedDelegated).toEqual(['Mail.Read', 'Files.Read.All']);
    const job = await service.grant({ planId: plan.planId, confirmation: '' });
    await jobs.settled(job.id);
    const result = await service.grantResult(job.id);
    expect(result.steps.map((step) => step.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(result.granted).toMatchObject({ delegated: ['User.Read', 'Calendars.Read'], missing: [], extra: [], matches: true });
    expect(tenant.decisions).toEqual([{ id: 'req-1', decision: 'Approve', justification: expect.stringContaining('User.Read Calendars.Read') }]);
    await expect.poll(async () => (await entries('consent.granted')).length).toBe(1);
    expect((await entries('consent.granted'))[0]!.detail).toContain('Board Notes: User.Read Calendars.Read (dropped Mail.Read Files.Read.All)');
    expect(rescans).toEqual([['ms']]);
  });

  test('a partial failure lists what exists now', async () => {
    const { service, tenant, jobs, entries } = await consoleWith();
    tenant.failAssign = true;
    const review = await service.review({ connectionId: 'ms', appId, delegated: ['User.Read'], application: ['User.Read.All'] });
    const plan = service.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read'], keepApplication: ['User.Read.All'], method: 'graph' });
    expect(plan.confirmationText).toBeNull();
    const job = await service.grant({ planId: plan.planId, confirmation: '' });
    await jobs.settled(job.id);
    const result = await service.grantResult(job.id);
    expect(result.steps.find((step) => step.outcome === 'failed')!.message).toContain('AppRoleAssignment.ReadWrite.All');
    expect(result.granted).toMatchObject({ delegated: ['User.Read'], application: [], missing: ['User.Read.All'], matches: false });
    await expect.poll(async () => (await entries('consent.granted')).map((entry) => entry.result)).toEqual(['failed']);
  });

  test('a grant by client id of an app with no service principal yet names the app as the tenant knows it after the grant', async () => {
    const { service, jobs, entries } = await consoleWith();
    const review = await service.review({ connectionId: 'ms', appId, delegated: ['User.Read'], application: [] });
    expect(review.appName).toBe(appId);
    const plan = service.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read'], keepApplication: [], method: 'graph' });
    const job = await service.grant({ planId: plan.planId, confirmation: '' });
    // The job is titled before the tenant knows the app: by its client id.
    expect(job.title).toContain(appId);
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 2 });
    await expect.poll(async () => (await entries('consent.granted')).length).toBe(1);
    const [entry] = await entries('consent.granted');
    expect(entry).toMatchObject({ target: 'Board Notes (Contoso)', result: 'succeeded', detail: `Board Notes: User.Read. Job ${job.id}.` });
  });

  test('a grant job stopped mid-way gets its decision entry once resumed after the restart, and only once', async () => {
    const before = await consoleWith();
    const plan = await approveBoardNotes(before.service);
    before.tenant.holdSetScopes = new Promise<never>(() => undefined);
    const job = await before.service.grant({ planId: plan.planId, confirmation: '' });
    await expect.poll(() => before.jobs.items(job.id).map((entry) => entry.status)).toEqual(['succeeded', 'running', 'pending']);
    // The process dies here: the call setting the scopes is sent and never answered.
    before.tenant.holdSetScopes = null;

    const after = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await after.service.start();
    expect(after.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', inDoubt: 1 });
    expect(await after.entries('consent.granted')).toEqual([]);
    await after.jobs.resume(job.id);
    expect(await after.jobs.settled(job.id)).toMatchObject({ state: 'finished', succeeded: 3 });
    await expect.poll(async () => (await after.entries('consent.granted')).map((entry) => entry.result)).toEqual(['succeeded']);
    expect((await after.entries('consent.granted'))[0]!.detail).toContain(`Board Notes: User.Read Calendars.Read (dropped Mail.Read Files.Read.All). Job ${job.id}.`);
    await expect.poll(() => after.rescans).toEqual([['ms']]);
    expect(after.changed).toContain('ms');

    // Another start finds the entry in the log and writes none.
    const again = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await again.service.start();
    expect(await again.entries('consent.granted')).toHaveLength(1);
    expect(again.rescans).toEqual([]);
  });

  test('a grant job that ended just before a stop, its entry unwritten, gets it at the next start once', async () => {
    const before = await consoleWith({ refuse: 'consent.granted' });
    const plan = await approveBoardNotes(before.service);
    const job = await before.service.grant({ planId: plan.planId, confirmation: '' });
    expect(await before.jobs.settled(job.id)).toMatchObject({ state: 'finished' });
    await expect.poll(() => before.unexpected).toEqual([expect.stringContaining('recording a consent decision')]);
    expect(await before.entries('consent.granted')).toEqual([]);

    const after = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await after.service.start();
    await after.service.start();
    expect((await after.entries('consent.granted')).map((entry) => entry.detail)).toEqual([expect.stringContaining(`Job ${job.id}.`)]);
    expect(after.rescans).toEqual([['ms']]);
    const again = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await again.service.start();
    expect(await again.entries('consent.granted')).toHaveLength(1);
  });

  test('a paused grant job gets no decision entry until it ends', async () => {
    const { service, tenant, jobs, entries } = await consoleWith();
    const plan = await approveBoardNotes(service);
    let answer = () => undefined as void;
    tenant.holdSetScopes = new Promise<void>((resolve) => (answer = resolve));
    const job = await service.grant({ planId: plan.planId, confirmation: '' });
    await expect.poll(() => jobs.items(job.id).map((entry) => entry.status)).toEqual(['succeeded', 'running', 'pending']);
    jobs.pause(job.id);
    tenant.holdSetScopes = null;
    answer();
    expect(await jobs.settled(job.id)).toMatchObject({ state: 'paused', notStarted: 1 });
    await jobs.cancel(job.id);
    // Had the pause been recorded too, its entry would come first.
    await expect.poll(async () => (await entries('consent.granted')).map((entry) => entry.result)).toEqual(['failed']);
    expect((await entries('consent.granted'))[0]!.detail).toContain('Not done: Approve the consent request for Board Notes');
  });

  test('a plan whose app changed since the review is refused, and a plan cannot be confirmed twice', async () => {
    const { service, tenant } = await consoleWith();
    const plan = await approveBoardNotes(service);
    tenant.app = { ...tenant.app, servicePrincipalId: 'sp-9', displayName: 'Board Notes' };
    await expect(service.grant({ planId: plan.planId, confirmation: '' })).rejects.toMatchObject({ code: 'plan_expired' });
    await expect(service.grant({ planId: plan.planId, confirmation: '' })).rejects.toMatchObject({ code: 'plan_expired' });
  });

  test('opens Microsoft’s prompt through the guarded opener and logs it', async () => {
    const { service, adapter, opened, entries } = await consoleWith();
    adapter.adminConsentUrl = (_context, app, scopes) => `https://127.0.0.1:47001/contoso/v2.0/adminconsent?client_id=${app}&scope=${scopes.join('%20')}`;
    const review = await service.review({ connectionId: 'ms', appId, requestId: 'req-1', delegated: [], application: [] });
    const plan = service.planGrant({ reviewId: review.reviewId, keepDelegated: ['User.Read'], keepApplication: [], method: 'browser' });
    await expect(service.grant({ planId: plan.planId, confirmation: '' })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await service.openConsentPrompt(plan.planId)).toEqual({ opened: true });
    expect(opened[0]!.url).toContain('scope=User.Read');
    // The guarded opener accepts the connection's own sign-in host (the sample's, on this computer) and Microsoft's.
    expect(opened[0]!.trustedHosts).toEqual(['127.0.0.1:47001']);
    const policy = createExternalUrlPolicy();
    expect(policy(opened[0]!.url, { trustedHosts: opened[0]!.trustedHosts })).toMatchObject({ allowed: true });
    expect(policy(opened[0]!.url)).toMatchObject({ allowed: false });
    expect(policy(`https://login.microsoftonline.com/contoso/v2.0/adminconsent?client_id=${appId}&scope=User.Read`)).toMatchObject({ allowed: true });
    expect(await entries('consent.prompt_opened')).toHaveLength(1);
    expect((await service.readBack(plan.planId)).missing).toEqual(['User.Read']);
  });
});

describe('a policy change, block or denial gets its one decision entry, whenever Consentry stops', () => {
  const reason = 'Board Notes stores minutes outside the EU';
  const oneCallDecisions = [
    {
      action: 'consent.policy_changed',
      kind: 'consent.policy',
      target: 'Who may consent to apps (Contoso)',
      detail: 'Users may consent to any app → Users cannot consent to apps. Verified by reading back.',
      make: async (service: ConsentService) => {
        const plan = await service.planPolicyChange({ connectionId: 'ms', change: { kind: 'user_consent', value: 'none' } });
        return service.changePolicy({ planId: plan.planId, confirmation: '' });
      },
    },
    {
      action: 'consent.blocked',
      kind: 'consent.block',
      target: 'Board Notes (Contoso)',
      detail: 'Every user can sign in to it → Nobody can sign in to it. Verified by reading back.',
      make: async (service: ConsentService) => {
        const plan = await service.planBlock({ connectionId: 'ms', appId, mode: 'disable_sign_in' });
        return service.block({ planId: plan.planId, confirmation: 'Board Notes' });
      },
    },
    {
      action: 'consent.denied',
      kind: 'consent.deny',
      target: 'Board Notes (Contoso)',
      detail: `Asked for: User.Read Calendars.Read Mail.Read Files.Read.All. Done. Reason: ${reason}`,
      make: (service: ConsentService) => service.deny({ connectionId: 'ms', requestId: 'req-1', reason }),
    },
  ];
  const inTenant = (fake: ReturnType<typeof fakeTenant>) => {
    fake.tenant.app = { ...fake.tenant.app, servicePrincipalId: 'sp-1', displayName: 'Board Notes', accountEnabled: true, appRoleAssignmentRequired: false };
  };

  test.each(oneCallDecisions)('$action: a job stopped in its call gets the entry once resumed after the restart, and only once', async ({ action, kind, target, detail, make }) => {
    const before = await consoleWith();
    inTenant(before.fake);
    before.tenant.holdChange = new Promise<never>(() => undefined);
    void make(before.service).catch(() => undefined);
    await expect.poll(() => before.jobs.list().filter((job) => job.kind === kind).flatMap((job) => before.jobs.items(job.id).map((entry) => entry.status))).toEqual(['running']);
    const [job] = before.jobs.list();
    // The process dies here: the call is sent and never answered.
    before.tenant.holdChange = null;

    const after = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await after.service.start();
    expect(after.jobs.summary(job!.id)).toMatchObject({ state: 'interrupted', inDoubt: 1 });
    expect(await after.entries(action)).toEqual([]);
    await after.jobs.resume(job!.id);
    expect(await after.jobs.settled(job!.id)).toMatchObject({ state: 'finished', succeeded: 1 });
    await expect.poll(async () => (await after.entries(action)).length).toBe(1);
    expect(await after.entries(action)).toMatchObject([{ target, result: 'succeeded', errorCode: null, detail: `${detail} Job ${job!.id}.` }]);
    expect(after.changed).toContain('ms');
    expect(after.rescans).toEqual([]);

    const again = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await again.service.start();
    expect(await again.entries(action)).toHaveLength(1);
  });

  test.each(oneCallDecisions)('$action: a job that ended just before a stop, its entry unwritten, gets it at the next start once', async ({ action, target, detail, make }) => {
    const before = await consoleWith({ refuse: action });
    inTenant(before.fake);
    await make(before.service);
    expect(before.unexpected).toEqual([expect.stringContaining('recording a consent decision')]);
    expect(await before.entries(action)).toEqual([]);
    const [job] = before.jobs.list();

    const after = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await after.service.start();
    await after.service.start();
    expect(await after.entries(action)).toMatchObject([{ target, result: 'succeeded', detail: `${detail} Job ${job!.id}.` }]);
    const again = await consoleWith({ reopen: { directory: before.directory, fake: before.fake } });
    await again.service.start();
    expect(await again.entries(action)).toHaveLength(1);
  });

  test('a denial the provider refused is logged as failed with its reason', async () => {
    const { service, adapter, entries } = await consoleWith();
    adapter.decideRequest = async () => ({ ok: false, code: 'forbidden', message: 'Microsoft Graph refused the decision.', errorCode: 'permission_denied' });
    await expect(service.deny({ connectionId: 'ms', requestId: 'req-1', reason })).rejects.toMatchObject({ code: 'permission_denied' });
    expect(await entries('consent.denied')).toMatchObject([{ result: 'failed', errorCode: 'permission_denied', detail: expect.stringContaining(`Microsoft Graph refused the decision. Reason: ${reason}`) }]);
  });
});

describe('blocking an app', () => {
  test('disabling sign-in needs the app’s name typed, then reads back that nobody can sign in', async () => {
    const { service, tenant, entries } = await consoleWith();
    tenant.app = { ...tenant.app, servicePrincipalId: 'sp-1', displayName: 'Board Notes', accountEnabled: true, appRoleAssignmentRequired: false };
    const plan = await service.planBlock({ connectionId: 'ms', appId, mode: 'disable_sign_in' });
    expect(plan).toMatchObject({ before: 'Every user can sign in to it', after: 'Nobody can sign in to it', confirmationText: 'Board Notes' });
    await expect(service.block({ planId: plan.planId, confirmation: 'Board' })).rejects.toMatchObject({ code: 'confirmation_mismatch' });
    const result = await service.block({ planId: plan.planId, confirmation: 'board notes' });
    expect(result).toMatchObject({ applied: true, accountEnabled: false });
    expect(await entries('consent.blocked')).toMatchObject([{ target: 'Board Notes (Contoso)', result: 'succeeded', detail: expect.stringContaining('Every user can sign in to it → Nobody can sign in to it. Verified by reading back.') }]);
  });

  test('an app with no service principal has nothing to block', async () => {
    const { service } = await consoleWith();
    await expect(service.planBlock({ connectionId: 'ms', appId, mode: 'disable_sign_in' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('Google app decisions', () => {
  test('keeps decisions per client id, logs each, and exports one client id per line', async () => {
    const { service, views, entries } = await consoleWith();
    views.push(viewOf('g', 'google', false));
    await service.decideGoogleApp({ connectionId: 'g', clientId: '123-abc.apps.googleusercontent.com', appName: 'Survey Hub', decision: 'blocked', note: 'Unreviewed' });
    await service.decideGoogleApp({ connectionId: 'g', clientId: '456-def.apps.googleusercontent.com', appName: 'Board Notes', decision: 'trusted' });
    const list = await service.decideGoogleApp({ connectionId: 'g', clientId: '789-ghi.apps.googleusercontent.com', appName: 'Old', decision: 'blocked' });
    expect(list.decisions).toHaveLength(3);
    expect(service.exportGoogleList('blocked')).toEqual({ fileName: 'consentry-google-blocked-client-ids.txt', content: '123-abc.apps.googleusercontent.com\n789-ghi.apps.googleusercontent.com\n', count: 2 });
    const cleared = await service.decideGoogleApp({ connectionId: 'g', clientId: '789-ghi.apps.googleusercontent.com', appName: 'Old', decision: null });
    expect(cleared.decisions).toHaveLength(2);
    expect((await entries('consent.google_decision')).map((entry) => entry.detail)).toContainEqual(expect.stringContaining('blocked → undecided'));
  });

  test('decisions are for Google connections only', async () => {
    const { service } = await consoleWith();
    await expect(service.decideGoogleApp({ connectionId: 'ms', clientId: 'x', appName: 'x', decision: 'trusted' })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
