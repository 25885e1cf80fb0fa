import { afterEach, describe, expect, test } from 'vitest';
import type { AuditedApp, AuditedGrant } from '../../../src-main/audit/grant-model';
import type { RevocationTarget } from '../../../src-main/audit/provider-audit';
import { AppError } from '../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler, type RequestSchedulerOptions } from '../../../src-main/net/request-scheduler';
import { classifyGoogleFailure } from '../../../src-main/providers/google/google-failure';
import { describeGoogleRevocation, revokeGoogleGrant } from '../../../src-main/providers/google/google-grant-revoker';
import { scanGoogleGrants } from '../../../src-main/providers/google/google-grant-scanner';
import { sampleClientId, startTenantSimulator, type TenantSimulator, type TenantSimulatorOptions } from '../../../src-main/sample/simulator/tenant-simulator';
import { sampleAccessToken } from '../sample/sample-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
let simulator: TenantSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: Partial<TenantSimulatorOptions> = {}): Promise<TenantSimulator> {
  simulator = await startTenantSimulator({ seed: 5, users: 60, referenceTime, ...options });
  return simulator;
}

function context(sim: TenantSimulator, token: string, scheduler: Partial<RequestSchedulerOptions> = {}): ProviderCallContext {
  return {
    apiBaseUrl: sim.google.apiRoot,
    settings: {},
    accessToken: async () => token,
    scheduler: new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure, ...scheduler }),
  };
}

async function scan(sim: TenantSimulator, token: string) {
  return scanGoogleGrants(context(sim, token));
}

/** A target as the scan would have found it, straight from the tenant's data. */
function targetOf(sim: TenantSimulator, index: number): RevocationTarget {
  const token = sim.tenant.googleTokens[index]!;
  const user = sim.tenant.users.find((candidate) => candidate.googleId === token.userGoogleId)!;
  const app: AuditedApp = { key: `google:${token.clientId}`, provider: 'google', clientId: token.clientId, name: token.displayText, publisher: null, verifiedPublisher: null, internal: false, anonymous: token.anonymous };
  const grant: AuditedGrant = {
    key: `${app.key}|${user.primaryEmail}`,
    appKey: app.key,
    provider: 'google',
    user: user.primaryEmail,
    scopes: token.scopes,
    consent: 'user',
    access: 'delegated',
    lastUsed: null,
    evidence: { kind: 'admin#directory#token', clientId: token.clientId, userKey: user.googleId },
    revocationHandle: token.clientId,
  };
  return { app, grant };
}

/** An access token the simulated Google issued with only these scopes, as a narrower consent would. */
async function tokenWithScopes(sim: TenantSimulator, scopes: string[]): Promise<string> {
  const provider = sim.googleAuthorization.provider;
  const client = (await provider.Client.find(sampleClientId))!;
  return new provider.AccessToken({ accountId: sim.tenant.users[0]!.primaryEmail, client, scope: scopes.join(' '), gty: 'authorization_code', grantId: 'narrow-consent' }).save();
}

describe('revoking a Google grant', () => {
  test('deletes the user’s tokens for the app, verifies it by reading back, and a rescan no longer has it', async () => {
    const sim = await start();
    const token = await sampleAccessToken(sim, ['revoke_grants']);
    const before = await scan(sim, token);
    const grant = before.grants.find((candidate) => !candidate.revocationHandle.startsWith('asp:') && candidate.scopes.length > 1)!;
    const app = before.apps.find((candidate) => candidate.key === grant.appKey)!;
    const tokensBefore = sim.tenant.googleTokens.length;

    expect(describeGoogleRevocation({ app, grant })).toMatch(/^Delete this user’s tokens for this app \(Directory API tokens\.delete\)/);
    expect(await revokeGoogleGrant(context(sim, token), { app, grant })).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
    expect(sim.tenant.googleTokens).toHaveLength(tokensBefore - 1);
    expect(sim.calls.filter((call) => call.name.startsWith('directory.tokens.')).slice(-2).map((call) => [call.name, call.status])).toEqual([
      ['directory.tokens.delete', 204],
      ['directory.tokens.get', 404],
    ]);

    const after = await scan(sim, token);
    expect(after.grants.map((candidate) => candidate.key)).not.toContain(grant.key);
    expect(after.grants).toHaveLength(before.grants.length - 1);
  });

  test('deletes an app password the scan found, and verifies it with the user’s list', async () => {
    const sim = await start();
    const token = await sampleAccessToken(sim, ['revoke_grants']);
    const before = await scan(sim, token);
    const grant = before.grants.find((candidate) => candidate.revocationHandle.startsWith('asp:'))!;
    const app = before.apps.find((candidate) => candidate.key === grant.appKey)!;
    const aspsBefore = sim.tenant.asps.length;
    expect(describeGoogleRevocation({ app, grant })).toMatch(/^Delete this app password \(Directory API asps\.delete\)/);
    expect(await revokeGoogleGrant(context(sim, token), { app, grant })).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
    expect(sim.tenant.asps).toHaveLength(aspsBefore - 1);
    expect(await revokeGoogleGrant(context(sim, token), { app, grant })).toMatchObject({ outcome: 'already_gone', verified: true });
    expect((await scan(sim, token)).grants.map((candidate) => candidate.key)).not.toContain(grant.key);
  });

  test('a second revocation finds it already gone, and says so', async () => {
    const sim = await start();
    const token = await sampleAccessToken(sim, ['revoke_grants']);
    const target = targetOf(sim, 3);
    expect((await revokeGoogleGrant(context(sim, token), target)).outcome).toBe('revoked');
    const again = await revokeGoogleGrant(context(sim, token), target);
    expect(again).toMatchObject({ outcome: 'already_gone', verified: true, errorCode: null });
    expect(again.message).toMatch(/no longer had/);
  });

  test('works by the user’s email when the scan kept no Google id', async () => {
    const sim = await start();
    const token = await sampleAccessToken(sim, ['revoke_grants']);
    const target = targetOf(sim, 0);
    const outcome = await revokeGoogleGrant(context(sim, token), { ...target, grant: { ...target.grant, evidence: null } });
    expect(outcome).toMatchObject({ outcome: 'revoked', verified: true });
  });

  test('maps 401 to needs_reconnect and a 403 for missing privileges to permission_denied, deleting nothing', async () => {
    const sim = await start();
    const target = targetOf(sim, 1);
    const tokensBefore = sim.tenant.googleTokens.length;
    const expired = await revokeGoogleGrant(context(sim, 'not-a-live-token'), target);
    expect(expired).toMatchObject({ outcome: 'failed', verified: false, errorCode: 'needs_reconnect' });
    const readOnly = await tokenWithScopes(sim, ['openid', 'https://www.googleapis.com/auth/admin.directory.user.readonly']);
    const refused = await revokeGoogleGrant(context(sim, readOnly), target);
    expect(refused).toMatchObject({ outcome: 'failed', verified: false, errorCode: 'permission_denied' });
    expect(refused.message).not.toMatch(/insufficient authentication scopes/i);
    expect(sim.tenant.googleTokens).toHaveLength(tokensBefore);
  });

  test('fails at once with needs_reconnect when the connection has no access token, after one try and no call to Google', async () => {
    const sim = await start();
    const callsBefore = sim.calls.length;
    const scheduler = new RequestScheduler({ quotaPerMinute: 2_400, classify: classifyGoogleFailure });
    const accessToken = async (): Promise<string> => {
      throw new AppError('needs_reconnect', 'Acme Workspace has no valid access token.');
    };
    const outcome = await revokeGoogleGrant({ apiBaseUrl: sim.google.apiRoot, settings: {}, accessToken, scheduler }, targetOf(sim, 3));
    expect(outcome).toEqual({ outcome: 'failed', verified: false, errorCode: 'needs_reconnect', message: 'Acme Workspace has no valid access token.' });
    expect(scheduler.stats()).toMatchObject({ calls: 1, retries: 0 });
    expect(sim.calls).toHaveLength(callsBefore);
  });

  test('maps a quota that stays exhausted past the scheduler’s waits to quota_exhausted', async () => {
    const sim = await start({ googleQuotaPerMinute: 1 });
    const token = await sampleAccessToken(sim, ['revoke_grants']);
    // The one call of this minute.
    expect((await fetch(`${sim.google.apiRoot}admin/directory/v1/users?customer=my_customer`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const outcome = await revokeGoogleGrant(context(sim, token, { maxRateLimitRetries: 0 }), targetOf(sim, 2));
    expect(outcome).toMatchObject({ outcome: 'failed', errorCode: 'quota_exhausted' });
  });

  test('loses no revocation under injected failures: each is done and verified after retries, or reported with a code', async () => {
    const sim = await start({ faults: { errorRate: 0.2 } });
    const token = await sampleAccessToken(sim, ['revoke_grants']);
    const targets = Array.from({ length: 20 }, (_, index) => targetOf(sim, index * 2));
    const tokensBefore = sim.tenant.googleTokens.length;
    const callContext = context(sim, token);
    const outcomes = await Promise.all(targets.map((target) => revokeGoogleGrant(callContext, target)));
    expect(outcomes).toHaveLength(20);
    for (const outcome of outcomes) {
      if (outcome.outcome === 'failed') expect(outcome.errorCode).not.toBeNull();
      else expect(outcome.outcome).toBe('revoked');
    }
    const revoked = outcomes.filter((outcome) => outcome.outcome === 'revoked').length;
    expect(sim.tenant.googleTokens).toHaveLength(tokensBefore - revoked);
    expect(callContext.scheduler.stats().retries).toBeGreaterThan(0);
  });
});
