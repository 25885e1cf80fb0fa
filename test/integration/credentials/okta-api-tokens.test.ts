/**
 * Okta's credentials adapter, as the registry hands it out, against the simulated Okta org: signed
 * in through Consentry's generic client with exactly the capabilities each test names.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReadCredential } from '../../../src-main/credentials/credentials-port';
import { AppError } from '../../../src-main/errors/app-error';
import type { ProviderCallContext } from '../../../src-main/net/provider-call-context';
import { RequestScheduler } from '../../../src-main/net/request-scheduler';
import { createExternalUrlPolicy } from '../../../src-main/security/external-url-policy';
import { classifyOktaFailure } from '../../../src-main/providers/okta/okta-failure';
import { oktaModule } from '../../../src-main/providers/okta/okta-module';
import type { OktaApiToken } from '../../../src-main/sample/sample-saas';
import { startTenantSimulator, type TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { oktaAccessToken, sampleOktaOrgUrl } from '../sample/okta-sign-in';

const referenceTime = new Date('2026-11-21T09:00:00Z');
const credentials = oktaModule.credentials!;
let simulator: TenantSimulator;
const tokens = {} as Record<'audit' | 'credentials', string>;

beforeAll(async () => {
  simulator = await startTenantSimulator({ seed: 31, users: 30, referenceTime });
  tokens.audit = await oktaAccessToken(simulator, []);
  tokens.credentials = await oktaAccessToken(simulator, ['credentials']);
});
afterAll(() => simulator?.close());

function context(token: string): ProviderCallContext {
  return { apiBaseUrl: simulator.saas.okta.apiBaseUrl, settings: { orgUrl: sampleOktaOrgUrl }, accessToken: async () => token, scheduler: new RequestScheduler({ quotaPerMinute: 10_000, classify: classifyOktaFailure }) };
}

const read = async (token = tokens.credentials) => credentials.read(context(token), { cloudProjects: [] });
const state = () => simulator.saasState.okta;
const oktaCalls = (name = 'okta.') => simulator.calls.filter((call) => call.name.startsWith(name)).length;

/** A token as an admin would create it in the Admin Console (the API cannot). */
function createdInConsole(name: string, userId: string, index: number): OktaApiToken {
  const at = new Date(referenceTime.getTime() - index * 60_000).toISOString();
  return { id: `00Tconsole${String(index).padStart(10, '0')}`, name, userId, clientName: 'Okta API', created: at, lastUpdated: at, expiresAt: new Date(referenceTime.getTime() + 30 * 86_400_000).toISOString(), tokenWindow: 'P30D', network: { connection: 'ANYWHERE' } };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('reading Okta API tokens', () => {
  test('lists each seeded token with its owner, dates, network restriction and a guided rotation, never a value', async () => {
    const reading = await read();
    expect(reading.problems).toEqual([]);
    const seeded = state().apiTokens;
    expect(reading.credentials.map((credential) => credential.credentialId).sort()).toEqual(seeded.map((token) => token.id).sort());
    const owner = state().users.find((user) => user.id === seeded[0]!.userId)!;
    for (const token of seeded) {
      const credential = reading.credentials.find((candidate) => candidate.credentialId === token.id)!;
      expect(credential).toMatchObject({
        kind: 'okta_api_token',
        ownerKind: 'account',
        ownerId: owner.id,
        ownerName: `${owner.profile.firstName} ${owner.profile.lastName} (${owner.profile.login})`,
        displayName: token.name,
        hint: null,
        createdAt: token.created,
        expiresAt: token.expiresAt,
        lastUsedAt: null,
        disabled: false,
        managedBy: 'admin',
        rotation: { mode: 'guided', note: expect.stringContaining('Security › API › Tokens') },
        revocable: true,
      });
      expect(credential.lastUsedNote).toContain('does not report');
    }
    const restricted = seeded.find((token) => token.network.connection === 'ZONE')!;
    const zones = restricted.network.connection === 'ZONE' ? restricted.network.include! : [];
    expect(reading.credentials.find((credential) => credential.credentialId === restricted.id)!.restrictions).toEqual([`Only from network zones: ${zones.join(', ')}`]);
    expect(reading.credentials.filter((credential) => credential.restrictions?.length === 0)).toHaveLength(2);
  });

  test('puts the last use a token window before its expiry, as Okta renews the window at each use', async () => {
    const token = state().apiTokens[0]!;
    const credential = (await read()).credentials.find((candidate) => candidate.credentialId === token.id)!;
    const lastUse = new Date(Date.parse(token.expiresAt) - 30 * 86_400_000).toISOString().slice(0, 10);
    expect(credential.lastUsedNote).toContain(`around ${lastUse}`);
  });

  test('follows the Link headers past Okta’s 200-token page, every call through the tenant’s scheduler', async () => {
    const owner = state().apiTokens[0]!.userId;
    const added = Array.from({ length: 230 }, (_, index) => createdInConsole(`Bulk token ${index}`, owner, index + 1));
    state().apiTokens.push(...added);
    try {
      const callContext = context(tokens.credentials);
      const before = { all: oktaCalls(), pages: oktaCalls('okta.apiTokens.list') };
      const reading = await credentials.read(callContext, { cloudProjects: [] });
      expect(reading.credentials).toHaveLength(state().apiTokens.length);
      // Two pages and one owner look-up, each one scheduled.
      expect(oktaCalls('okta.apiTokens.list') - before.pages).toBe(2);
      expect(oktaCalls() - before.all).toBe(3);
      expect(callContext.scheduler.stats().calls).toBe(3);
    } finally {
      state().apiTokens = state().apiTokens.filter((token) => !added.includes(token));
    }
  });

  test('without the credentials capability, reports the tokens as not read for want of okta.apiTokens.read', async () => {
    const reading = await read(tokens.audit);
    expect(reading.credentials).toEqual([]);
    expect(reading.problems).toEqual([{ what: 'API tokens', code: 'permission_denied', message: expect.stringContaining('okta.apiTokens.read'), missingScopes: ['okta.apiTokens.read'] }]);
  });
});

describe('revoking an Okta API token', () => {
  let target: ReadCredential;
  beforeAll(async () => {
    target = (await read()).credentials.find((credential) => credential.displayName === 'HR provisioning script')!;
  });

  test('without okta.apiTokens.manage is refused as permission_denied naming that scope, and the token stays', async () => {
    const refused = await refusal(credentials.remove(context(tokens.audit), target));
    expect(refused.code).toBe('permission_denied');
    expect(refused.message).toContain('okta.apiTokens.manage');
    expect(refused.nextStep).toContain('credentials capability');
    expect(state().apiTokens.map((token) => token.id)).toContain(target.credentialId);
  });

  test('revokes it; reading it again finds nothing, and a second revoke is already gone', async () => {
    expect(await credentials.readOne(context(tokens.credentials), target)).toMatchObject({ credentialId: target.credentialId, ownerName: target.ownerName });
    expect(await credentials.remove(context(tokens.credentials), target)).toBe('removed');
    expect(state().apiTokens.map((token) => token.id)).not.toContain(target.credentialId);
    expect(await credentials.readOne(context(tokens.credentials), target)).toBeNull();
    expect(await credentials.remove(context(tokens.credentials), target)).toBe('already_gone');
  });
});

describe('rotating an Okta API token', () => {
  test('is guided: the admin creates the new token in the Admin Console, as Okta offers no create call; Consentry revokes the old one', () => {
    const rotator = credentials.rotator('okta_api_token', { orgUrl: sampleOktaOrgUrl })!;
    expect(rotator).toMatchObject({ creates: 'manual', removes: 'api', disablesOldFirst: false, needsCertificate: false, manualSteps: { where: 'Okta Admin Console › Security › API › Tokens' } });
    expect(rotator.manualSteps!.steps).toContain('Name it “{new}”.');
    expect(rotator.create).toBeUndefined();
    expect(credentials.rotator('app_secret', { orgUrl: sampleOktaOrgUrl })).toBeNull();
  });

  test('the guide opens the org’s API tokens page, which the external opener accepts; none without an org URL', () => {
    const url = (orgUrl: string | undefined) => credentials.rotator('okta_api_token', orgUrl === undefined ? {} : { orgUrl })!.manualSteps!.url;
    expect(url(sampleOktaOrgUrl)).toBe('https://sample-company.okta.com/admin/access/api/tokens');
    expect(url('https://sample-company.okta.com/')).toBe('https://sample-company.okta.com/admin/access/api/tokens');
    expect(url('sample-company.oktapreview.com')).toBe('https://sample-company.oktapreview.com/admin/access/api/tokens');
    expect(createExternalUrlPolicy()(url(sampleOktaOrgUrl))).toEqual({ allowed: true, url: 'https://sample-company.okta.com/admin/access/api/tokens' });
    expect(url(undefined)).toBeNull();
    expect(credentials.rotator('okta_api_token', {})!.manualSteps!.url).toBeNull();
  });

  test('finds the token the admin created under the planned name, for the old token’s owner only', async () => {
    const old = (await read()).credentials[0]!;
    const rotator = credentials.rotator('okta_api_token', { orgUrl: sampleOktaOrgUrl })!;
    const planned = `${old.displayName} (rotated 2026-11-21 by Consentry r:0a1b2c3d)`;
    const existingIds = await credentials.ownerCredentialIds(context(tokens.credentials), old);
    expect(existingIds).toContain(old.credentialId);
    const intent = { displayName: planned, sentAt: new Date().toISOString(), existingIds };
    expect(await rotator.findCreated!(context(tokens.credentials), old, intent)).toBeNull();

    const someoneElse = state().users.find((user) => user.id !== old.ownerId)!;
    state().apiTokens.push(createdInConsole(planned, someoneElse.id, 900));
    expect(await rotator.findCreated!(context(tokens.credentials), old, intent)).toBeNull();
    expect(await credentials.ownerCredentialIds(context(tokens.credentials), old)).toEqual(existingIds);

    const created = createdInConsole(planned, old.ownerId, 901);
    state().apiTokens.push(created);
    expect(await rotator.findCreated!(context(tokens.credentials), old, intent)).toMatchObject({ credentialId: created.id, displayName: planned, ownerId: old.ownerId, lastUseKnown: false });
    expect(await rotator.findCreated!(context(tokens.credentials), old, { ...intent, existingIds: [...existingIds, created.id] })).toBeNull();
  });
});
