/**
 * The simulated Google Cloud credentials APIs (IAM service accounts and keys, API Keys v2, Policy
 * Analyzer), called through googleapis where Consentry does and through fetch where the wire body
 * is the point: shapes, paging, Google's error bodies, the 10-key limit and the 30-day soft delete.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createApiListener } from '../../../../src-main/sample/simulator/api-router';
import { googleCloudKeysRoutes, serviceAccountKeyLimit } from '../../../../src-main/sample/simulator/google-cloud-keys-api';
import { googleErrors } from '../../../../src-main/sample/simulator/google-directory-api';
import { googlePolicyAnalyzerRoutes } from '../../../../src-main/sample/simulator/google-policy-analyzer-api';
import { simulatedTenant, type SimulatedTenant } from '../../../../src-main/sample/simulator/simulated-tenant';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const day = 86_400_000;
const cloud = (name: string) => `https://www.googleapis.com/auth/${name}`;
const tokens: Record<string, string[]> = {
  'writer-token': [cloud('cloud-platform')],
  'reader-token': [cloud('cloud-platform.read-only')],
  'directory-token': [cloud('admin.directory.user.readonly')],
};

let tenant: SimulatedTenant;
let server: Server;
let root: string;
let now: Date;

let listener: ReturnType<typeof createApiListener>;

beforeAll(async () => {
  server = createServer((request, response) => listener(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

// Each test gets a fresh tenant and simulator state.
beforeEach(() => {
  tenant = simulatedTenant({ seed: 11, users: 20, referenceTime });
  now = new Date(referenceTime.getTime() + 3_600_000);
  listener = createApiListener({
    routes: [...googleCloudKeysRoutes(tenant, { clock: () => now }), ...googlePolicyAnalyzerRoutes(tenant)],
    errors: googleErrors,
    authenticate: async (token) => (tokens[token] ? new Set(tokens[token]) : null),
    calls: [],
  });
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function auth(token = 'writer-token') {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token });
  return client;
}

async function call(method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const response = await fetch(new URL(path, root), {
    method,
    headers: { authorization: `Bearer ${options.token ?? 'writer-token'}`, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Google's JSON, checked field by field
  const body: any = text === '' ? {} : JSON.parse(text);
  return { status: response.status, body };
}

const project = () => tenant.cloudProjects[0]!.projectId;
const accountPath = (name: string, projectId = project()) => `v1/projects/${projectId}/serviceAccounts/${name}@${projectId}.iam.gserviceaccount.com`;

describe('simulated IAM service accounts and keys', () => {
  test('lists a project’s service accounts in pages of the size asked for, with Google’s fields', async () => {
    const iam = google.iam({ version: 'v1', auth: auth('reader-token'), rootUrl: root });
    const first = (await iam.projects.serviceAccounts.list({ name: `projects/${project()}`, pageSize: 3 })).data;
    expect(first.accounts).toHaveLength(3);
    expect(first.nextPageToken).toBeTruthy();
    const second = (await iam.projects.serviceAccounts.list({ name: `projects/${project()}`, pageSize: 3, pageToken: first.nextPageToken! })).data;
    const emails = [...first.accounts!, ...second.accounts!].map((account) => account.email);
    expect(emails).toEqual(tenant.serviceAccounts.filter((account) => account.projectId === project()).map((account) => account.email));
    expect(second.nextPageToken).toBeUndefined();
    expect(first.accounts![0]).toMatchObject({ name: `projects/${project()}/serviceAccounts/${emails[0]}`, projectId: project(), uniqueId: expect.stringMatching(/^\d{21}$/), displayName: expect.any(String) });

    // The second project is listed by its number too, with only its own accounts.
    const other = tenant.cloudProjects[1]!;
    const otherAccounts = (await iam.projects.serviceAccounts.list({ name: `projects/${other.projectNumber}` })).data.accounts!;
    expect(otherAccounts.map((account) => account.projectId)).toEqual([other.projectId]);
  });

  test('answers 403 PERMISSION_DENIED naming the permission for a project the caller cannot reach', async () => {
    const listed = await call('GET', 'v1/projects/someone-elses-project/serviceAccounts', { token: 'reader-token' });
    expect(listed.status).toBe(403);
    expect(listed.body.error).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      message: "Permission 'iam.serviceAccounts.list' denied on resource (or it may not exist).",
      details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission: 'iam.serviceAccounts.list' } }],
    });
    const created = await call('POST', 'v1/projects/someone-elses-project/serviceAccounts/x@someone-elses-project.iam.gserviceaccount.com/keys', { body: {} });
    expect(created.body.error.details[0].metadata).toEqual({ permission: 'iam.serviceAccountKeys.create' });
    const unknownKey = await call('GET', `${accountPath('deploy')}/keys/0123abcd`, { token: 'reader-token' });
    expect(unknownKey).toMatchObject({ status: 404, body: { error: { status: 'NOT_FOUND' } } });
  });

  test('lists user-managed and system-managed keys, a disabled one with its reason, and filters by key type', async () => {
    const all = await call('GET', `${accountPath('legacy-export')}/keys`, { token: 'reader-token' });
    expect(all.body.keys.map((key: { keyType: string }) => key.keyType).sort()).toEqual(['SYSTEM_MANAGED', 'USER_MANAGED']);
    const userManaged = await call('GET', `${accountPath('legacy-export')}/keys?keyTypes=USER_MANAGED`, { token: 'reader-token' });
    expect(userManaged.body.keys).toEqual([
      expect.objectContaining({ keyType: 'USER_MANAGED', validBeforeTime: '9999-12-31T23:59:59Z', keyAlgorithm: 'KEY_ALG_RSA_2048', disabled: true, disableReason: 'SERVICE_ACCOUNT_KEY_DISABLE_REASON_USER_INITIATED' }),
    ]);
    const system = all.body.keys.find((key: { keyType: string }) => key.keyType === 'SYSTEM_MANAGED');
    expect(Date.parse(system.validBeforeTime)).toBeGreaterThan(referenceTime.getTime());
    expect(system.disabled).toBeUndefined();
  });

  test('refuses to disable or delete a system-managed key with 400 FAILED_PRECONDITION', async () => {
    const system = tenant.serviceAccountKeys.find((key) => key.keyType === 'SYSTEM_MANAGED' && key.serviceAccountEmail.startsWith('deploy@'))!;
    for (const [method, suffix] of [['POST', ':disable'], ['DELETE', '']] as const) {
      const refused = await call(method, `${accountPath('deploy')}/keys/${system.keyId}${suffix}`, { body: method === 'POST' ? {} : undefined });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 400, status: 'FAILED_PRECONDITION' } } });
    }
    expect(tenant.serviceAccountKeys).toContain(system);
  });

  test('refuses the eleventh user-managed key of an account with Google’s bare precondition failure, and makes one again after a delete', async () => {
    const iam = google.iam({ version: 'v1', auth: auth(), rootUrl: root });
    const name = `projects/${project()}/serviceAccounts/deploy@${project()}.iam.gserviceaccount.com`;
    const existing = tenant.serviceAccountKeys.filter((key) => key.serviceAccountEmail.startsWith('deploy@') && key.keyType === 'USER_MANAGED').length;
    const created: string[] = [];
    for (let count = existing; count < serviceAccountKeyLimit; count += 1) created.push((await iam.projects.serviceAccounts.keys.create({ name, requestBody: {} })).data.name!);
    // A disabled key still counts.
    await iam.projects.serviceAccounts.keys.disable({ name: created[0]!, requestBody: {} });

    const refused = await call('POST', `v1/${name}/keys`, { body: {} });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: { code: 400, message: 'Precondition check failed.', errors: [{ message: 'Precondition check failed.', domain: 'global', reason: 'failedPrecondition' }], status: 'FAILED_PRECONDITION' } });

    await iam.projects.serviceAccounts.keys.delete({ name: created[0]! });
    const again = (await iam.projects.serviceAccounts.keys.create({ name, requestBody: {} })).data;
    expect(again.privateKeyData).toBeTruthy();
  });

  test('refuses key changes to a token with only the read-only scope, and every key call to a token without a Cloud scope', async () => {
    const write = await call('POST', `${accountPath('deploy')}/keys`, { token: 'reader-token', body: {} });
    expect(write).toMatchObject({ status: 403, body: { error: { message: 'Request had insufficient authentication scopes.' } } });
    const read = await call('GET', `${accountPath('deploy')}/keys`, { token: 'directory-token' });
    expect(read.status).toBe(403);
  });
});

describe('simulated API Keys v2', () => {
  const keysPath = (projectId = project()) => `v2/projects/${projectId}/locations/global/keys`;

  test('lists a project’s keys with their restrictions, and only that project’s', async () => {
    const listed = await call('GET', keysPath(), { token: 'reader-token' });
    const maps = listed.body.keys.find((key: { displayName: string }) => key.displayName === 'Maps on the website');
    expect(maps.restrictions).toEqual({
      browserKeyRestrictions: { allowedReferrers: ['https://www.sample-company.example/*', 'https://intranet.sample-company.example/*'] },
      apiTargets: [{ service: 'maps-backend.googleapis.com' }, { service: 'places-backend.googleapis.com' }],
    });
    expect(maps.name).toBe(`projects/${tenant.cloudProjectNumber}/locations/global/keys/${maps.uid}`);
    expect(maps.keyString).toBeUndefined();
    expect(listed.body.keys.filter((key: { restrictions?: unknown }) => key.restrictions === undefined).length).toBeGreaterThan(0);
    const other = await call('GET', keysPath(tenant.cloudProjects[1]!.projectId), { token: 'reader-token' });
    expect(other.body.keys.map((key: { displayName: string }) => key.displayName)).toEqual(['Warehouse export server key']);
    const denied = await call('GET', keysPath('someone-elses-project'), { token: 'reader-token' });
    expect(denied.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', details: [{ reason: 'IAM_PERMISSION_DENIED', metadata: { permission: 'apikeys.keys.list' } }] });
  });

  test('creates a key with its restrictions exactly as sent and answers with a finished operation that operations.get reads back', async () => {
    const apikeys = google.apikeys({ version: 'v2', auth: auth(), rootUrl: root });
    const restrictions = {
      androidKeyRestrictions: { allowedApplications: [{ packageName: 'example.sample.app', sha1Fingerprint: 'DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09' }] },
      apiTargets: [{ service: 'translate.googleapis.com', methods: ['Get*'] }],
    };
    const operation = (await apikeys.projects.locations.keys.create({ parent: `projects/${project()}/locations/global`, requestBody: { displayName: 'Mobile app key', restrictions } })).data;
    expect(operation).toMatchObject({ name: expect.stringMatching(/^operations\/akmf\.p7-/), done: true });
    const key = operation.response as { name: string; restrictions: unknown; keyString: string; '@type': string };
    expect(key['@type']).toBe('type.googleapis.com/google.api.apikeys.v2.Key');
    expect(key.restrictions).toEqual(restrictions);
    expect((await apikeys.projects.locations.keys.get({ name: key.name })).data.restrictions).toEqual(restrictions);
    expect((await apikeys.projects.locations.keys.getKeyString({ name: key.name })).data.keyString).toBe(key.keyString);
    expect((await apikeys.operations.get({ name: operation.name! })).data).toEqual(operation);
  });

  test('refuses two kinds of application restriction on one key and a display name over 63 characters', async () => {
    const both = await call('POST', keysPath(), { body: { displayName: 'x', restrictions: { browserKeyRestrictions: { allowedReferrers: ['a'] }, serverKeyRestrictions: { allowedIps: ['1.2.3.4'] } } } });
    expect(both).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
    const long = await call('POST', keysPath(), { body: { displayName: 'x'.repeat(64) } });
    expect(long).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
    expect(tenant.apiKeys).toHaveLength(4);
  });

  test('keeps a deleted key for 30 days, listed only with showDeleted and without its key string, then purges it', async () => {
    const key = tenant.apiKeys[1]!;
    const deleted = await call('DELETE', `${keysPath()}/${key.uid}`);
    expect(deleted.body).toMatchObject({ done: true, response: { uid: key.uid, deleteTime: now.toISOString() } });
    expect((await call('GET', keysPath(), { token: 'reader-token' })).body.keys.map((listed: { uid: string }) => listed.uid)).not.toContain(key.uid);
    expect((await call('GET', `${keysPath()}?showDeleted=true`, { token: 'reader-token' })).body.keys.map((listed: { uid: string }) => listed.uid)).toContain(key.uid);
    expect((await call('GET', `${keysPath()}/${key.uid}/keyString`, { token: 'reader-token' })).status).toBe(404);
    expect((await call('DELETE', `${keysPath()}/${key.uid}`)).status).toBe(404);

    now = new Date(now.getTime() + 31 * day);
    expect((await call('GET', `${keysPath()}?showDeleted=true`, { token: 'reader-token' })).body.keys.map((listed: { uid: string }) => listed.uid)).not.toContain(key.uid);
    expect((await call('GET', `${keysPath()}/${key.uid}`, { token: 'reader-token' })).status).toBe(404);
  });
});

describe('simulated Policy Analyzer', () => {
  const activitiesOf = async (projectId: string, query: { filter?: string; pageSize?: number; pageToken?: string } = {}, type = 'serviceAccountKeyLastAuthentication') => {
    const analyzer = google.policyanalyzer({ version: 'v1', auth: auth('reader-token'), rootUrl: root });
    return (await analyzer.projects.locations.activityTypes.activities.query({ parent: `projects/${projectId}/locations/global/activityTypes/${type}`, ...query })).data;
  };
  const keyName = (email: string, keyId: string) => `//iam.googleapis.com/projects/${project()}/serviceAccounts/${email}/keys/${keyId}`;

  test('reports each user-managed key’s last authentication at 07:00Z, and none for a key never used or last used before the observation period', async () => {
    const { activities } = await activitiesOf(project());
    const userKeys = tenant.serviceAccountKeys.filter((key) => key.keyType === 'USER_MANAGED' && key.serviceAccountEmail.endsWith(`@${project()}.iam.gserviceaccount.com`));
    expect(activities).toHaveLength(userKeys.length);
    const backup = userKeys.find((key) => key.lastAuthenticatedTime === new Date(referenceTime.getTime() - 150 * day).toISOString())!;
    const reported = activities!.find((activity) => activity.fullResourceName === keyName(backup.serviceAccountEmail, backup.keyId))!;
    expect(reported).toMatchObject({
      activityType: 'serviceAccountKeyLastAuthentication',
      activity: {
        lastAuthenticatedTime: new Date(Math.floor((referenceTime.getTime() - 150 * day) / day) * day + 7 * 3_600_000).toISOString().replace('.000Z', 'Z'),
        serviceAccountKey: { fullResourceName: reported.fullResourceName, projectNumber: tenant.cloudProjectNumber, serviceAccountId: expect.stringMatching(/^\d{21}$/) },
      },
      observationPeriod: { startTime: '2025-10-16T07:00:00Z', endTime: '2026-11-20T07:00:00Z' },
    });
    for (const key of userKeys.filter((candidate) => candidate.lastAuthenticatedTime === null || Date.parse(candidate.lastAuthenticatedTime) < Date.parse('2025-10-16T07:00:00Z'))) {
      const activity = activities!.find((candidate) => candidate.fullResourceName === keyName(key.serviceAccountEmail, key.keyId))!;
      expect(activity.activity).not.toHaveProperty('lastAuthenticatedTime');
    }
  });

  test('filters by up to 10 full resource names joined by OR, and pages', async () => {
    const [first, second] = tenant.serviceAccountKeys.filter((key) => key.keyType === 'USER_MANAGED' && key.serviceAccountEmail.includes(project()));
    const names = [keyName(first!.serviceAccountEmail, first!.keyId), keyName(second!.serviceAccountEmail, second!.keyId)];
    const filtered = await activitiesOf(project(), { filter: names.map((name) => `activities.full_resource_name="${name}"`).join(' OR ') });
    expect(filtered.activities!.map((activity) => activity.fullResourceName)).toEqual(names);

    const pageOne = await activitiesOf(project(), { pageSize: 2 });
    expect(pageOne.activities).toHaveLength(2);
    const pageTwo = await activitiesOf(project(), { pageSize: 2, pageToken: pageOne.nextPageToken! });
    expect(pageTwo.activities![0]!.fullResourceName).not.toBe(pageOne.activities![0]!.fullResourceName);

    const tooMany = Array.from({ length: 11 }, (_, index) => `activities.fullResourceName="${names[0]}${index}"`).join(' OR ');
    const refused = await call('GET', `v1/projects/${project()}/locations/global/activityTypes/serviceAccountKeyLastAuthentication/activities:query?filter=${encodeURIComponent(tooMany)}`, { token: 'reader-token' });
    expect(refused).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
  });

  test('reports per account too, and answers 403 naming the permission for a project the caller cannot reach or holds no analysis role on', async () => {
    const { activities } = await activitiesOf(project(), {}, 'serviceAccountLastAuthentication');
    expect(activities!.map((activity) => activity.activity!.serviceAccount.fullResourceName)).toHaveLength(tenant.serviceAccounts.filter((account) => account.projectId === project()).length);
    const refused = await call('GET', 'v1/projects/someone-elses-project/locations/global/activityTypes/serviceAccountKeyLastAuthentication/activities:query', { token: 'reader-token' });
    expect(refused.body.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', details: [{ metadata: { permission: 'policyanalyzer.serviceAccountKeyLastAuthenticationActivities.query' } }] });
    // The data project's keys are listed, but its admins were never given Activity Analysis Viewer there.
    const dataProject = tenant.cloudProjects[1]!.projectId;
    expect((await call('GET', `v2/projects/${dataProject}/locations/global/keys`, { token: 'reader-token' })).status).toBe(200);
    const notAnalysed = await call('GET', `v1/projects/${dataProject}/locations/global/activityTypes/serviceAccountKeyLastAuthentication/activities:query`, { token: 'reader-token' });
    expect(notAnalysed).toMatchObject({ status: 403, body: { error: { status: 'PERMISSION_DENIED' } } });
  });
});
