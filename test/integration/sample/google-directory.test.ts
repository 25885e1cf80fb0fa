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

  test("lists a departed user's backup codes in Google's verification code shape", async () => {
    const admin = directory(await accessToken([]));
    const departed = simulator.tenant.users.filter((user) => user.departed).at(-1)!;
    const { data } = await admin.verificationCodes.list({ userKey: departed.primaryEmail });
    expect(data.kind).toBe('admin#directory#verificationCodesList');
    expect(data.items).toHaveLength(10);
    for (const code of data.items!) {
      expect(code).toMatchObject({ kind: 'admin#directory#verificationCode', userId: departed.googleId, verificationCode: expect.stringMatching(/^\d{8}$/), etag: expect.stringMatching(/^".+"$/) });
    }
  });

  test('refuses backup-code and 2-Step Verification changes on a suspended user with a bare 400 Invalid Input, and keeps the codes', async () => {
    const admin = directory(await accessToken([]));
    const suspended = simulator.tenant.users.find((user) => user.suspended && simulator.tenant.twoStepEnrolledGoogleUsers.has(user.googleId))!;
    for (const change of [() => admin.verificationCodes.invalidate({ userKey: suspended.googleId }), () => admin.twoStepVerification.turnOff({ userKey: suspended.googleId })]) {
      const error = (await change().catch((caught: unknown) => caught)) as GoogleApiError;
      expect(error.status).toBe(400);
      expect(error.response.data.error).toMatchObject({ code: 400, message: 'Invalid Input', errors: [{ reason: 'invalid', domain: 'global' }] });
    }
    expect((await admin.verificationCodes.list({ userKey: suspended.googleId })).data.items).toHaveLength(10);
  });

  test('logs a state change only for a call that changed something, each named once', async () => {
    const admin = directory(await accessToken(['offboarding']));
    const departed = simulator.tenant.users.filter((user) => user.departed).at(-2)!;
    const asp = simulator.tenant.asps.find((candidate) => candidate.userGoogleId === departed.googleId)!;
    const token = simulator.tenant.googleTokens.find((candidate) => candidate.userGoogleId === departed.googleId)!;
    const from = simulator.calls.length;
    for (let round = 0; round < 2; round += 1) {
      await admin.users.signOut({ userKey: departed.googleId });
      await admin.verificationCodes.invalidate({ userKey: departed.googleId });
      await admin.asps.delete({ userKey: departed.googleId, codeId: asp.codeId }).catch(() => undefined);
      await admin.tokens.delete({ userKey: departed.googleId, clientId: token.clientId }).catch(() => undefined);
    }
    // Suspended last: Google would refuse the second invalidation of a suspended user.
    for (let round = 0; round < 2; round += 1) await admin.users.patch({ userKey: departed.googleId, requestBody: { suspended: true } });
    const logged = simulator.calls.slice(from);
    expect(logged.map((call) => call.status)).toEqual([204, 204, 204, 204, 204, 204, 404, 404, 200, 200]);
    expect(logged.flatMap((call) => call.effects ?? [])).toEqual([
      `google.user.signOut:${departed.googleId}`,
      `google.verificationCodes.invalidate:${departed.googleId}`,
      `google.asp.delete:${departed.googleId}:${asp.codeId}`,
      `google.token.delete:${departed.googleId}:${token.clientId}`,
      `google.user.suspend:${departed.googleId}`,
    ]);
  });

  test('lists data transfers by old owner, new owner and status, a page at a time', async () => {
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: await accessToken(['offboarding']) });
    const transfers = google.admin({ version: 'datatransfer_v1', auth, rootUrl: simulator.google.apiRoot });
    const [leaver, first, second] = simulator.tenant.users.filter((user) => !user.isAdmin && !user.suspended).slice(-3);
    const drive = [{ applicationId: '55656082996', applicationTransferParams: [{ key: 'PRIVACY_LEVEL', value: ['PRIVATE', 'SHARED'] }] }];
    for (const receiver of [first, second, first]) {
      await transfers.transfers.insert({ requestBody: { oldOwnerUserId: leaver!.googleId, newOwnerUserId: receiver!.googleId, applicationDataTransfers: drive } });
    }
    const toFirst = await transfers.transfers.list({ oldOwnerUserId: leaver!.googleId, newOwnerUserId: first!.googleId, maxResults: 1 });
    expect(toFirst.data.kind).toBe('admin#datatransfer#dataTransfersList');
    expect(toFirst.data.dataTransfers).toHaveLength(1);
    expect(toFirst.data.dataTransfers![0]).toMatchObject({ kind: 'admin#datatransfer#DataTransfer', oldOwnerUserId: leaver!.googleId, newOwnerUserId: first!.googleId, overallTransferStatusCode: 'inProgress' });
    const next = await transfers.transfers.list({ oldOwnerUserId: leaver!.googleId, newOwnerUserId: first!.googleId, maxResults: 1, pageToken: toFirst.data.nextPageToken! });
    expect(next.data.dataTransfers).toHaveLength(1);
    expect(next.data.nextPageToken).toBeUndefined();
    expect(next.data.dataTransfers![0]!.id).not.toBe(toFirst.data.dataTransfers![0]!.id);
    expect((await transfers.transfers.list({ oldOwnerUserId: leaver!.googleId })).data.dataTransfers).toHaveLength(3);
    expect((await transfers.transfers.list({ oldOwnerUserId: leaver!.googleId, status: 'completed' })).data.dataTransfers ?? []).toHaveLength(0);
    await expect.poll(async () => (await transfers.transfers.list({ oldOwnerUserId: leaver!.googleId, status: 'completed' })).data.dataTransfers?.length ?? 0, { timeout: 5_000 }).toBe(3);
    const error = (await transfers.transfers.insert({ requestBody: { oldOwnerUserId: leaver!.googleId, newOwnerUserId: leaver!.googleId, applicationDataTransfers: drive } }).catch((caught: unknown) => caught)) as GoogleApiError;
    expect(error.status).toBe(400);
  });

  test('records every call by endpoint', () => {
    expect(simulator.calls.filter((call) => call.name === 'directory.users.list').length).toBeGreaterThanOrEqual(3);
    expect(simulator.calls.some((call) => call.name === 'directory.tokens.delete' && call.status === 204)).toBe(true);
  });
});
