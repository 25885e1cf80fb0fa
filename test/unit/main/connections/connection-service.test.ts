import { describe, expect, test, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { ConnectionStore } from '../../../../src-main/connections/connection-record';
import { ConnectionService } from '../../../../src-main/connections/connection-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import { requestedScopes } from '../../../../src-main/oauth/connection-resolution';
import type { OAuthClient, ResolvedConnection, TokenGrant } from '../../../../src-main/oauth/oauth-client';
import { OAuthFailure } from '../../../../src-main/oauth/oauth-failure';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import type { CipherProtection } from '../../../../src-main/vault/secret-cipher';
import { SecretVault } from '../../../../src-main/vault/secret-vault';
import type { ConnectionDraft } from '../../../../src-shared/contract/connections';
import { capabilityIds, type CapabilityId } from '../../../../src-shared/domain/ids';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { providerDefinitions } from '../../../support/provider-definitions';

const grant: TokenGrant = {
  secrets: { accessToken: 'at-1', refreshToken: 'rt-1' },
  accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
  scopesGranted: null,
  account: 'admin@acme.test',
  tenant: 'acme.test',
};

/** A stand-in for the OAuth client port: the protocol itself is covered by the integration tests. */
function scriptedClient(overrides: Partial<OAuthClient> = {}): OAuthClient {
  return {
    authorize: vi.fn(async () => grant),
    refresh: vi.fn(async () => grant),
    revoke: vi.fn(async () => 'revoked' as const),
    ...overrides,
  };
}

async function serviceWith(client: OAuthClient, options: { directory?: string; protection?: CipherProtection; key?: Buffer; capabilitiesInThisBuild?: readonly CapabilityId[] } = {}) {
  const directory = options.directory ?? (await temporaryDirectory());
  const key = options.key ?? Buffer.alloc(32, 7);
  const events = new EventHub();
  const activityLog = await ActivityLog.open(`${directory}/activity`);
  const vault = new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher(key, options.protection));
  const service = new ConnectionService({
    definitions: providerDefinitions,
    store: new ConnectionStore(openConfKeyValueStore(directory, 'connections'), providerDefinitions),
    vault,
    clients: { google: client, microsoft: client, generic: client },
    openBrowser: async () => undefined,
    notify: () => undefined,
    activity: new ActivityService(activityLog, events),
    events,
    ...(options.capabilitiesInThisBuild ? { capabilitiesInThisBuild: options.capabilitiesInThisBuild } : {}),
  });
  await service.start();
  return { service, vault, directory, activityLog };
}

const hubspot: ConnectionDraft = { provider: 'hubspot', label: 'Acme HubSpot', clientId: 'client', clientSecret: 'hubspot-secret', settings: {} };

describe('connection service', () => {
  test('asks for the client secret a provider requires, before any sign-in', async () => {
    const client = scriptedClient();
    const { service } = await serviceWith(client);
    await expect(service.connect(crypto.randomUUID(), { ...hubspot, clientSecret: undefined })).rejects.toMatchObject({ code: 'invalid_request', fields: [{ field: 'clientSecret' }] });
    expect(client.authorize).not.toHaveBeenCalled();
  });

  test('refuses a second sign-in while one waits in the browser', async () => {
    let release!: () => void;
    const client = scriptedClient({ authorize: vi.fn(() => new Promise<TokenGrant>((resolve) => (release = () => resolve(grant)))) });
    const { service } = await serviceWith(client);
    const first = service.connect(crypto.randomUUID(), hubspot);
    await expect(service.connect(crypto.randomUUID(), hubspot)).rejects.toMatchObject({ code: 'attempt_in_progress' });
    await vi.waitFor(() => expect(client.authorize).toHaveBeenCalledOnce());
    release();
    await first;
  });

  test('disconnect deletes the tokens but keeps the client secret, so a reconnect works', async () => {
    const client = scriptedClient();
    const { service, vault } = await serviceWith(client);
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    await service.disconnect(id);
    expect(await vault.get(id)).toEqual({ clientSecret: 'hubspot-secret' });
    const view = await service.reconnect(id, crypto.randomUUID());
    expect(view.status).toBe('active');
    expect(vi.mocked(client.authorize).mock.calls[1]![1]).toEqual({ clientSecret: 'hubspot-secret' });
  });

  test('Remove from list needs a disconnect first, then forgets everything', async () => {
    const { service, vault } = await serviceWith(scriptedClient());
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    await expect(service.remove(id)).rejects.toMatchObject({ code: 'invalid_request' });
    await service.disconnect(id);
    await service.remove(id);
    expect(await vault.get(id)).toBeUndefined();
    expect((await service.list()).connections).toEqual([]);
  });

  test('a provider without a revocation call gets a disconnect that names where to revoke by hand', async () => {
    const { service } = await serviceWith(scriptedClient({ revoke: vi.fn(async () => 'not_supported' as const) }));
    const { id } = await service.connect(crypto.randomUUID(), { provider: 'microsoft', label: 'Contoso', clientId: 'c', settings: {} });
    const outcome = await service.disconnect(id);
    expect(outcome).toMatchObject({ revocation: 'not_supported', manualRevocation: { where: expect.stringContaining('Enterprise applications') } });
  });

  test('refuses to sign in when tokens could not be stored encrypted, before the browser opens', async () => {
    const client = scriptedClient();
    const { service } = await serviceWith(client, { protection: { available: false, reason: 'no keyring.', nextStep: 'Start a keyring.' } });
    await expect(service.connect(crypto.randomUUID(), hubspot)).rejects.toMatchObject({ code: 'vault_unavailable' });
    expect(client.authorize).not.toHaveBeenCalled();
    await service.useSessionOnly(true);
    expect((await service.connect(crypto.randomUUID(), hubspot)).storage).toBe('session-only');
  });

  test('session-only connections need a reconnect after a restart', async () => {
    const protection = { available: false as const, reason: 'no keyring.', nextStep: 'Start a keyring.' };
    const first = await serviceWith(scriptedClient(), { protection });
    await first.service.useSessionOnly(true);
    const { id } = await first.service.connect(crypto.randomUUID(), hubspot);
    first.service.close();
    await first.activityLog.close();
    const second = await serviceWith(scriptedClient(), { directory: first.directory, protection });
    expect((await second.service.list()).connections).toMatchObject([{ id, status: 'needs_reconnect', lastError: { message: expect.stringContaining('last session') } }]);
  });

  test('records every action in the activity log without secrets', async () => {
    const { service, activityLog } = await serviceWith(scriptedClient());
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    await service.disconnect(id);
    const entries = await activityLog.query({});
    expect(entries.map((entry) => entry.action).sort()).toEqual(['connection.connect', 'connection.disconnect']);
    expect(JSON.stringify(entries)).not.toMatch(/hubspot-secret|rt-1|at-1/);
  });

  test('hands provider calls a valid access token, renewing one about to expire first', async () => {
    const soon: TokenGrant = { ...grant, secrets: { accessToken: 'at-old', refreshToken: 'rt-1' }, accessTokenExpiresAt: new Date(Date.now() + 20_000) };
    const renewed: TokenGrant = { ...grant, secrets: { accessToken: 'at-new', refreshToken: 'rt-2' } };
    const client = scriptedClient({ authorize: vi.fn(async () => soon), refresh: vi.fn(async () => renewed) });
    const { service } = await serviceWith(client);
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    expect(await service.accessToken(id)).toBe('at-new');
    expect(client.refresh).toHaveBeenCalledOnce();
    expect(await service.accessToken(id)).toBe('at-new');
    expect(client.refresh).toHaveBeenCalledOnce();
  });

  test('refuses provider calls for a disconnected connection with a reconnect step', async () => {
    const { service } = await serviceWith(scriptedClient());
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    await service.disconnect(id);
    await expect(service.accessToken(id)).rejects.toMatchObject({ code: 'needs_reconnect', nextStep: expect.stringMatching(/Reconnect/) });
  });

  test('keeps an API quota per connection and goes back to the default when it is cleared', async () => {
    const { service, activityLog } = await serviceWith(scriptedClient());
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    expect((await service.setApiQuota(id, 1_200)).settings.apiQuotaPerMinute).toBe(1_200);
    expect(service.view(id).settings.apiQuotaPerMinute).toBe(1_200);
    expect((await service.setApiQuota(id, null)).settings).not.toHaveProperty('apiQuotaPerMinute');
    expect((await activityLog.query({ action: 'connection.setApiQuota' })).map((entry) => entry.detail).sort()).toEqual(['API calls per minute: 1200.', 'API calls per minute: the provider’s default.']);
  });

  test('decrypts the access token once for many provider calls, and again after a renewal', async () => {
    const renewed: TokenGrant = { ...grant, secrets: { accessToken: 'at-2', refreshToken: 'rt-2' } };
    const { service, vault } = await serviceWith(scriptedClient({ refresh: vi.fn(async () => renewed) }));
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    const reads = vi.spyOn(vault, 'get');
    for (let call = 0; call < 5; call += 1) expect(await service.accessToken(id)).toBe('at-1');
    expect(reads).toHaveBeenCalledOnce();
    await service.refresh(id);
    expect(await service.accessToken(id)).toBe('at-2');
  });
});

/** A provider that grants what is asked, except the scopes named. */
function granting(...withheld: string[]): OAuthClient {
  return scriptedClient({ authorize: vi.fn(async (connection: ResolvedConnection) => ({ ...grant, scopesGranted: connection.scopes.filter((scope) => !withheld.includes(scope)) })) });
}

const google: ConnectionDraft = { provider: 'google', label: 'Acme Google', clientId: 'c', clientSecret: 'google-secret', settings: {} };
const microsoft: ConnectionDraft = { provider: 'microsoft', label: 'Contoso', clientId: 'c', settings: {} };
const scopesAskedAt = (client: OAuthClient, call: number) => vi.mocked(client.authorize).mock.calls[call]![0].scopes;
const capabilityOf = (view: { capabilities: { id: string }[] }, id: string) => view.capabilities.find((capability) => capability.id === id);

describe('capabilities: least privilege, asked for when first used', () => {
  test('a new connection asks for the read scopes only and holds no capability', async () => {
    const client = granting();
    const { service } = await serviceWith(client);
    const view = await service.connect(crypto.randomUUID(), microsoft);
    expect(scopesAskedAt(client, 0)).toEqual(requestedScopes(providerDefinitions.get('microsoft'), {}, []).map((scope) => scope.scope));
    expect(view.capabilities.map((capability) => [capability.id, capability.allowed, capability.held])).toEqual([
      ['revoke_grants', false, false],
      ['consent', false, false],
      ['credentials', false, false],
      ['offboarding', false, false],
    ]);
  });

  test('allowing revoking on Google asks for nothing and opens no browser: the audit scope already allows it', async () => {
    const client = granting();
    const { service, activityLog } = await serviceWith(client);
    const { id } = await service.connect(crypto.randomUUID(), google);
    const view = await service.enableCapability(id, crypto.randomUUID(), 'revoke_grants');
    expect(client.authorize).toHaveBeenCalledOnce();
    expect(capabilityOf(view, 'revoke_grants')).toEqual({ id: 'revoke_grants', allowed: true, held: true, extraScopes: [] });
    expect(view.scopesRequested).not.toContain('https://www.googleapis.com/auth/cloud-platform');
    expect(await activityLog.query({ action: 'connection.capability.revoke_grants' })).toMatchObject([{ result: 'succeeded', detail: expect.stringContaining('nothing was asked') }]);
  });

  test('allowing a capability signs in asking exactly for the base, the capabilities held and the new one', async () => {
    // Application.ReadWrite.All withheld: credentials was allowed but is not held, so it is not asked again.
    const client = granting('Application.ReadWrite.All');
    const { service, activityLog } = await serviceWith(client, { capabilitiesInThisBuild: capabilityIds });
    const { id } = await service.connect(crypto.randomUUID(), { ...microsoft, capabilities: ['revoke_grants', 'credentials'] });
    const view = await service.enableCapability(id, crypto.randomUUID(), 'offboarding');
    expect(scopesAskedAt(client, 1)).toEqual(requestedScopes(providerDefinitions.get('microsoft'), {}, ['revoke_grants', 'offboarding']).map((scope) => scope.scope));
    expect(scopesAskedAt(client, 1)).not.toContain('Application.ReadWrite.All');
    expect(view.capabilities.filter((capability) => capability.held).map((capability) => capability.id)).toEqual(['revoke_grants', 'offboarding']);
    expect(await activityLog.query({ action: 'connection.capability.offboarding' })).toMatchObject([{ result: 'succeeded' }]);
  });

  test('a capability whose scopes the provider did not grant is allowed but not held', async () => {
    const { service } = await serviceWith(granting('User.RevokeSessions.All'));
    const { id } = await service.connect(crypto.randomUUID(), microsoft);
    const view = await service.enableCapability(id, crypto.randomUUID(), 'revoke_grants');
    expect(capabilityOf(view, 'revoke_grants')).toMatchObject({ allowed: true, held: false });
  });

  test('a refused consent leaves the connection as it was, and the refusal is logged', async () => {
    const client = granting();
    const { service, activityLog } = await serviceWith(client);
    const { id } = await service.connect(crypto.randomUUID(), microsoft);
    vi.mocked(client.authorize).mockRejectedValueOnce(new OAuthFailure('consent_denied', 'Consent was refused.'));
    await expect(service.enableCapability(id, crypto.randomUUID(), 'revoke_grants')).rejects.toMatchObject({ code: 'consent_denied' });
    expect(capabilityOf(service.view(id), 'revoke_grants')).toMatchObject({ allowed: false, held: false });
    expect(await activityLog.query({ action: 'connection.capability.revoke_grants' })).toMatchObject([{ result: 'failed', errorCode: 'consent_denied' }]);
  });

  test('refuses a capability the provider does not offer, before any sign-in', async () => {
    const client = granting();
    const { service } = await serviceWith(client);
    const { id } = await service.connect(crypto.randomUUID(), hubspot);
    await expect(service.enableCapability(id, crypto.randomUUID(), 'revoke_grants')).rejects.toMatchObject({ code: 'not_supported' });
    expect(client.authorize).toHaveBeenCalledOnce();
  });

  test('stopping a capability needs no sign-in; it is never held again, though still granted, and a reconnect stops asking for it', async () => {
    const client = granting();
    const { service, activityLog } = await serviceWith(client, { capabilitiesInThisBuild: capabilityIds });
    const { id } = await service.connect(crypto.randomUUID(), { ...microsoft, capabilities: ['revoke_grants', 'consent'] });
    const view = await service.disableCapability(id, 'revoke_grants');
    expect(client.authorize).toHaveBeenCalledOnce();
    expect(capabilityOf(view, 'revoke_grants')).toMatchObject({ allowed: false, held: false });
    expect(view.scopesGranted).toContain('User.RevokeSessions.All');
    // Shared with consent, still allowed: only the scope revoking alone needed stays granted unused.
    expect(await activityLog.query({ action: 'connection.capability.revoke_grants.stopped' })).toMatchObject([{ detail: expect.stringMatching(/Still granted.*User\.RevokeSessions\.All\.$/) }]);
    await service.reconnect(id, crypto.randomUUID());
    expect(scopesAskedAt(client, 1)).not.toContain('User.RevokeSessions.All');
    expect(scopesAskedAt(client, 1)).toContain('DelegatedPermissionGrant.ReadWrite.All');
  });
});

describe('capabilities this build has no page for', () => {
  // Every capability has its page now: a build that leaves offboarding out stands for a later one.
  const withoutOffboarding = { capabilitiesInThisBuild: capabilityIds.filter((id) => id !== 'offboarding') };
  const notInThisBuild = { code: 'not_supported', message: '"offboarding" is not in this version of Consentry: it arrives with a later version.' };

  test('connecting with one is refused before any sign-in, naming when it arrives', async () => {
    const client = granting();
    const { service } = await serviceWith(client, withoutOffboarding);
    await expect(service.connect(crypto.randomUUID(), { ...microsoft, capabilities: ['revoke_grants', 'offboarding'] })).rejects.toMatchObject(notInThisBuild);
    expect(client.authorize).not.toHaveBeenCalled();
    expect((await service.list()).connections).toEqual([]);
  });

  test('previewing the scopes of one is refused', async () => {
    const { service } = await serviceWith(granting(), withoutOffboarding);
    expect(() => service.preview({ provider: 'microsoft', settings: {}, capabilities: ['offboarding'] })).toThrow(expect.objectContaining(notInThisBuild));
    expect(service.preview({ provider: 'microsoft', settings: {}, capabilities: ['revoke_grants'] }).scopes.length).toBeGreaterThan(0);
  });

  test('allowing one is refused before any sign-in; one allowed by an earlier version can still be stopped', async () => {
    const client = granting();
    const earlier = await serviceWith(client, { capabilitiesInThisBuild: capabilityIds });
    const { id } = await earlier.service.connect(crypto.randomUUID(), { ...microsoft, capabilities: ['consent'] });
    earlier.service.close();
    const { service } = await serviceWith(client, { directory: earlier.directory, ...withoutOffboarding });
    await expect(service.enableCapability(id, crypto.randomUUID(), 'offboarding')).rejects.toMatchObject(notInThisBuild);
    expect(client.authorize).toHaveBeenCalledOnce();
    expect(capabilityOf(service.view(id), 'offboarding')).toMatchObject({ allowed: false });
    expect(capabilityOf(await service.disableCapability(id, 'consent'), 'consent')).toMatchObject({ allowed: false, held: false });
  });
});
