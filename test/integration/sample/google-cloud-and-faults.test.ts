import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { afterEach, describe, expect, test } from 'vitest';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { sampleAccessToken } from './sample-sign-in';

let simulator: TenantSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: Partial<Parameters<typeof startTenantSimulator>[0]> = {}) {
  simulator = await startTenantSimulator({ seed: 11, users: 50, referenceTime: new Date('2026-11-21T09:00:00Z'), ...options });
  return simulator;
}

function authFor(token: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  return auth;
}

describe('simulated Google Cloud keys through googleapis', () => {
  test('lists service-account keys, creates one with its key file, disables, enables and deletes it', async () => {
    const sim = await start();
    const iam = google.iam({ version: 'v1', auth: authFor(await sampleAccessToken(sim, ['credentials'])), rootUrl: sim.google.apiRoot });
    const account = `projects/${sim.tenant.cloudProjectId}/serviceAccounts/backup@${sim.tenant.cloudProjectId}.iam.gserviceaccount.com`;
    const before = (await iam.projects.serviceAccounts.keys.list({ name: account, keyTypes: ['USER_MANAGED'] })).data.keys!;
    expect(before.length).toBe(2);
    expect(before.every((key) => key.keyType === 'USER_MANAGED' && key.keyAlgorithm === 'KEY_ALG_RSA_2048')).toBe(true);

    const created = (await iam.projects.serviceAccounts.keys.create({ name: account, requestBody: {} })).data;
    const file = JSON.parse(Buffer.from(created.privateKeyData!, 'base64').toString('utf8')) as { type: string; private_key: string; client_email: string };
    expect(file).toMatchObject({ type: 'service_account', client_email: `backup@${sim.tenant.cloudProjectId}.iam.gserviceaccount.com` });
    expect(file.private_key).toContain('BEGIN PRIVATE KEY');
    // The key material is handed over once: reading the key back never includes it.
    expect((await iam.projects.serviceAccounts.keys.get({ name: created.name! })).data.privateKeyData).toBeUndefined();

    await iam.projects.serviceAccounts.keys.disable({ name: created.name!, requestBody: {} });
    expect((await iam.projects.serviceAccounts.keys.get({ name: created.name! })).data.disabled).toBe(true);
    await iam.projects.serviceAccounts.keys.enable({ name: created.name!, requestBody: {} });
    await iam.projects.serviceAccounts.keys.delete({ name: created.name! });
    await expect(iam.projects.serviceAccounts.keys.get({ name: created.name! })).rejects.toMatchObject({ status: 404 });
  });

  test('lists API keys, creates one and reads its key string, and soft-deletes it', async () => {
    const sim = await start();
    const apikeys = google.apikeys({ version: 'v2', auth: authFor(await sampleAccessToken(sim, ['credentials'])), rootUrl: sim.google.apiRoot });
    const parent = `projects/${sim.tenant.cloudProjectId}/locations/global`;
    expect((await apikeys.projects.locations.keys.list({ parent })).data.keys).toHaveLength(3);
    const operation = (await apikeys.projects.locations.keys.create({ parent, requestBody: { displayName: 'Rotated maps key' } })).data;
    expect(operation.done).toBe(true);
    const key = operation.response as { name: string; keyString: string };
    expect(key.keyString).toMatch(/^AIza[\w-]{35}$/);
    expect((await apikeys.projects.locations.keys.getKeyString({ name: key.name })).data.keyString).toBe(key.keyString);
    await apikeys.projects.locations.keys.delete({ name: key.name });
    expect((await apikeys.projects.locations.keys.list({ parent })).data.keys).toHaveLength(3);
    expect((await apikeys.projects.locations.keys.list({ parent, showDeleted: true })).data.keys).toHaveLength(4);
  });

  test('refuses key changes to a token with only the read-only cloud scope', async () => {
    const sim = await start();
    const iam = google.iam({ version: 'v1', auth: authFor(await sampleAccessToken(sim, [])), rootUrl: sim.google.apiRoot });
    const account = `projects/${sim.tenant.cloudProjectId}/serviceAccounts/deploy@${sim.tenant.cloudProjectId}.iam.gserviceaccount.com`;
    expect((await iam.projects.serviceAccounts.keys.list({ name: account })).data.keys?.length).toBeGreaterThan(0);
    await expect(iam.projects.serviceAccounts.keys.create({ name: account, requestBody: {} })).rejects.toMatchObject({ status: 403 });
  });
});

describe('simulated faults and quota', () => {
  test('answers beyond the per-minute quota with 403 userRateLimitExceeded', async () => {
    const sim = await start({ googleQuotaPerMinute: 5 });
    const admin = google.admin({ version: 'directory_v1', auth: authFor(await sampleAccessToken(sim, [])), rootUrl: sim.google.apiRoot });
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => admin.users.list({ customer: 'my_customer', maxResults: 1 }).then(() => 200, (error: { status: number; response: { data: { error: { errors: { reason: string }[] } } } }) => `${error.status} ${error.response.data.error.errors[0]!.reason}`)));
    expect(outcomes.filter((outcome) => outcome === 200)).toHaveLength(5);
    expect(outcomes.filter((outcome) => outcome === '403 userRateLimitExceeded')).toHaveLength(3);
  });

  test('injects the planned share of transient errors and records every call', async () => {
    const sim = await start({ faults: { errorRate: 0.5 } });
    const admin = google.admin({ version: 'directory_v1', auth: authFor(await sampleAccessToken(sim, [])), rootUrl: sim.google.apiRoot });
    // googleapis retries 5xx by itself; count what the server answered instead.
    const calls = 40;
    for (let i = 0; i < calls; i += 1) await admin.users.get({ userKey: sim.tenant.users[0]!.googleId }, { retry: false }).catch(() => undefined);
    const answered = sim.calls.filter((call) => call.name === 'directory.users.get');
    expect(answered).toHaveLength(calls);
    const failed = answered.filter((call) => call.status === 503).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });
});

describe('simulated Google batch endpoint', () => {
  const boundary = 'batch_consentry_test';
  const batchBody = (targets: string[]) =>
    `${targets.map((target, index) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item${index + 1}>\r\n\r\n${target} HTTP/1.1\r\n\r\n`).join('')}--${boundary}--\r\n`;

  async function sendBatch(sim: TenantSimulator, token: string, targets: string[]) {
    const response = await fetch(`${sim.google.apiRoot}batch/admin/directory/v1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/mixed; boundary=${boundary}` },
      body: batchBody(targets),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  test('answers each call of a multipart batch in order, with its own status, and counts each call', async () => {
    const sim = await start();
    const token = await sampleAccessToken(sim, []);
    const user = sim.tenant.users[1]!;
    const batch = await sendBatch(sim, token, [`GET /admin/directory/v1/users/${user.googleId}/tokens`, 'GET /admin/directory/v1/users/nobody%40nowhere.example/tokens', `PATCH /admin/directory/v1/users/${user.googleId}`]);
    expect(batch.status).toBe(200);
    expect(batch.contentType).toMatch(/^multipart\/mixed; boundary=batch_/);
    const statuses = [...batch.text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]));
    expect(statuses).toEqual([200, 404, 403]);
    expect(batch.text).toContain('Content-ID: <response-item1>');
    expect(batch.text).toContain('admin#directory#tokenList');
    // Each inner call is a call of its own; the batch envelope is not.
    expect(sim.calls.map((call) => `${call.name} ${call.status}`).sort()).toEqual(['directory.tokens.list 200', 'directory.tokens.list 404', 'directory.users.patch 403']);
  });

  test('refuses a batch of more than 1,000 calls', async () => {
    const sim = await start();
    const token = await sampleAccessToken(sim, []);
    const batch = await sendBatch(sim, token, Array.from({ length: 1_001 }, () => `GET /admin/directory/v1/users/${sim.tenant.users[0]!.googleId}`));
    expect(batch.status).toBe(400);
    expect(batch.text).toContain('at most 1000 calls');
    expect(sim.calls).toHaveLength(0);
  });
});
