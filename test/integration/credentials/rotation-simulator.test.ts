/**
 * Rotations against the simulated Entra tenant and Google Cloud projects, with the real provider
 * adapters through the tenants' schedulers: an Entra app secret, a service-account key and an API
 * key rotated end to end and read back at the provider; a refusal without the credentials scopes
 * and the provider's limit on an app's secrets stop the rotation with the old credential in place.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ActivityLog } from '../../../src-main/activity/activity-log';
import { ActivityService } from '../../../src-main/activity/activity-service';
import { credentialKey } from '../../../src-main/credentials/credential-key';
import type { ProviderCredentials } from '../../../src-main/credentials/credentials-port';
import { RotationRunner } from '../../../src-main/credentials/rotation-runner';
import { EventHub } from '../../../src-main/events/event-hub';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { googleCloudCredentials } from '../../../src-main/providers/google/google-cloud-credentials';
import { classifyGoogleFailure } from '../../../src-main/providers/google/google-failure';
import { classifyGraphFailure } from '../../../src-main/providers/microsoft/graph-failure';
import { microsoftCredentials } from '../../../src-main/providers/microsoft/microsoft-credentials';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { Credential, Rotation } from '../../../src-shared/contract/credentials';
import type { ProviderId } from '../../../src-shared/domain/ids';
import { simulatedEntraAccessToken } from '../../support/simulated-entra-sign-in';
import { temporaryDirectory } from '../../support/temporary-directory';
import { sampleAccessToken } from '../sample/sample-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const day = 86_400_000;
const defaultCertificates = getCACertificates('default');

interface Tenant {
  connectionId: string;
  provider: ProviderId;
  adapter: ProviderCredentials;
  context: ProviderCallContext;
}

/** A rotation runner over the tenants, with an inventory read from their adapters (read again after each change, as the console's is). */
async function rotationConsole(tenants: Tenant[], cloudProjects: string[]) {
  const directory = await temporaryDirectory();
  const events = new EventHub();
  const activity = new ActivityService(await ActivityLog.open(join(directory, 'activity')), events);
  const rows = new Map<string, Credential>();
  const read = async (tenant: Tenant) => {
    const { credentials } = await tenant.adapter.read(tenant.context, { cloudProjects });
    for (const [key, row] of rows) if (row.connectionId === tenant.connectionId) rows.delete(key);
    for (const credential of credentials) {
      const key = credentialKey(tenant.connectionId, credential.kind, credential.ownerId, credential.credentialId);
      rows.set(key, { ...credential, key, connectionId: tenant.connectionId, tenantLabel: tenant.provider, provider: tenant.provider, status: 'ok', findings: [], readAt: new Date().toISOString(), rotationId: null });
    }
  };
  for (const tenant of tenants) await read(tenant);
  const unexpected: string[] = [];
  const tenantOf = (connectionId: string) => tenants.find((tenant) => tenant.connectionId === connectionId)!;
  const runner = new RotationRunner({
    directory: join(directory, 'rotations'),
    inventory: { credential: (key) => rows.get(key) ?? null, reread: (connectionId) => read(tenantOf(connectionId)) },
    credentials: Object.fromEntries(tenants.map((tenant) => [tenant.provider, tenant.adapter])),
    gateway: { context: (connectionId) => tenantOf(connectionId).context },
    connections: { replaceClientSecret: async () => undefined },
    settings: { get: () => ({ credentialMaxAgeDays: {}, keyAgePolicyDays: 90 }) },
    activity,
    events,
    reportUnexpected: (context, error) => void unexpected.push(`${context}: ${String(error)}`),
  });
  await runner.start();
  const find = (predicate: (row: Credential) => boolean) => [...rows.values()].find(predicate)!;
  return { directory, runner, activity, rows, find, unexpected };
}

/** Shows the secret once, confirms the hand-over with no overlap: the admin's steps after the create. */
async function handOver(runner: RotationRunner, rotation: Rotation): Promise<{ shown: string; done: Rotation }> {
  const secret = await runner.revealSecret(rotation.id);
  const shown = secret.format === 'text' ? secret.value : secret.content;
  const done = await runner.advance(rotation.id, { action: 'confirm_handover', overlapDays: 0 });
  return { shown, done };
}

async function expectNowhereOnDisk(directory: string, secret: string): Promise<void> {
  const files = (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  for (const file of files) expect(await readFile(join(file.parentPath, file.name), 'utf8'), file.name).not.toContain(secret);
}

describe('rotations against the simulated tenants', () => {
  let sim: TenantSimulator;
  let microsoft: Tenant;
  let audit: Tenant;
  let google: Tenant;

  beforeAll(async () => {
    sim = await startTenantSimulator({ seed: 12, users: 20, referenceTime });
    setDefaultCACertificates([...defaultCertificates, sim.microsoft.certificate]);
    const graphContext = (token: string): ProviderCallContext => ({ apiBaseUrl: sim.microsoft.graphBaseUrl, settings: { issuer: sim.microsoft.authority }, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 6_000, classify: classifyGraphFailure }) });
    microsoft = { connectionId: 'ms', provider: 'microsoft', adapter: microsoftCredentials, context: graphContext(await simulatedEntraAccessToken(sim, ['credentials'])) };
    audit = { connectionId: 'ms-audit', provider: 'microsoft', adapter: microsoftCredentials, context: graphContext(await simulatedEntraAccessToken(sim, [])) };
    const googleToken = await sampleAccessToken(sim, ['credentials']);
    google = { connectionId: 'gc', provider: 'google', adapter: googleCloudCredentials, context: { apiBaseUrl: sim.google.apiRoot, settings: {}, accessToken: async () => googleToken, scheduler: new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure }) } };
  }, 60_000);
  afterAll(async () => {
    setDefaultCACertificates(defaultCertificates);
    await sim?.close();
  });

  const registration = (name: string) => sim.tenant.appRegistrations.find((app) => app.displayName === name)!;

  test('an Entra app secret: addPassword named and dated by the policy, the secret shown once, the old removed after the hand-over, read back', async () => {
    const world = await rotationConsole([microsoft], []);
    const old = world.find((row) => row.connectionId === 'ms' && row.displayName === 'Payroll Sync production');
    const before = registration('Payroll Sync').passwordCredentials.map((secret) => secret.keyId);
    expect(before).toContain(old.credentialId);

    const planned = await world.runner.startRotation(old.key);
    const created = await world.runner.advance(planned.id, { action: 'create' });
    expect(created).toMatchObject({ state: 'handover', secretWaiting: true, secretFormat: 'text', created: { displayName: planned.planned.displayName } });
    const added = registration('Payroll Sync').passwordCredentials.find((secret) => secret.displayName === planned.planned.displayName)!;
    expect(Date.parse(added.endDateTime)).toBe(Date.parse(planned.planned.expiresAt!));
    expect(Date.parse(planned.planned.expiresAt!) - Date.parse(planned.startedAt)).toBe(90 * day);
    // The inventory was read again and shows the successor.
    await world.runner.settled();
    expect(world.find((row) => row.credentialId === added.keyId)).toBeDefined();

    const { shown, done } = await handOver(world.runner, created);
    expect(shown.length).toBeGreaterThan(20);
    await expect(world.runner.revealSecret(planned.id)).rejects.toMatchObject({ code: 'secret_unavailable' });
    expect(done).toMatchObject({ state: 'done', failure: null });
    expect(registration('Payroll Sync').passwordCredentials.map((secret) => secret.keyId).sort()).toEqual([...before.filter((keyId) => keyId !== old.credentialId), added.keyId].sort());
    const removals = sim.calls.filter((call) => call.name === 'graph.applications.removePassword' && call.status < 300);
    expect(removals).toHaveLength(1);

    const entries = (await world.activity.list({ text: `[rotation ${planned.id} #` }, 0, 50)).entries.reverse();
    expect(entries.map((entry) => entry.action)).toEqual(['credentials.rotate.create', 'credentials.rotate.secret_shown', 'credentials.rotate.handover', 'credentials.rotate.retire', 'credentials.rotate.done']);
    expect(new Set(entries.map((entry) => entry.target))).toEqual(new Set(['Payroll Sync: Payroll Sync production']));
    await expectNowhereOnDisk(world.directory, shown);
    await world.runner.close();
    expect(world.unexpected).toEqual([]);
  });

  test('a service-account key: the key file once, the old key disabled at hand-over, deleted after the overlap, read back', async () => {
    const world = await rotationConsole([google], sim.tenant.cloudProjects.map((project) => project.projectId));
    const old = world.find((row) => row.kind === 'service_account_key' && row.managedBy === 'admin' && !row.disabled && row.ownerId.includes('/serviceAccounts/backup@'));
    const keysOf = () => sim.tenant.serviceAccountKeys.filter((key) => `projects/${key.serviceAccountEmail.split('@')[1]!.split('.')[0]}/serviceAccounts/${key.serviceAccountEmail}` === old.ownerId && key.keyType === 'USER_MANAGED');
    const before = keysOf().map((key) => key.keyId);

    const planned = await world.runner.startRotation(old.key);
    expect(planned.steps.map((step) => step.id)).toEqual(['create', 'handover', 'disable_old', 'overlap', 'retire', 'verify']);
    const created = await world.runner.advance(planned.id, { action: 'create' });
    expect(created).toMatchObject({ state: 'handover', secretFormat: 'file' });
    const keyFile = await world.runner.revealSecret(planned.id);
    expect(keyFile).toMatchObject({ format: 'file', mimeType: 'application/json' });
    const overlap = await world.runner.advance(planned.id, { action: 'confirm_handover', overlapDays: 3 });
    expect(overlap.state).toBe('overlap');
    expect(keysOf().find((key) => key.keyId === old.credentialId)).toMatchObject({ disabled: true });
    const done = await world.runner.advance(planned.id, { action: 'retire_now' });
    expect(done.state).toBe('done');
    expect(keysOf().map((key) => key.keyId).sort()).toEqual([...before.filter((keyId) => keyId !== old.credentialId), created.created!.credentialId].sort());
    if (keyFile.format === 'file') await expectNowhereOnDisk(world.directory, JSON.parse(keyFile.content).private_key as string);
    await world.runner.close();
    expect(world.unexpected).toEqual([]);
  });

  test('an API key: a successor with the same restrictions, its key string once, the old one deleted, read back', async () => {
    const world = await rotationConsole([google], sim.tenant.cloudProjects.map((project) => project.projectId));
    const old = world.find((row) => row.kind === 'api_key' && row.displayName === 'Maps on the website');
    const restrictions = sim.tenant.apiKeys.find((key) => key.uid === old.credentialId)!.restrictions;
    const planned = await world.runner.startRotation(old.key);
    const created = await world.runner.advance(planned.id, { action: 'create' });
    const { shown, done } = await handOver(world.runner, created);
    expect(shown).toMatch(/^AIza/);
    expect(done.state).toBe('done');
    // Google keeps a deleted key 30 days, marked deleted.
    expect(sim.tenant.deletedApiKeys.has(old.credentialId)).toBe(true);
    expect(sim.tenant.deletedApiKeys.has(created.created!.credentialId)).toBe(false);
    expect(sim.tenant.apiKeys.find((key) => key.uid === created.created!.credentialId)!.restrictions).toEqual(restrictions);
    await expectNowhereOnDisk(world.directory, shown);
    await world.runner.close();
  });

  test('without the credentials scopes the create is refused (403): the rotation stops at failed naming the permission, the old secret in place', async () => {
    const world = await rotationConsole([audit], []);
    const old = world.find((row) => row.kind === 'app_secret' && row.ownerName === 'Mailroom Automation');
    const before = registration('Mailroom Automation').passwordCredentials.map((secret) => secret.keyId);
    const planned = await world.runner.startRotation(old.key);
    const failed = await world.runner.advance(planned.id, { action: 'create' });
    expect(failed).toMatchObject({ state: 'failed', created: null, failure: { at: 'creating', code: 'permission_denied', retryable: true } });
    expect(failed.failure!.message).toMatch(/^Creating the new client secret failed; the old one still works\. .*Application\.ReadWrite\.All/);
    expect(registration('Mailroom Automation').passwordCredentials.map((secret) => secret.keyId)).toEqual(before);
    await expect(world.runner.advance(planned.id, { action: 'cancel' })).resolves.toMatchObject({ state: 'cancelled' });
    await world.runner.close();
  });

  test('an app at its limit of secrets: the rotation stops at failed with the limit named and what to do, nothing created or removed', async () => {
    const world = await rotationConsole([microsoft], []);
    const old = world.find((row) => row.kind === 'app_secret' && row.ownerName === 'Partner Portal');
    const before = registration('Partner Portal').passwordCredentials.map((secret) => secret.keyId);
    const planned = await world.runner.startRotation(old.key);
    const failed = await world.runner.advance(planned.id, { action: 'create' });
    expect(failed).toMatchObject({ state: 'failed', failure: { at: 'creating', code: 'credential_limit_reached', nextStep: 'Remove an unused secret of Partner Portal first, then retry.' }, prompt: 'Remove an unused secret of Partner Portal first, then retry.' });
    expect(registration('Partner Portal').passwordCredentials.map((secret) => secret.keyId)).toEqual(before);
    await world.runner.close();
  });
});
