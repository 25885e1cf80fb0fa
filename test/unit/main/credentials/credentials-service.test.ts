import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import type { CredentialReading, ProviderCredentials, ReadCredential } from '../../../../src-main/credentials/credentials-port';
import { CredentialsService } from '../../../../src-main/credentials/credentials-service';
import { AppError } from '../../../../src-main/errors/app-error';
import { EventHub } from '../../../../src-main/events/event-hub';
import { JobKernel } from '../../../../src-main/jobs/job-kernel';
import { createMemoryKeyValueStore } from '../../../../src-main/storage/memory-key-value-store';
import type { KeyValueStore } from '../../../../src-main/storage/key-value-store';
import type { ConnectionView } from '../../../../src-shared/contract/connections';
import type { CredentialAlert } from '../../../../src-shared/contract/credentials';
import { defaultSettings, type Settings } from '../../../../src-shared/contract/settings';
import type { CapabilityId } from '../../../../src-shared/domain/ids';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { daysFromNow, now, readCredential } from './read-credential';

const read = (overrides: Partial<ReadCredential> & Pick<ReadCredential, 'credentialId'>) => readCredential({ expiresAt: daysFromNow(300), ...overrides });

/** A provider's tenant in memory: what its adapter lists, disables and removes. */
function fakeProvider(credentials: ReadCredential[]) {
  const state = {
    credentials: [...credentials],
    reads: 0,
    calls: [] as string[],
    problems: [] as CredentialReading['problems'],
    failWith: null as Error | null,
    /** The next remove deletes, then waits for the job to stop before it answers. */
    stopAfterRemove: false,
  };
  const adapter: ProviderCredentials = {
    read: async () => {
      state.reads += 1;
      if (state.failWith) throw state.failWith;
      return { credentials: state.credentials.map((credential) => ({ ...credential })), problems: state.problems };
    },
    readOne: async (_context, credential) => state.credentials.find((candidate) => candidate.credentialId === credential.credentialId) ?? null,
    rotator: () => null,
    ownerCredentialIds: async (_context, old) => state.credentials.filter((candidate) => candidate.ownerId === old.ownerId && candidate.kind === old.kind).map((candidate) => candidate.credentialId),
    disable: async (_context, credential) => {
      state.calls.push(`disable ${credential.credentialId}`);
      const found = state.credentials.find((candidate) => candidate.credentialId === credential.credentialId);
      if (!found) return 'already_gone';
      if (found.disabled) return 'already_disabled';
      found.disabled = true;
      return 'disabled';
    },
    remove: async (context, credential) => {
      state.calls.push(`remove ${credential.credentialId}`);
      const before = state.credentials.length;
      state.credentials = state.credentials.filter((candidate) => candidate.credentialId !== credential.credentialId);
      if (state.stopAfterRemove) {
        state.stopAfterRemove = false;
        const signal = context.signal!;
        await new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
      }
      return state.credentials.length < before ? 'removed' : 'already_gone';
    },
  };
  return { state, adapter };
}

function viewOf(id: string, provider: ConnectionView['provider'], options: { held?: CapabilityId[]; credentialScopes?: string[]; clientSecret?: boolean; status?: ConnectionView['status'] } = {}): ConnectionView {
  const credentialScopes = options.credentialScopes ?? [];
  const held = options.held ?? [];
  return {
    id,
    label: `${provider} tenant`,
    provider,
    providerLabel: provider === 'microsoft' ? 'Microsoft 365' : provider,
    status: options.status ?? 'active',
    hasClientSecret: options.clientSecret ?? false,
    connectedAt: daysFromNow(-30),
    lastRefreshAt: daysFromNow(-1),
    scopesGranted: held.includes('credentials') ? credentialScopes : [],
    capabilities: [{ id: 'credentials', allowed: held.includes('credentials'), held: held.includes('credentials'), extraScopes: credentialScopes.map((scope) => ({ scope, reason: '' })) }],
    settings: {},
  } as unknown as ConnectionView;
}

interface Setup {
  views: ConnectionView[];
  adapters: Record<string, ProviderCredentials>;
  projects?: Record<string, string[]>;
  /** When each connection's client secret was entered; undefined: before Consentry recorded it. */
  secretsEnteredAt?: Record<string, string | undefined>;
  alertsStore?: KeyValueStore;
  directory?: string;
  /** Collects what would be reported as unexpected instead of failing the test. */
  unexpected?: unknown[];
}

async function serviceWith(setup: Setup) {
  const directory = setup.directory ?? (await temporaryDirectory());
  const events = new EventHub();
  const published: { event: string; payload: unknown }[] = [];
  events.subscribe((event, payload) => published.push({ event, payload }));
  const activity = new ActivityService(await ActivityLog.open(join(directory, 'activity')), events);
  const jobs = new JobKernel({ directory: join(directory, 'jobs'), activity, events, clock: () => now });
  let settings: Settings = { ...defaultSettings };
  const view = (id: string) => {
    const found = setup.views.find((candidate) => candidate.id === id);
    if (!found) throw new AppError('not_found', 'That connection is gone.');
    return found;
  };
  const projectsStore = createMemoryKeyValueStore();
  projectsStore.set('connections', Object.entries(setup.projects ?? {}).map(([connectionId, projects]) => ({ connectionId, projects })));
  const notices: { title: string; body: string }[] = [];
  const service = new CredentialsService({
    adapters: setup.adapters,
    connections: {
      view,
      list: async () => ({ connections: setup.views, vault: { mode: 'encrypted', problem: null, nextStep: null } }),
      clientSecretEnteredAt: (id) => (view(id).hasClientSecret ? (setup.secretsEnteredAt ?? {})[id] : null),
    },
    gateway: { context: (id: string, signal?: AbortSignal) => ({ connection: view(id), apiBaseUrl: undefined, settings: {}, accessToken: async () => 'token', scheduler: undefined as never, ...(signal ? { signal } : {}) }) },
    jobs,
    activity,
    events,
    settings: { get: () => settings },
    cloudProjectsStore: projectsStore,
    alertsStore: setup.alertsStore ?? createMemoryKeyValueStore(),
    notify: (notice) => notices.push(notice),
    reportUnexpected: (context, error) => {
      if (!setup.unexpected) throw new Error(`${context}: ${String(error)}`);
      setup.unexpected.push(error);
    },
    clock: () => now,
  });
  await jobs.start();
  const changeSettings = (patch: Partial<Settings>) => {
    settings = { ...settings, ...patch };
    events.publish('settings.changed', settings);
  };
  const alerts = () => published.filter((entry) => entry.event === 'credentials.alert').flatMap((entry) => (entry.payload as { alerts: CredentialAlert[] }).alerts);
  return { service, jobs, activity, published, notices, alerts, changeSettings, directory, close: () => jobs.close() };
}

const oktaScopes = ['okta.apiTokens.read', 'okta.apiTokens.manage'];

describe('the inventory', () => {
  test('lists every tenant’s credentials under one key each with the policy’s status, and says how each connection was read', async () => {
    const microsoft = fakeProvider([
      read({ credentialId: 'k-expiring', expiresAt: daysFromNow(10) }),
      read({ credentialId: 'k-old', createdAt: daysFromNow(-120) }),
      read({ kind: 'sp_certificate', ownerKind: 'service_principal', ownerId: 'sp-teamchat', ownerName: 'TeamChat', credentialId: 'k-saml', expiresAt: daysFromNow(-2) }),
    ]);
    const okta = fakeProvider([read({ kind: 'okta_api_token', ownerKind: 'account', credentialId: 'tok-1' })]);
    const google = fakeProvider([]);
    const { service, close } = await serviceWith({
      views: [
        viewOf('ms', 'microsoft'),
        viewOf('okta', 'okta', { credentialScopes: oktaScopes }),
        viewOf('google', 'google'),
        viewOf('zoom', 'zoom', { clientSecret: true }),
        viewOf('old', 'hubspot', { clientSecret: true }),
      ],
      adapters: { microsoft: microsoft.adapter, okta: okta.adapter, google: google.adapter },
      secretsEnteredAt: { zoom: daysFromNow(-100), old: undefined },
    });
    const inventory = await service.inventory();
    expect(inventory.credentials.map((credential) => [credential.key, credential.status])).toEqual([
      ['ms|app_secret|app-payroll|k-expiring', 'expiring'],
      ['ms|app_secret|app-payroll|k-old', 'too_old'],
      ['ms|sp_certificate|sp-teamchat|k-saml', 'expired'],
      ['zoom|connection_client_secret|zoom|client_secret', 'too_old'],
      ['old|connection_client_secret|old|client_secret', 'ok'],
    ]);
    expect(inventory.credentials[0]).toMatchObject({ connectionId: 'ms', tenantLabel: 'microsoft tenant', provider: 'microsoft', readAt: now.toISOString(), rotationId: null, findings: [{ status: 'expiring', reason: expect.stringContaining('Expires in 10 days') }] });
    expect(inventory.credentials[4]).toMatchObject({ createdAt: null, revocable: false, lastUsedNote: expect.stringContaining('Age unknown: entered before Consentry recorded it.') });
    expect(inventory.sources.map((source) => [source.connectionId, source.state, source.count])).toEqual([
      ['ms', 'read', 3],
      ['okta', 'missing_scopes', 0],
      ['google', 'needs_projects', 0],
      ['zoom', 'not_supported', 0],
      ['old', 'not_supported', 0],
    ]);
    expect(inventory.sources[1]).toMatchObject({ missingScopes: oktaScopes, nextStep: expect.stringContaining('Allow “Rotate keys and secrets”') });
    // Okta without the capability and Google without projects were not asked at all.
    expect([okta.state.reads, google.state.reads]).toEqual([0, 0]);
    expect(inventory).toMatchObject({ readAt: now.toISOString(), reading: false, policy: { defaultMaxAgeDays: 90 } });
    close();
  });

  test('a partial read lists what was read and names what was not; a failed read gives its code and next step; a refusal of everything is missing scopes', async () => {
    const partial = fakeProvider([read({ credentialId: 'k1' })]);
    partial.state.problems = [{ what: 'Service principals', code: 'permission_denied', message: 'Graph answered 403.', missingScopes: ['Application.Read.All'] }];
    const failing = fakeProvider([]);
    failing.state.failWith = new AppError('network', 'Google Cloud could not be reached.', { nextStep: 'Check the network, then read again.' });
    const refused = fakeProvider([]);
    refused.state.problems = [{ what: 'Okta API tokens', code: 'permission_denied', message: 'Okta answered 403.', missingScopes: ['okta.apiTokens.read'] }];
    const { service, close } = await serviceWith({
      views: [viewOf('ms', 'microsoft'), viewOf('google', 'google'), viewOf('okta', 'okta', { held: ['credentials'], credentialScopes: oktaScopes })],
      adapters: { microsoft: partial.adapter, google: failing.adapter, okta: refused.adapter },
      projects: { google: ['acme-prod'] },
    });
    const { sources, credentials } = await service.inventory();
    expect(sources[0]).toMatchObject({ state: 'partial', count: 1, missingScopes: ['Application.Read.All'], message: 'Read 1 credential; not read: Service principals (Graph answered 403.).' });
    expect(sources[1]).toMatchObject({ state: 'failed', message: 'Google Cloud could not be reached. (network)', nextStep: 'Check the network, then read again.' });
    expect(sources[2]).toMatchObject({ state: 'missing_scopes', missingScopes: ['okta.apiTokens.read'], nextStep: expect.stringContaining('okta.apiTokens.read') });
    expect(credentials.map((credential) => credential.key)).toEqual(['ms|app_secret|app-payroll|k1']);
    close();
  });

  test('a connection whose read breaks unexpectedly is listed as failed, never left out, and the error is reported', async () => {
    const broken = fakeProvider([]);
    // An answer the service cannot take apart: no credentials list at all.
    broken.adapter.read = async () => ({}) as CredentialReading;
    const fine = fakeProvider([read({ credentialId: 'k1' })]);
    const unexpected: unknown[] = [];
    const { service, close } = await serviceWith({ views: [viewOf('ms', 'microsoft'), viewOf('google', 'google')], adapters: { microsoft: broken.adapter, google: fine.adapter }, projects: { google: ['acme-prod'] }, unexpected });
    const { sources, credentials } = await service.inventory();
    expect(sources.map((source) => [source.connectionId, source.state])).toEqual([
      ['ms', 'failed'],
      ['google', 'read'],
    ]);
    expect(sources[0]).toMatchObject({ message: expect.stringContaining('unexpected error'), nextStep: expect.stringContaining('Read again') });
    expect(credentials.map((credential) => credential.credentialId)).toEqual(['k1']);
    expect(unexpected).toHaveLength(1);
    await close();
  });

  test('a disconnected or signed-out connection is not read and says how to fix it', async () => {
    const microsoft = fakeProvider([read({ credentialId: 'k1' })]);
    const { service, close } = await serviceWith({ views: [viewOf('ms', 'microsoft', { status: 'needs_reconnect' })], adapters: { microsoft: microsoft.adapter } });
    expect((await service.inventory()).sources).toMatchObject([{ state: 'failed', nextStep: expect.stringContaining('Reconnect') }]);
    expect(microsoft.state.reads).toBe(0);
    close();
  });

  test('a policy change re-applies the status to what was read, without reading again, and tells the page', async () => {
    const microsoft = fakeProvider([read({ credentialId: 'k1', createdAt: daysFromNow(-45) })]);
    const { service, changeSettings, published, close } = await serviceWith({ views: [viewOf('ms', 'microsoft')], adapters: { microsoft: microsoft.adapter } });
    expect((await service.inventory()).credentials[0]!.status).toBe('ok');
    const changes = published.filter((entry) => entry.event === 'credentials.changed').length;
    changeSettings({ credentialMaxAgeDays: { app_secret: 30 } });
    const after = await service.inventory();
    expect(after.credentials[0]).toMatchObject({ status: 'too_old', findings: [{ reason: expect.stringContaining('the maximum age for client secrets is 30 days') }] });
    expect(after.policy.maxAgeDays).toEqual({ app_secret: 30 });
    expect(microsoft.state.reads).toBe(1);
    expect(published.filter((entry) => entry.event === 'credentials.changed')).toHaveLength(changes + 1);
    close();
  });

  test('holds 10,000 credentials, each found by its key', async () => {
    const many = Array.from({ length: 10_000 }, (_, n) => read({ credentialId: `k${n}`, ownerId: `app-${n % 500}`, createdAt: daysFromNow(-(n % 200)) }));
    const microsoft = fakeProvider(many);
    const { service, close } = await serviceWith({ views: [viewOf('ms', 'microsoft')], adapters: { microsoft: microsoft.adapter } });
    const { credentials } = await service.inventory();
    expect(new Set(credentials.map((credential) => credential.key)).size).toBe(10_000);
    expect(service.credential('ms|app_secret|app-7|k9507')).toMatchObject({ credentialId: 'k9507', status: 'too_old' });
    expect(service.credential('ms|app_secret|app-7|k9508')).toBeNull();
    close();
  });
});

describe('expiry alerts', () => {
  test('one desktop notice and one in-app alert per credential entering the window or expiring, once, also after a restart', async () => {
    const microsoft = fakeProvider([read({ credentialId: 'k-expiring', expiresAt: daysFromNow(10) }), read({ credentialId: 'k-expired', expiresAt: daysFromNow(-1) }), read({ credentialId: 'k-fine' })]);
    const alertsStore = createMemoryKeyValueStore();
    const setup = { views: [viewOf('ms', 'microsoft')], adapters: { microsoft: microsoft.adapter }, alertsStore };
    const first = await serviceWith(setup);
    await first.service.start();
    await first.service.read();
    expect(first.alerts()).toEqual([
      { credentialKey: 'ms|app_secret|app-payroll|k-expiring', status: 'expiring', title: 'Secret k-expiring expires soon', message: expect.stringContaining('Expires in 10 days') },
      { credentialKey: 'ms|app_secret|app-payroll|k-expired', status: 'expired', title: 'Secret k-expired has expired', message: expect.stringContaining('Expired 1 day ago') },
    ]);
    expect(first.notices.map((notice) => notice.title)).toEqual(['Consentry: Secret k-expiring expires soon', 'Consentry: Secret k-expired has expired']);
    first.service.close();
    first.close();
    // The next start reads the same; the expiring one has now expired: that alone is new.
    microsoft.state.credentials[0]!.expiresAt = daysFromNow(-0.5);
    const again = await serviceWith(setup);
    await again.service.start();
    expect(again.alerts().map((alert) => [alert.credentialKey, alert.status])).toEqual([['ms|app_secret|app-payroll|k-expiring', 'expired']]);
    expect(again.notices).toHaveLength(1);
    again.service.close();
    again.close();
  });
});

describe('expiry alerts waiting for a window', () => {
  test('keeps the alerts raised in this run until the admin dismisses them, and drops one whose credential no longer needs rotating', async () => {
    const microsoft = fakeProvider([
      read({ credentialId: 'k-expiring', expiresAt: daysFromNow(10) }),
      read({ credentialId: 'k-expired', expiresAt: daysFromNow(-1) }),
      read({ credentialId: 'k-rotated', expiresAt: daysFromNow(5) }),
      read({ credentialId: 'k-fine' }),
    ]);
    const { service, close } = await serviceWith({ views: [viewOf('ms', 'microsoft')], adapters: { microsoft: microsoft.adapter } });
    const pendingKeys = () => service.pendingAlerts().alerts.map((alert) => [alert.credentialKey.split('|').at(-1), alert.status]);
    // The first read, at start, before any window listened.
    await service.start();
    expect(pendingKeys()).toEqual([
      ['k-expiring', 'expiring'],
      ['k-expired', 'expired'],
      ['k-rotated', 'expiring'],
    ]);

    expect(service.dismissAlerts(['ms|app_secret|app-payroll|k-expired']).alerts.map((alert) => alert.credentialKey)).toEqual([
      'ms|app_secret|app-payroll|k-expiring',
      'ms|app_secret|app-payroll|k-rotated',
    ]);
    // Read again: the dismissed one stays dismissed, one rotated away is gone, one that expired since says so.
    microsoft.state.credentials = microsoft.state.credentials.filter((credential) => credential.credentialId !== 'k-rotated');
    microsoft.state.credentials[0]!.expiresAt = daysFromNow(-0.5);
    await service.read();
    expect(pendingKeys()).toEqual([['k-expiring', 'expired']]);
    expect(service.pendingAlerts().alerts[0]!.title).toBe('Secret k-expiring has expired');
    // A tenant whose read fails lists nothing: its alerts wait.
    microsoft.state.failWith = new AppError('network', 'Microsoft Graph could not be reached.', { nextStep: 'Check the network, then read again.' });
    await service.read();
    expect(pendingKeys()).toEqual([['k-expiring', 'expired']]);
    service.close();
    close();
  });
});

describe('expiry alerts of disabled credentials', () => {
  test('a disabled credential that expires or has expired raises no alert: it works for nothing already', async () => {
    const microsoft = fakeProvider([
      read({ kind: 'service_account_key', credentialId: 'k-disabled-expired', expiresAt: daysFromNow(-1), disabled: true }),
      read({ kind: 'service_account_key', credentialId: 'k-disabled-expiring', expiresAt: daysFromNow(5), disabled: true }),
      read({ kind: 'service_account_key', credentialId: 'k-enabled-expired', expiresAt: daysFromNow(-1) }),
    ]);
    const { service, alerts, notices, close } = await serviceWith({ views: [viewOf('ms', 'microsoft')], adapters: { microsoft: microsoft.adapter } });
    await service.read();
    expect(alerts().map((alert) => alert.credentialKey)).toEqual(['ms|service_account_key|app-payroll|k-enabled-expired']);
    expect(notices).toHaveLength(1);
    await close();
  });
});

describe('the CSV export', () => {
  test('has one row per credential with its status and reasons, formula cells neutralised, and no secret', async () => {
    const microsoft = fakeProvider([read({ credentialId: 'k1', displayName: '=HYPERLINK("http://evil.test")', expiresAt: daysFromNow(10) })]);
    const { service, close } = await serviceWith({ views: [viewOf('ms', 'microsoft')], adapters: { microsoft: microsoft.adapter } });
    const csv = await service.exportCsv();
    expect(csv).toMatchObject({ fileName: 'consentry-credentials-2026-12-04.csv', rows: 1 });
    const [header, row] = csv.content.replace('\uFEFF', '').split('\r\n');
    expect(header).toBe('tenant,provider,kind,owner,owner_id,credential_id,display_name,hint,status,findings,created,expires,last_used,restrictions,disabled,managed_by,rotation,revocable,read_at');
    expect(row).toContain(`'=HYPERLINK(""http://evil.test"")`);
    expect(row).toContain('expiring,Expires in 10 days (on 14 Dec 2026); the warning window is 30 days.');
    close();
  });
});

describe('revoke now', () => {
  async function revocationSetup(held: CapabilityId[] = ['credentials']) {
    const google = fakeProvider([
      read({ kind: 'service_account_key', ownerKind: 'service_account', ownerId: 'deploy@acme.iam', ownerName: 'deploy@acme.iam', credentialId: 'sa-1', displayName: null, hint: null }),
      read({ kind: 'service_account_key', ownerKind: 'service_account', ownerId: 'deploy@acme.iam', ownerName: 'deploy@acme.iam', credentialId: 'sa-system', managedBy: 'provider', revocable: false }),
      read({ kind: 'api_key', ownerKind: 'project', ownerId: 'acme-prod', ownerName: 'acme-prod', credentialId: 'ak-1', displayName: 'Old mobile app key', restrictions: [] }),
    ]);
    const setup = await serviceWith({
      views: [viewOf('google', 'google', { held, credentialScopes: ['cloud-platform'], clientSecret: true })],
      adapters: { google: google.adapter },
      projects: { google: ['acme-prod'] },
      secretsEnteredAt: { google: daysFromNow(-3) },
    });
    await setup.service.inventory();
    return { ...setup, google };
  }

  test('plans with what each breaks, refuses what cannot be revoked with why, and asks for the name of a single credential', async () => {
    const { service, close } = await revocationSetup();
    const plan = service.planRevoke({ keys: ['google|api_key|acme-prod|ak-1', 'google|service_account_key|deploy@acme.iam|sa-system', 'google|connection_client_secret|google|client_secret', 'google|api_key|acme-prod|gone'] });
    expect(plan.items).toEqual([{ key: 'google|api_key|acme-prod|ak-1', label: 'Old mobile app key — acme-prod (google tenant)', action: 'Deletes the key', breaks: 'Every app, site or script calling Google APIs with the key “Old mobile app key” is refused at once.' }]);
    expect(plan.refused.map((item) => [item.key.split('|')[3], item.reason])).toEqual([
      ['sa-system', expect.stringContaining('provider creates, rotates and removes this key itself')],
      ['client_secret', expect.stringContaining('Consentry has no API for it')],
      ['gone', expect.stringContaining('not in the inventory')],
    ]);
    expect(plan.confirmationText).toBe('Old mobile app key');
    await expect(service.revoke({ planId: plan.planId, typed: 'yes' })).rejects.toMatchObject({ code: 'confirmation_mismatch' });
    close();
  });

  test('one credential without a name is confirmed by typing “revoke 1 credential”, not its id; a rotation under way is said to stop', async () => {
    const { service, close } = await revocationSetup();
    const key = 'google|service_account_key|deploy@acme.iam|sa-1';
    service.useRotations({ activeRotationFor: (wanted) => (wanted === key ? '0c1d2e3f-aaaa-4000-8000-000000000000' : null), rotationsFor: () => [] });
    const plan = service.planRevoke({ keys: [key] });
    expect(plan.confirmationText).toBe('revoke 1 credential');
    expect(plan.items[0]!.breaks).toMatch(/Its rotation under way \(r:0c1d2e3f\) is stopped\.$/);
    await expect(service.revoke({ planId: plan.planId, typed: 'sa-1' })).rejects.toMatchObject({ code: 'confirmation_mismatch' });
    await close();
  });

  test('without the credentials permission every item is refused, naming the scopes', async () => {
    const { service, close } = await revocationSetup([]);
    expect(() => service.planRevoke({ keys: ['google|api_key|acme-prod|ak-1'] })).toThrow(expect.objectContaining({ code: 'not_supported', message: expect.stringContaining('cloud-platform') }));
    close();
  });

  test('revokes as a job: a service-account key disabled then deleted, each read back, the report per item, the inventory read again, and the history found by key', async () => {
    const { service, jobs, google, published, close } = await revocationSetup();
    const keys = ['google|service_account_key|deploy@acme.iam|sa-1', 'google|api_key|acme-prod|ak-1'];
    const revoked: string[][] = [];
    service.onRevoked((told) => {
      revoked.push(told);
    });
    const plan = service.planRevoke({ keys });
    expect(plan.confirmationText).toBe('revoke 2 credentials');
    expect(plan.items.map((item) => item.action)).toEqual(['Disables, then deletes the key', 'Deletes the key']);
    const job = await service.revoke({ planId: plan.planId, typed: 'Revoke 2 Credentials ' });
    expect(job).toMatchObject({ kind: 'credentials.revoke', title: 'Revoke 2 credentials', total: 2 });
    await jobs.settled(job.id);
    expect(google.state.calls.sort()).toEqual(['disable sa-1', 'remove ak-1', 'remove sa-1']);
    const report = service.revokeReport(job.id);
    expect(report.job).toMatchObject({ state: 'finished', succeeded: 2 });
    expect(report.items).toEqual([
      { key: keys[0], label: 'sa-1 — deploy@acme.iam (google tenant)', status: 'succeeded', message: 'Disabled: it stopped working at once. Revoked. Read back: gone.', verified: true },
      { key: keys[1], label: 'Old mobile app key — acme-prod (google tenant)', status: 'succeeded', message: 'Revoked. Read back: gone.', verified: true },
    ]);
    // The plan was taken: a second confirmation is refused.
    await expect(service.revoke({ planId: plan.planId, typed: 'revoke 2 credentials' })).rejects.toMatchObject({ code: 'plan_expired' });
    await expect.poll(() => service.credential(keys[0]!)).toBeNull();
    // The rotation runner is told which were revoked, once the job has stopped.
    expect(revoked.map((told) => [...told].sort())).toEqual([[...keys].sort()]);
    expect(published.some((entry) => entry.event === 'credentials.changed')).toBe(true);
    const history = await service.history(keys[1]!);
    expect(history.entries).toEqual([expect.objectContaining({ action: 'credentials.revoke', result: 'succeeded', target: 'Old mobile app key — acme-prod (google tenant)' })]);
    expect((await service.history(keys[0]!)).entries).toHaveLength(1);
    close();
  });

  test('revoking again something already gone succeeds as already gone', async () => {
    const { service, jobs, google, close } = await revocationSetup();
    const plan = service.planRevoke({ keys: ['google|api_key|acme-prod|ak-1'] });
    google.state.credentials = google.state.credentials.filter((credential) => credential.credentialId !== 'ak-1');
    const job = await service.revoke({ planId: plan.planId, typed: 'old mobile app key' });
    await jobs.settled(job.id);
    expect(service.revokeReport(job.id).items).toEqual([expect.objectContaining({ status: 'succeeded', verified: true, message: expect.stringContaining('It was gone already') })]);
    close();
  });
});

describe('revoke now after a stop', () => {
  test('a key deleted just before Consentry stopped, its outcome unrecorded, is revoked when the job is resumed: gone already, read back', async () => {
    const google = fakeProvider([read({ kind: 'service_account_key', ownerKind: 'service_account', ownerId: 'deploy@acme.iam', ownerName: 'deploy@acme.iam', credentialId: 'sa-1', displayName: null, hint: null })]);
    const setup = { views: [viewOf('google', 'google', { held: ['credentials'], credentialScopes: ['cloud-platform'] })], adapters: { google: google.adapter }, projects: { google: ['acme-prod'] } };
    const first = await serviceWith(setup);
    await first.service.inventory();
    const plan = first.service.planRevoke({ keys: ['google|service_account_key|deploy@acme.iam|sa-1'] });
    google.state.stopAfterRemove = true;
    const job = await first.service.revoke({ planId: plan.planId, typed: plan.confirmationText });
    await expect.poll(() => google.state.calls).toEqual(['disable sa-1', 'remove sa-1']);
    first.service.close();
    await first.close();

    const again = await serviceWith({ ...setup, directory: first.directory });
    expect(again.jobs.summary(job.id)).toMatchObject({ state: 'interrupted', inDoubt: 1 });
    await again.jobs.resume(job.id);
    await again.jobs.settled(job.id);
    // Run again: the disable finds the key gone, and the delete says so.
    expect(google.state.calls).toEqual(['disable sa-1', 'remove sa-1', 'disable sa-1', 'remove sa-1']);
    expect(again.service.revokeReport(job.id).items).toEqual([
      expect.objectContaining({ status: 'succeeded', verified: true, message: 'It was gone already (revoked before, or by this job before a stop). Read back: gone.' }),
    ]);
    again.service.close();
    await again.close();
  });
});

describe('Cloud projects', () => {
  test('are named per Google connection, recorded, and read at once', async () => {
    const google = fakeProvider([read({ kind: 'api_key', ownerKind: 'project', ownerId: 'acme-prod', credentialId: 'ak-1', restrictions: ['x'] })]);
    const { service, activity, close } = await serviceWith({ views: [viewOf('google', 'google'), viewOf('ms', 'microsoft')], adapters: { google: google.adapter } });
    expect((await service.inventory()).sources[0]!.state).toBe('needs_projects');
    expect(await service.setCloudProjects({ connectionId: 'google', projects: ['acme-prod', 'acme-prod', 'acme-data'] })).toEqual([{ connectionId: 'google', projects: ['acme-prod', 'acme-data'] }]);
    await expect.poll(async () => (await service.inventory()).sources[0]!.state).toBe('read');
    expect((await activity.list({ action: 'credentials.cloud_projects' }, 0, 10)).entries).toEqual([expect.objectContaining({ detail: 'Google Cloud projects whose keys are listed: none → acme-prod, acme-data.' })]);
    await expect(service.setCloudProjects({ connectionId: 'ms', projects: ['acme-prod'] })).rejects.toMatchObject({ code: 'invalid_request' });
    close();
  });
});
