import { OAuth2Client } from 'google-auth-library';
import { google, type admin_directory_v1 } from 'googleapis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { sampleAccessToken } from './sample-sign-in';

/** What gaxios rejects with: the HTTP status and Google's error body. */
interface GoogleApiError {
  status: number;
  response: { data: { error: Record<string, unknown> } };
}

let simulator: TenantSimulator;
const accessToken = (capabilities: CapabilityId[]) => sampleAccessToken(simulator, capabilities);

function directory(token: string): admin_directory_v1.Admin {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token });
  return google.admin({ version: 'directory_v1', auth, rootUrl: simulator.google.apiRoot });
}

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 7, users: 1_234, referenceTime: new Date('2026-11-21T09:00:00Z'), dataTransferDurationMs: 300 });
});

afterAll(() => simulator?.close());

describe('simulated Google Directory API through googleapis', () => {
  test('pages through every user exactly once with nextPageToken', async () => {
    const admin = directory(await accessToken([]));
    const seen: string[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await admin.users.list({ customer: 'my_customer', maxResults: 500, ...(pageToken ? { pageToken } : {}) });
      expect(data.kind).toBe('admin#directory#users');
      for (const user of data.users ?? []) seen.push(user.primaryEmail!);
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(seen).toHaveLength(1_234);
    expect(new Set(seen).size).toBe(1_234);
  });

  test("lists a user's third-party tokens in Google's token resource shape", async () => {
    const admin = directory(await accessToken([]));
    const holder = simulator.tenant.googleTokens[0]!;
    const { data } = await admin.tokens.list({ userKey: holder.userGoogleId });
    expect(data.kind).toBe('admin#directory#tokenList');
    expect(data.items?.[0]).toMatchObject({ kind: 'admin#directory#token', clientId: holder.clientId, displayText: holder.displayText, userKey: holder.userGoogleId, anonymous: holder.anonymous, nativeApp: holder.nativeApp });
    expect(data.items?.[0]?.etag).toMatch(/^".+"$/);
  });

  test('deletes a token for good: it is gone from the next listing', async () => {
    const admin = directory(await accessToken([]));
    const holder = simulator.tenant.googleTokens.at(-1)!;
    await admin.tokens.delete({ userKey: holder.userGoogleId, clientId: holder.clientId });
    const { data } = await admin.tokens.list({ userKey: holder.userGoogleId });
    expect((data.items ?? []).map((item) => item.clientId)).not.toContain(holder.clientId);
    await expect(admin.tokens.delete({ userKey: holder.userGoogleId, clientId: holder.clientId })).rejects.toMatchObject({ status: 404 });
  });

  test('answers a call without the needed scope with Google’s 403 insufficientPermissions', async () => {
    const admin = directory(await accessToken([]));
    const user = simulator.tenant.users.find((candidate) => !candidate.isAdmin)!;
    const error = (await admin.users.patch({ userKey: user.primaryEmail, requestBody: { suspended: true } }).catch((caught: unknown) => caught)) as GoogleApiError;
    expect(error.status).toBe(403);
    expect(error.response.data.error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED', errors: [{ reason: 'insufficientPermissions', domain: 'global' }] });
    expect(user.suspended).toBe(false);
  });

  test('suspends a user with the offboarding capability, and the change stays', async () => {
    const admin = directory(await accessToken(['offboarding']));
    const user = simulator.tenant.users.find((candidate) => !candidate.isAdmin && !candidate.suspended)!;
    await admin.users.patch({ userKey: user.primaryEmail, requestBody: { suspended: true } });
    expect((await admin.users.get({ userKey: user.googleId })).data.suspended).toBe(true);
  });

  test('refuses a revoked token with Google’s 401 authError', async () => {
    const token = await accessToken([]);
    await fetch(simulator.google.revocationEndpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: simulator.google.clientId }) });
    const error = (await directory(token).users.list({ customer: 'my_customer' }).catch((caught: unknown) => caught)) as GoogleApiError;
    expect(error.status).toBe(401);
    expect(error.response.data.error).toMatchObject({ code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', location: 'Authorization' }] });
  });

  test('reports token activity with client_id, app_name and scope parameters, and the revoke a deletion caused', async () => {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: await accessToken([]) });
    const reports = google.admin({ version: 'reports_v1', auth, rootUrl: simulator.google.apiRoot });
    const { data } = await reports.activities.list({ userKey: 'all', applicationName: 'token', maxResults: 50 });
    expect(data.kind).toBe('admin#reports#activities');
    expect(data.items).toHaveLength(50);
    expect(data.nextPageToken).toBeTruthy();
    const event = data.items![0]!.events![0]!;
    expect(event.type).toBe('auth');
    expect((event.parameters ?? []).map((parameter) => parameter.name)).toEqual(expect.arrayContaining(['client_id', 'app_name']));
    const revokes = await reports.activities.list({ userKey: 'all', applicationName: 'token', eventName: 'revoke' });
    expect(revokes.data.items?.length).toBeGreaterThanOrEqual(1);
    expect(revokes.data.items![0]!.id?.applicationName).toBe('token');
  });

  test('invalidates backup codes and turns off 2-Step Verification for an admin', async () => {
    const admin = directory(await accessToken([]));
    const enrolled = simulator.tenant.users.find((user) => user.isAdmin)!;
    expect((await admin.verificationCodes.list({ userKey: enrolled.primaryEmail })).data.items).toHaveLength(10);
    await admin.verificationCodes.invalidate({ userKey: enrolled.primaryEmail });
    expect((await admin.verificationCodes.list({ userKey: enrolled.primaryEmail })).data.items ?? []).toHaveLength(0);
    await admin.twoStepVerification.turnOff({ userKey: enrolled.primaryEmail });
    expect((await admin.users.get({ userKey: enrolled.primaryEmail })).data.isEnrolledIn2Sv).toBe(false);
  });

  test('transfers Drive and Calendar data to a manager, in progress first and completed later', async () => {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: await accessToken(['offboarding']) });
    const transfers = google.admin({ version: 'datatransfer_v1', auth, rootUrl: simulator.google.apiRoot });
    const { data: apps } = await transfers.applications.list();
    expect(apps.applications?.map((app) => app.name)).toEqual(['Calendar', 'Drive and Docs']);
    const [departed, manager] = simulator.tenant.users.filter((user) => !user.isAdmin);
    const { data: created } = await transfers.transfers.insert({
      requestBody: { oldOwnerUserId: departed!.googleId, newOwnerUserId: manager!.googleId, applicationDataTransfers: [{ applicationId: '435070579839', applicationTransferParams: [{ key: 'RELEASE_RESOURCES', value: ['TRUE'] }] }] },
    });
    expect(created.overallTransferStatusCode).toBe('inProgress');
    await expect.poll(async () => (await transfers.transfers.get({ dataTransferId: created.id! })).data.overallTransferStatusCode, { timeout: 5_000 }).toBe('completed');
  });

  test('records every call by endpoint', () => {
    expect(simulator.calls.filter((call) => call.name === 'directory.users.list').length).toBeGreaterThanOrEqual(3);
    expect(simulator.calls.some((call) => call.name === 'directory.tokens.delete' && call.status === 204)).toBe(true);
  });
});
