import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProviderScan, ScanProgress } from '../../../src-main/audit/grant-model';
import type { ProviderAudit, ScanContext } from '../../../src-main/audit/provider-audit';
import { resolveConnection } from '../../../src-main/oauth/connection-resolution';
import { RequestScheduler, type FailureKind } from '../../../src-main/net/request-scheduler';
import { genericOAuthClient } from '../../support/node-oauth-clients';
import { oktaGrantAudit } from '../../../src-main/providers/okta/okta-audit';
import { classifyOktaFailure } from '../../../src-main/providers/okta/okta-failure';
import { salesforceGrantAudit } from '../../../src-main/providers/salesforce/salesforce-audit';
import { classifySalesforceFailure } from '../../../src-main/providers/salesforce/salesforce-failure';
import { zendeskGrantAudit } from '../../../src-main/providers/zendesk/zendesk-audit';
import { classifyZendeskFailure } from '../../../src-main/providers/zendesk/zendesk-failure';
import { startTenantSimulator, type SimulatedSaasProvider, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import type { ConnectionSettings } from '../../../src-shared/contract/connections';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { fixedRedirectPortForTest } from '../../support/loopback-port';
import { scriptedSignIn } from '../../support/scripted-sign-in';
import { providerDefinitions } from '../../support/provider-definitions';

type SaasProvider = 'salesforce' | 'zendesk' | 'okta';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const audits: Record<SaasProvider, ProviderAudit> = { salesforce: salesforceGrantAudit, zendesk: zendeskGrantAudit, okta: oktaGrantAudit };
const classifiers: Record<SaasProvider, (error: unknown) => FailureKind> = { salesforce: classifySalesforceFailure, zendesk: classifyZendeskFailure, okta: classifyOktaFailure };
const settings: Record<SaasProvider, ConnectionSettings> = { salesforce: { myDomain: 'sample-company' }, zendesk: { subdomain: 'sample-company' }, okta: { orgUrl: 'https://sample-company.okta.com' } };

/** A real sign-in through Consentry's generic client with the provider's preset, pointed at the simulator. */
async function signIn(provider: SaasProvider, endpoints: SimulatedSaasProvider, capabilities: CapabilityId[]): Promise<string> {
  const connection = resolveConnection(providerDefinitions, {
    provider,
    clientId: endpoints.clientId,
    capabilities,
    settings: { ...settings[provider], issuer: endpoints.issuer, authorizationEndpoint: endpoints.authorizationEndpoint, tokenEndpoint: endpoints.tokenEndpoint, revocationEndpoint: endpoints.revocationEndpoint, redirectPort: fixedRedirectPortForTest() },
  });
  const grant = await genericOAuthClient.authorize(connection, {}, scriptedSignIn());
  return grant.secrets.accessToken!;
}

function contextFor(sim: TenantSimulator, provider: SaasProvider, token: string, progress?: ScanProgress[]): ScanContext {
  return {
    apiBaseUrl: sim.saas[provider].apiBaseUrl,
    settings: settings[provider],
    accessToken: async () => token,
    scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifiers[provider] }),
    ...(progress ? { onProgress: (step: ScanProgress) => progress.push(step) } : {}),
  };
}

const grantKeys = (scan: ProviderScan) => scan.grants.map((grant) => grant.key);

describe('auditing the sample company’s SaaS grants', () => {
  let sim: TenantSimulator;
  const tokens = {} as Record<SaasProvider, Record<'audit' | 'revoke', string>>;

  beforeAll(async () => {
    // Big enough for more than one 2,000-row batch of Salesforce OauthToken rows.
    sim = await startTenantSimulator({ seed: 11, users: 1_200, referenceTime });
    for (const provider of ['salesforce', 'zendesk', 'okta'] as const) {
      // Revoking with exactly the revoke_grants capability proves its scopes suffice.
      tokens[provider] = { audit: await signIn(provider, sim.saas[provider], []), revoke: await signIn(provider, sim.saas[provider], ['revoke_grants']) };
    }
  });
  afterAll(() => sim?.close());

  const scan = (provider: SaasProvider, token: 'audit' | 'revoke' = 'revoke', progress?: ScanProgress[]) => audits[provider].scan(contextFor(sim, provider, tokens[provider][token], progress));
  const revoke = (provider: SaasProvider, token: string, target: Parameters<ProviderAudit['revoke']>[1]) => audits[provider].revoke(contextFor(sim, provider, token), target);
  const targetIn = (result: ProviderScan, key: string) => {
    const grant = result.grants.find((candidate) => candidate.key === key)!;
    return { app: result.apps.find((app) => app.key === grant.appKey)!, grant };
  };

  describe('Salesforce', () => {
    test('finds every OauthToken row, across query-locator pages, as one grant per user and connected app', async () => {
      const { oauthTokens, users } = sim.saasState.salesforce;
      const progress: ScanProgress[] = [];
      const result = await scan('salesforce', 'revoke', progress);
      expect(oauthTokens.length).toBeGreaterThan(2_000);
      expect(result).toMatchObject({ total: Math.ceil(oauthTokens.length / 2_000), completed: Math.ceil(oauthTokens.length / 2_000), incomplete: [] });
      expect(progress.some((step) => step.phase === 'tokens' && step.done === 2)).toBe(true);

      expect(new Set(grantKeys(result))).toEqual(new Set(oauthTokens.map((token) => `salesforce:${token.AppName}|${token.UserId}`)));
      expect(new Set(result.apps.map((app) => app.name))).toEqual(new Set(oauthTokens.map((token) => token.AppName)));
      const usernames = new Map(users.map((user) => [user.Id, user.Username]));
      for (const grant of result.grants) {
        const rows = oauthTokens.filter((token) => `salesforce:${token.AppName}|${token.UserId}` === grant.key);
        expect(grant).toMatchObject({ provider: 'salesforce', user: usernames.get(rows[0]!.UserId), consent: 'user', access: 'delegated', scopes: [] });
        expect(grant.lastUsed).toBe(rows.map((row) => row.LastUsedDate).sort().at(-1));
        expect(grant.evidence).toHaveLength(rows.length);
      }
    });

    test('keeps the DeleteToken out of the evidence', async () => {
      const result = await scan('salesforce');
      const evidence = JSON.stringify(result.grants.map((grant) => grant.evidence));
      expect(evidence).not.toContain('DeleteToken');
      for (const token of sim.saasState.salesforce.oauthTokens.slice(0, 200)) expect(evidence).not.toContain(token.DeleteToken);
      expect((result.grants[0]!.evidence as Record<string, unknown>[])[0]).toMatchObject({ AppName: expect.any(String), UseCount: expect.any(Number), attributes: { type: 'OauthToken' } });
    });

    test('revokes every token of the grant with its DeleteToken, verifies it, and a rescan no longer has it; again is already gone', async () => {
      const before = await scan('salesforce');
      const grant = before.grants.find((candidate) => (candidate.evidence as unknown[]).length === 2) ?? before.grants[0]!;
      const target = targetIn(before, grant.key);
      const rows = sim.saasState.salesforce.oauthTokens.filter((token) => `salesforce:${token.AppName}|${token.UserId}` === grant.key);

      expect(audits.salesforce.describeRevocation(target)).toMatch(/DeleteToken/);
      const outcome = await revoke('salesforce', tokens.salesforce.revoke, target);
      expect(outcome).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
      expect(sim.saasState.salesforce.revocations.map((revocation) => revocation.deleteToken)).toEqual(expect.arrayContaining(rows.map((row) => row.DeleteToken)));
      for (const row of rows) expect(outcome.message).not.toContain(row.DeleteToken);

      const after = await scan('salesforce');
      expect(grantKeys(after)).not.toContain(grant.key);
      expect(after.grants).toHaveLength(before.grants.length - 1);
      expect(await revoke('salesforce', tokens.salesforce.revoke, target)).toMatchObject({ outcome: 'already_gone', verified: true, errorCode: null });
    });

    test('maps a session Salesforce no longer accepts (401) to needs_reconnect, for a scan and a revocation', async () => {
      const before = await scan('salesforce');
      const target = targetIn(before, before.grants[0]!.key);
      const rowsBefore = sim.saasState.salesforce.oauthTokens.length;
      expect(await revoke('salesforce', 'expired-session', target)).toMatchObject({ outcome: 'failed', verified: false, errorCode: 'needs_reconnect' });
      expect(sim.saasState.salesforce.oauthTokens).toHaveLength(rowsBefore);
      await expect(audits.salesforce.scan(contextFor(sim, 'salesforce', 'expired-session'))).rejects.toMatchObject({ name: 'AppError', code: 'needs_reconnect' });
    });
  });

  describe('Zendesk', () => {
    test('finds every user’s tokens with the audit scopes, named by their OAuth client and user email', async () => {
      const { oauthTokens, oauthClients, users } = sim.saasState.zendesk;
      const result = await scan('zendesk', 'audit');
      const pages = Math.ceil(oauthTokens.length / 100);
      expect(pages).toBeGreaterThan(1);
      expect(result).toMatchObject({ total: pages, completed: pages, incomplete: [] });
      expect(new Set(grantKeys(result))).toEqual(new Set(oauthTokens.map((token) => `zendesk:${token.client_id}|${token.user_id}`)));
      const clients = new Map(oauthClients.map((client) => [client.id, client]));
      const emails = new Map(users.map((user) => [user.id, user.email]));
      for (const grant of result.grants) {
        const group = oauthTokens.filter((token) => `zendesk:${token.client_id}|${token.user_id}` === grant.key);
        const app = result.apps.find((candidate) => candidate.key === grant.appKey)!;
        const client = clients.get(group[0]!.client_id)!;
        expect(app).toMatchObject({ name: client.name, clientId: client.identifier, publisher: client.company });
        expect(grant.user).toBe(emails.get(group[0]!.user_id));
        expect(new Set(grant.scopes)).toEqual(new Set(group.flatMap((token) => token.scopes)));
        const used = group.map((token) => token.used_at).filter((at): at is string => at !== null);
        expect(grant.lastUsed).toBe(used.length > 0 ? new Date(used.sort().at(-1)!).toISOString() : null);
      }
      const evidence = JSON.stringify(result.grants.map((grant) => grant.evidence));
      expect(evidence).not.toMatch(/"token"|"refresh_token"/);
      for (const token of oauthTokens.slice(0, 50)) expect(evidence).not.toContain(`"${token.token}"`);
    });

    test('maps a 403 for a token without the write scope to permission_denied and deletes nothing', async () => {
      const result = await scan('zendesk');
      const target = targetIn(result, result.grants[0]!.key);
      const tokensBefore = sim.saasState.zendesk.oauthTokens.length;
      const outcome = await revoke('zendesk', tokens.zendesk.audit, target);
      expect(outcome).toMatchObject({ outcome: 'failed', verified: false, errorCode: 'permission_denied' });
      expect(sim.saasState.zendesk.oauthTokens).toHaveLength(tokensBefore);
      expect(await revoke('zendesk', 'not-a-token', target)).toMatchObject({ outcome: 'failed', errorCode: 'needs_reconnect' });
    });

    test('deletes the grant’s tokens, verifies it, and a rescan no longer has it; again is already gone', async () => {
      const before = await scan('zendesk');
      const target = targetIn(before, before.grants[1]!.key);
      const ids = (target.grant.evidence as { id: number }[]).map((record) => record.id);
      expect(audits.zendesk.describeRevocation(target)).toMatch(/DELETE \/api\/v2\/oauth\/tokens/);
      expect(await revoke('zendesk', tokens.zendesk.revoke, target)).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
      expect(sim.saasState.zendesk.deletedTokenIds).toEqual(expect.arrayContaining(ids));
      const after = await scan('zendesk');
      expect(grantKeys(after)).not.toContain(target.grant.key);
      expect(after.grants).toHaveLength(before.grants.length - 1);
      expect(await revoke('zendesk', tokens.zendesk.revoke, target)).toMatchObject({ outcome: 'already_gone', verified: true, errorCode: null });
    });
  });

  describe('Okta', () => {
    test('reads every user’s consent grants into one grant per user and app, with the scopes by name', async () => {
      const { users, grants, apps, scopes } = sim.saasState.okta;
      const listed = users.filter((user) => user.status !== 'DEPROVISIONED');
      const result = await scan('okta', 'audit');
      expect(result).toMatchObject({ total: listed.length, completed: listed.length, incomplete: [] });
      const listedIds = new Set(listed.map((user) => user.id));
      const held = grants.filter((grant) => listedIds.has(grant.userId));
      expect(new Set(grantKeys(result))).toEqual(new Set(held.map((grant) => `okta:${grant.clientId}|${grant.userId}@default`)));
      expect(new Set(result.apps.map((app) => app.name))).toEqual(new Set(apps.filter((app) => held.some((grant) => grant.clientId === app.id)).map((app) => app.label)));
      const scopeNames = new Map(scopes.map((scope) => [scope.id, scope.name]));
      const logins = new Map(users.map((user) => [user.id, user.profile.login]));
      for (const grant of result.grants.slice(0, 100)) {
        const group = held.filter((candidate) => `okta:${candidate.clientId}|${candidate.userId}@default` === grant.key);
        expect(new Set(grant.scopes)).toEqual(new Set(group.map((candidate) => scopeNames.get(candidate.scopeId))));
        expect(grant.user).toBe(logins.get(group[0]!.userId));
        expect(grant).toMatchObject({ consent: 'user', access: 'delegated', lastUsed: null });
      }
    });

    test('stops when cancelled, with no result instead of a short one', async () => {
      const controller = new AbortController();
      const context = { ...contextFor(sim, 'okta', tokens.okta.audit), signal: controller.signal, onProgress: (step: ScanProgress) => step.done >= 50 && controller.abort() };
      await expect(audits.okta.scan(context)).rejects.toMatchObject({ name: 'AbortError' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(context.scheduler.stats()).toMatchObject({ inFlight: 0, queued: 0 });
    });

    test('maps a 403 for a token without okta.users.manage to permission_denied and revokes nothing', async () => {
      const result = await scan('okta');
      const target = targetIn(result, result.grants[0]!.key);
      const grantsBefore = sim.saasState.okta.grants.length;
      expect(await revoke('okta', tokens.okta.audit, target)).toMatchObject({ outcome: 'failed', verified: false, errorCode: 'permission_denied' });
      expect(sim.saasState.okta.grants).toHaveLength(grantsBefore);
      expect(await revoke('okta', 'not-a-token', target)).toMatchObject({ outcome: 'failed', errorCode: 'needs_reconnect' });
    });

    test('revokes each scope grant of the app, verifies it, and a rescan no longer has it; again is already gone', async () => {
      const before = await scan('okta');
      const grant = before.grants.find((candidate) => candidate.scopes.length > 2)!;
      const target = targetIn(before, grant.key);
      const [, clientAndUser] = /^okta:(.+)@default$/.exec(grant.key)!;
      const [clientId, userId] = clientAndUser!.split('|');
      expect(audits.okta.describeRevocation(target)).toMatch(/DELETE \/api\/v1\/users\/\{id\}\/grants/);
      expect(await revoke('okta', tokens.okta.revoke, target)).toMatchObject({ outcome: 'revoked', verified: true, errorCode: null });
      expect(sim.saasState.okta.grants.filter((candidate) => candidate.clientId === clientId && candidate.userId === userId)).toEqual([]);
      const after = await scan('okta');
      expect(grantKeys(after)).not.toContain(grant.key);
      expect(after.grants).toHaveLength(before.grants.length - 1);
      expect(await revoke('okta', tokens.okta.revoke, target)).toMatchObject({ outcome: 'already_gone', verified: true, errorCode: null });
    });
  });
});

describe('auditing SaaS grants under injected failures', () => {
  let sim: TenantSimulator;
  beforeAll(async () => {
    sim = await startTenantSimulator({ seed: 4, users: 200, referenceTime, faults: { errorRate: 0.2 } });
  });
  afterAll(() => sim?.close());

  /** What a scan could not read of its units of work (pages or users), as opposed to names and emails. */
  const lostUnits: Record<SaasProvider, (what: string) => boolean> = {
    salesforce: (what) => what.startsWith('OauthToken rows'),
    zendesk: (what) => what.startsWith('OAuth tokens after'),
    okta: () => true,
  };
  const expectedKeys: Record<SaasProvider, (sim: TenantSimulator) => string[]> = {
    salesforce: ({ saasState }) => saasState.salesforce.oauthTokens.map((token) => `salesforce:${token.AppName}|${token.UserId}`),
    zendesk: ({ saasState }) => saasState.zendesk.oauthTokens.map((token) => `zendesk:${token.client_id}|${token.user_id}`),
    okta: ({ saasState }) => saasState.okta.grants.map((grant) => `okta:${grant.clientId}|${grant.userId}@default`),
  };

  test.each(['salesforce', 'zendesk', 'okta'] as const)('%s loses nothing: every unit is read after retries or listed as incomplete with the reason', async (provider) => {
    const token = await signIn(provider, sim.saas[provider], []);
    const context = contextFor(sim, provider, token);
    const result = await audits[provider].scan(context);
    const lost = result.incomplete.filter((item) => lostUnits[provider](item.what));
    expect(result.completed + lost.length).toBe(result.total);
    for (const item of result.incomplete) expect(item.reason).toMatch(/answered 503|could not be reached/);
    if (result.incomplete.length === 0) expect(new Set(grantKeys(result))).toEqual(new Set(expectedKeys[provider](sim)));
    expect(context.scheduler.stats().retries).toBeGreaterThan(0);
  });

  test.each(['salesforce', 'zendesk', 'okta'] as const)('%s with no retries still accounts for every unit, or fails the whole scan with a code', async (provider) => {
    const token = await signIn(provider, sim.saas[provider], []);
    const context = { ...contextFor(sim, provider, token), scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifiers[provider], maxAttempts: 1 }) };
    const result = await audits[provider].scan(context).catch((error: unknown) => error);
    if (!('total' in (result as object))) {
      // The first listing page failed: nothing to count, and the scan says why.
      expect(result).toMatchObject({ name: 'AppError', code: 'provider_error' });
      return;
    }
    const scan = result as ProviderScan;
    const lost = scan.incomplete.filter((item) => lostUnits[provider](item.what));
    expect(scan.completed + lost.length).toBe(scan.total);
    for (const item of scan.incomplete) expect(item.reason).toMatch(/answered 503/);
    if (provider === 'okta') expect(lost.length).toBeGreaterThan(0);
  });
});
