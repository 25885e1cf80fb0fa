/**
 * The Google Cloud credentials adapter against the running simulator, signed in as the sample
 * company's admin: the inventory of the named projects, the rotations of service-account keys
 * and API keys, revocation, and what Google refuses.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { ReadCredential } from '../../../src-main/credentials/credentials-port';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { googleCloudCredentials, serviceAccountKeyLimit } from '../../../src-main/providers/google/google-cloud-credentials';
import { classifyGoogleFailure } from '../../../src-main/providers/google/google-failure';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { sampleAccessToken } from '../sample/sample-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const day = 86_400_000;

let simulator: TenantSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** The sample admin's connection: audit scopes only, or with the credentials capability (cloud-platform). */
async function connect(options: { credentials?: boolean } = {}): Promise<{ sim: TenantSimulator; context: ProviderCallContext }> {
  const sim = (simulator = await startTenantSimulator({ seed: 21, users: 20, referenceTime }));
  const token = await sampleAccessToken(sim, options.credentials === false ? [] : ['credentials']);
  const context = { apiBaseUrl: sim.google.apiRoot, settings: {}, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure }) };
  return { sim, context };
}

const projects = (sim: TenantSimulator) => sim.tenant.cloudProjects.map((project) => project.projectId);
const rotationName = (name: string) => `${name} (rotated 2026-11-21 by Consentry r:1a2b3c4d)`;

function seededKey(sim: TenantSimulator, account: string, ageDays: number) {
  return sim.tenant.serviceAccountKeys.find((key) => key.serviceAccountEmail.startsWith(`${account}@`) && key.keyType === 'USER_MANAGED' && key.validAfterTime === new Date(referenceTime.getTime() - ageDays * day).toISOString())!;
}

describe('reading Google Cloud credentials', () => {
  test('lists every key of the named projects with what the policy needs, and never reads a key string', async () => {
    const { sim, context } = await connect();
    const { credentials, problems } = await googleCloudCredentials.read(context, { cloudProjects: [sim.tenant.cloudProjectId] });
    expect(problems).toEqual([]);
    const firstProject = `@${sim.tenant.cloudProjectId}.iam.gserviceaccount.com`;
    const saKeys = credentials.filter((credential) => credential.kind === 'service_account_key');
    expect(saKeys.map((key) => key.credentialId).sort()).toEqual(sim.tenant.serviceAccountKeys.filter((key) => key.serviceAccountEmail.endsWith(firstProject)).map((key) => key.keyId).sort());

    const byId = (keyId: string) => saKeys.find((key) => key.credentialId === keyId)!;
    const fresh = byId(seededKey(sim, 'deploy', 12).keyId);
    expect(fresh).toMatchObject({
      ownerKind: 'service_account',
      ownerId: `projects/${sim.tenant.cloudProjectId}/serviceAccounts/deploy${firstProject}`,
      ownerName: `Deployment pipeline (deploy${firstProject})`,
      createdAt: new Date(referenceTime.getTime() - 12 * day).toISOString(),
      // IAM's 9999 sentinel is no expiry.
      expiresAt: null,
      disabled: false,
      managedBy: 'admin',
      rotation: { mode: 'api', note: null },
      revocable: true,
      lastUsedAt: '2026-11-18T07:00:00Z',
      lastUseKnown: true,
    });
    const unused = byId(seededKey(sim, 'backup', 400).keyId);
    expect(unused.lastUsedAt).toBe(`${new Date(referenceTime.getTime() - 150 * day).toISOString().slice(0, 10)}T07:00:00Z`);
    const neverUsed = byId(seededKey(sim, 'analytics', 210).keyId);
    expect(neverUsed).toMatchObject({ lastUsedAt: null, lastUseKnown: true, lastUsedNote: 'No authentication recorded in the last 400 days (Policy Analyzer, 2025-10-16 to 2026-11-20).' });
    expect(byId(seededKey(sim, 'legacy-export', 800).keyId)).toMatchObject({ disabled: true, lastUsedAt: null });

    const systemManaged = saKeys.filter((key) => key.managedBy === 'provider');
    expect(systemManaged.map((key) => key.credentialId).sort()).toEqual(sim.tenant.serviceAccountKeys.filter((key) => key.keyType === 'SYSTEM_MANAGED' && key.serviceAccountEmail.endsWith(firstProject)).map((key) => key.keyId).sort());
    for (const key of systemManaged) expect(key).toMatchObject({ rotation: { mode: 'none' }, revocable: false, expiresAt: expect.any(String), lastUseKnown: false });

    const apiKeys = credentials.filter((credential) => credential.kind === 'api_key');
    expect(apiKeys.map((key) => key.displayName).sort()).toEqual(['Maps on the website', 'Old mobile app key', 'Translation batch job']);
    expect(apiKeys.find((key) => key.displayName === 'Maps on the website')).toMatchObject({
      ownerKind: 'project',
      ownerId: sim.tenant.cloudProjectId,
      hint: null,
      expiresAt: null,
      restrictions: ['Websites: https://www.sample-company.example/*, https://intranet.sample-company.example/*', 'APIs: maps-backend.googleapis.com, places-backend.googleapis.com'],
      lastUseKnown: false,
    });
    expect(apiKeys.find((key) => key.displayName === 'Old mobile app key')!.restrictions).toEqual([]);
    expect(sim.calls.filter((call) => call.name === 'apikeys.keys.getKeyString')).toEqual([]);
  });

  test('returns no credentials and asks for Cloud projects when none is named, calling nothing', async () => {
    const { sim, context } = await connect();
    const reading = await googleCloudCredentials.read(context, { cloudProjects: [] });
    expect(reading.credentials).toEqual([]);
    expect(reading.problems).toEqual([expect.objectContaining({ code: 'invalid_request', missingScopes: [] })]);
    expect(reading.problems[0]!.message).toMatch(/Cloud project/);
    expect(sim.calls).toEqual([]);
  });

  test('lists a project out of reach as problems naming the permissions, and the other projects in full', async () => {
    const { sim, context } = await connect();
    const { credentials, problems } = await googleCloudCredentials.read(context, { cloudProjects: ['someone-elses-project', sim.tenant.cloudProjectId] });
    expect(credentials.filter((credential) => credential.kind === 'api_key')).toHaveLength(3);
    expect(problems).toEqual([
      expect.objectContaining({ what: 'Service-account keys of project someone-elses-project', code: 'permission_denied', missingScopes: ['iam.serviceAccounts.list'] }),
      expect.objectContaining({ what: 'API keys of project someone-elses-project', code: 'permission_denied', missingScopes: ['apikeys.keys.list'] }),
    ]);
    expect(problems[0]!.message).toContain('iam.serviceAccounts.list');
  });

  test('lists the keys of a project whose Policy Analyzer is refused without their last use, saying why', async () => {
    const { sim, context } = await connect();
    const dataProject = sim.tenant.cloudProjects[1]!.projectId;
    const { credentials, problems } = await googleCloudCredentials.read(context, { cloudProjects: projects(sim) });
    expect(problems).toEqual([
      expect.objectContaining({ what: `Last authentication of the keys in project ${dataProject}`, code: 'permission_denied', missingScopes: ['policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query'] }),
    ]);
    const loaderKey = credentials.find((credential) => credential.ownerId.includes(`etl-loader@${dataProject}`) && credential.managedBy === 'admin')!;
    expect(loaderKey).toMatchObject({ lastUsedAt: null, lastUseKnown: false });
    expect(loaderKey.lastUsedNote).toMatch(/^Last authentication unknown: Google refused .*policyanalyzer\.serviceAccountKeyLastAuthenticationActivities\.query/);
    expect(credentials.filter((credential) => credential.kind === 'api_key').map((key) => key.restrictions)).toContainEqual(['IP addresses: 203.0.113.10, 198.51.100.0/24', 'APIs: bigquery.googleapis.com (Get*, List*)']);
  });
});

describe('rotating and revoking Google Cloud credentials', () => {
  async function inventory(context: ProviderCallContext, sim: TenantSimulator): Promise<ReadCredential[]> {
    return (await googleCloudCredentials.read(context, { cloudProjects: [sim.tenant.cloudProjectId] })).credentials;
  }

  test('rotates an API key: the successor has the same restrictions, its key string once and again on request, and is found by name after a stop', async () => {
    const { sim, context } = await connect();
    const old = (await inventory(context, sim)).find((credential) => credential.displayName === 'Maps on the website')!;
    const rotator = googleCloudCredentials.rotator('api_key', {})!;
    expect(rotator).toMatchObject({ creates: 'api', removes: 'api', disablesOldFirst: false });
    const intent = { displayName: rotationName(old.displayName!), sentAt: new Date().toISOString(), existingIds: await googleCloudCredentials.ownerCredentialIds(context, old) };
    expect(intent.existingIds).toContain(old.credentialId);
    const { created, secret } = await rotator.create!(context, old, { displayName: intent.displayName, expiresAt: null });
    // 66 characters: shortened to Google's 63 before the rotation suffix.
    expect(created).toMatchObject({ displayName: 'Maps on the websi… (rotated 2026-11-21 by Consentry r:1a2b3c4d)', restrictions: old.restrictions, ownerId: old.ownerId });
    const stored = sim.tenant.apiKeys.find((key) => key.uid === created.credentialId)!;
    expect(stored.restrictions).toEqual(sim.tenant.apiKeys.find((key) => key.uid === old.credentialId)!.restrictions);
    expect(secret).toMatchObject({ format: 'text', value: expect.stringMatching(/^AIza/) });

    expect(await rotator.findCreated!(context, old, intent)).toMatchObject({ credentialId: created.credentialId });
    expect(await rotator.findCreated!(context, old, { ...intent, existingIds: [...intent.existingIds, created.credentialId] })).toBeNull();
    expect(await rotator.rereadSecret!(context, created)).toEqual(secret);

    expect(await googleCloudCredentials.remove(context, old)).toBe('removed');
    expect(await googleCloudCredentials.remove(context, old)).toBe('already_gone');
    expect(await googleCloudCredentials.readOne(context, old)).toBeNull();
    expect(await googleCloudCredentials.readOne(context, created)).toMatchObject({ credentialId: created.credentialId });
  });

  test('shortens a successor’s name past Google’s 63 characters before the rotation suffix, and finds it by the same name', async () => {
    const { sim, context } = await connect();
    const old = (await inventory(context, sim)).find((credential) => credential.displayName === 'Translation batch job')!;
    const long = rotationName('Translation batch job for the quarterly localisation of the product catalogue');
    const { created } = await googleCloudCredentials.rotator('api_key', {})!.create!(context, old, { displayName: long, expiresAt: null });
    expect(created.displayName!.length).toBeLessThanOrEqual(63);
    expect(created.displayName).toMatch(/… \(rotated 2026-11-21 by Consentry r:1a2b3c4d\)$/);
    expect(created.restrictions).toEqual([]);
    expect(await googleCloudCredentials.rotator('api_key', {})!.findCreated!(context, old, { displayName: long, sentAt: new Date().toISOString(), existingIds: [old.credentialId] })).toMatchObject({ credentialId: created.credentialId });
  });

  test('rotates a service-account key: the key file once, the successor found again after a stop, the old one disabled then deleted', async () => {
    const { sim, context } = await connect();
    const old = (await inventory(context, sim)).find((credential) => credential.credentialId === seededKey(sim, 'backup', 95).keyId)!;
    const rotator = googleCloudCredentials.rotator('service_account_key', {})!;
    expect(rotator).toMatchObject({ creates: 'api', removes: 'api', disablesOldFirst: true });
    const intent = { displayName: rotationName('Service account key'), sentAt: new Date().toISOString(), existingIds: await googleCloudCredentials.ownerCredentialIds(context, old) };
    expect(intent.existingIds).toContain(old.credentialId);
    const { created, secret } = await rotator.create!(context, old, { displayName: intent.displayName, expiresAt: null });
    expect(secret).toMatchObject({ format: 'file', mimeType: 'application/json', fileName: `${sim.tenant.cloudProjectId}-${created.credentialId.slice(0, 12)}.json` });
    const file = JSON.parse(secret!.format === 'file' ? secret!.content : '{}') as { type: string; private_key_id: string; client_email: string };
    expect(file).toMatchObject({ type: 'service_account', private_key_id: created.credentialId, client_email: `backup@${sim.tenant.cloudProjectId}.iam.gserviceaccount.com` });
    expect(created).toMatchObject({ ownerId: old.ownerId, managedBy: 'admin', disabled: false, expiresAt: null });

    expect(await rotator.findCreated!(context, old, intent)).toMatchObject({ credentialId: created.credentialId, lastUseKnown: false });

    expect(await googleCloudCredentials.disable!(context, old)).toBe('disabled');
    expect(await googleCloudCredentials.disable!(context, old)).toBe('already_disabled');
    expect(await googleCloudCredentials.readOne(context, old)).toMatchObject({ disabled: true });
    expect(await googleCloudCredentials.remove(context, old)).toBe('removed');
    expect(await googleCloudCredentials.remove(context, old)).toBe('already_gone');
    expect(await googleCloudCredentials.readOne(context, old)).toBeNull();
    // A revocation repeated after a stop between the delete and its outcome: disabling a deleted key is done.
    expect(await googleCloudCredentials.disable!(context, old)).toBe('already_gone');
  });

  test('finds the key a create in doubt made only among keys new since its intent, and refuses two as ambiguous', async () => {
    const { sim, context } = await connect();
    const old = (await inventory(context, sim)).find((credential) => credential.credentialId === seededKey(sim, 'backup', 95).keyId)!;
    const rotator = googleCloudCredentials.rotator('service_account_key', {})!;
    const request = { displayName: rotationName('Service account key'), expiresAt: null };
    // The account's older keys are neither in the ids read before the create nor made after it was sent.
    const sentAt = new Date().toISOString();
    expect(await rotator.findCreated!(context, old, { displayName: request.displayName, sentAt, existingIds: [] })).toBeNull();

    const intent = { displayName: request.displayName, sentAt, existingIds: await googleCloudCredentials.ownerCredentialIds(context, old) };
    const { created } = await rotator.create!(context, old, request);
    expect(await rotator.findCreated!(context, old, intent)).toMatchObject({ credentialId: created.credentialId });

    // Someone made another key of the account meanwhile: which one the create made cannot be told.
    const other = await rotator.create!(context, old, request);
    const ambiguous = rotator.findCreated!(context, old, intent);
    await expect(ambiguous).rejects.toMatchObject({ code: 'rotation_step_refused', message: expect.stringContaining('cannot tell which'), nextStep: expect.stringContaining('Google Cloud console') });
    expect(sim.tenant.serviceAccountKeys.filter((key) => key.keyId === created.credentialId || key.keyId === other.created.credentialId)).toHaveLength(2);
  });

  test('a failed API key operation is told in Consentry’s words with the permission, never Google’s text', async () => {
    const { sim, context } = await connect();
    const old = (await inventory(context, sim)).find((credential) => credential.displayName === 'Maps on the website')!;
    const failing: ProviderCallContext = {
      ...context,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method !== 'POST' || !/\/v2\/projects\/[^/]+\/locations\/global\/keys(\?|$)/.test(String(input))) return response;
        const { name } = (await response.json()) as { name: string };
        const body = { name, done: true, error: { code: 9, message: 'internal detail of quota shard 7 for sa-owner@example.com' } };
        return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    };
    const error = await googleCloudCredentials.rotator('api_key', {})!.create!(failing, old, { displayName: rotationName(old.displayName!), expiresAt: null }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'provider_error', nextStep: expect.stringContaining('apikeys.keys.create') });
    expect(JSON.stringify({ message: (error as Error).message, nextStep: (error as { nextStep?: string }).nextStep })).not.toContain('quota shard');
  });

  test('refuses a successor at Google’s limit of 10 keys with credential_limit_reached, creating nothing', async () => {
    const { sim, context } = await connect();
    const old = (await inventory(context, sim)).find((credential) => credential.credentialId === seededKey(sim, 'deploy', 12).keyId)!;
    const rotator = googleCloudCredentials.rotator('service_account_key', {})!;
    const held = () => sim.tenant.serviceAccountKeys.filter((key) => key.serviceAccountEmail.startsWith('deploy@') && key.keyType === 'USER_MANAGED').length;
    while (held() < serviceAccountKeyLimit) await rotator.create!(context, old, { displayName: rotationName('key'), expiresAt: null });
    await expect(rotator.create!(context, old, { displayName: rotationName('key'), expiresAt: null })).rejects.toMatchObject({ code: 'credential_limit_reached', message: expect.stringContaining('10 keys') });
    expect(held()).toBe(serviceAccountKeyLimit);
  });

  test('refuses changes without the cloud-platform scope, naming the scope, and system-managed keys whatever the scope', async () => {
    const { sim, context } = await connect({ credentials: false });
    const credentials = await inventory(context, sim);
    const old = credentials.find((credential) => credential.kind === 'service_account_key' && credential.managedBy === 'admin')!;
    await expect(googleCloudCredentials.rotator('service_account_key', {})!.create!(context, old, { displayName: rotationName('key'), expiresAt: null })).rejects.toMatchObject({
      code: 'permission_denied',
      message: expect.stringContaining('https://www.googleapis.com/auth/cloud-platform scope'),
    });
    await expect(googleCloudCredentials.remove(context, credentials.find((credential) => credential.kind === 'api_key')!)).rejects.toMatchObject({ code: 'permission_denied' });

    const { context: writer } = await connect();
    const systemManaged = (await inventory(writer, simulator!)).find((credential) => credential.managedBy === 'provider')!;
    await expect(googleCloudCredentials.disable!(writer, systemManaged)).rejects.toMatchObject({ code: 'not_supported' });
    await expect(googleCloudCredentials.remove(writer, systemManaged)).rejects.toMatchObject({ code: 'not_supported' });
  });
});
