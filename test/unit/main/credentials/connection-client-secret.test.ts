import { describe, expect, test, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { ConnectionStore } from '../../../../src-main/connections/connection-record';
import { ConnectionService } from '../../../../src-main/connections/connection-service';
import { EventHub } from '../../../../src-main/events/event-hub';
import type { OAuthClient, TokenGrant } from '../../../../src-main/oauth/oauth-client';
import { OAuthFailure } from '../../../../src-main/oauth/oauth-failure';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { SecretVault } from '../../../../src-main/vault/secret-vault';
import type { ConnectionDraft } from '../../../../src-shared/contract/connections';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { providerDefinitions } from '../../../support/provider-definitions';
import { temporaryDirectory } from '../../../support/temporary-directory';

const enteredAt = new Date('2026-09-01T09:00:00Z');
const grantWith = (accessToken: string): TokenGrant => ({ secrets: { accessToken, refreshToken: `rt-${accessToken}` }, accessTokenExpiresAt: new Date(Date.now() + 3_600_000), scopesGranted: null, account: 'admin@acme.test', tenant: 'acme.test' });
const hubspot: ConnectionDraft = { provider: 'hubspot', label: 'Acme HubSpot', clientId: 'client', clientSecret: 'old-secret-value', settings: {} };

async function connected() {
  const directory = await temporaryDirectory();
  let now = enteredAt;
  const events = new EventHub();
  const activityLog = await ActivityLog.open(`${directory}/activity`);
  const vault = new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher(Buffer.alloc(32, 7)));
  // The provider accepts a refresh only with the client secret it knows.
  const provider = { secret: 'old-secret-value' };
  const client: OAuthClient = {
    authorize: vi.fn(async () => grantWith('at-1')),
    refresh: vi.fn(async (_connection, secrets) => {
      if (secrets.clientSecret !== provider.secret) throw new OAuthFailure('invalid_client', 'The client secret was refused.');
      return grantWith('at-2');
    }),
    revoke: vi.fn(async () => 'revoked' as const),
  };
  const store = new ConnectionStore(openConfKeyValueStore(directory, 'connections'), providerDefinitions);
  const service = new ConnectionService({ definitions: providerDefinitions, store, vault, clients: { google: client, microsoft: client, generic: client }, openBrowser: async () => undefined, notify: () => undefined, activity: new ActivityService(activityLog, events), events, clock: () => now });
  await service.start();
  const { id } = await service.connect(crypto.randomUUID(), hubspot);
  now = new Date('2026-12-04T12:00:00Z');
  return { service, vault, store, client, provider, activityLog, id };
}

describe('the client secret Consentry keeps for a connection', () => {
  test('is dated when entered; a record from before Consentry dated it says it does not know', async () => {
    const { service, store, id } = await connected();
    expect(service.clientSecretEnteredAt(id)).toBe(enteredAt.toISOString());
    const { clientSecretSetAt: _dropped, ...older } = store.get(id)!;
    store.save(older);
    expect(service.clientSecretEnteredAt(id)).toBeUndefined();
    service.close();
  });

  test('a new secret proven by a token refresh replaces the old one, which is forgotten; the secret is never logged', async () => {
    const { service, vault, client, provider, activityLog, id } = await connected();
    provider.secret = 'new-secret-value';
    await service.replaceClientSecret(id, 'new-secret-value');
    expect(vi.mocked(client.refresh).mock.calls.at(-1)![1]).toMatchObject({ clientSecret: 'new-secret-value' });
    expect(await vault.get(id)).toMatchObject({ clientSecret: 'new-secret-value', accessToken: 'at-2' });
    expect(service.clientSecretEnteredAt(id)).toBe('2026-12-04T12:00:00.000Z');
    const entries = (await activityLog.query({ action: 'connection.client_secret.replace' })) as { result: string }[];
    expect(entries).toMatchObject([{ result: 'succeeded' }]);
    expect(JSON.stringify(await activityLog.query({}))).not.toMatch(/secret-value/);
    service.close();
  });

  test('a secret the provider refuses changes nothing: the old one is kept and the admin is told what to check', async () => {
    const { service, vault, activityLog, id } = await connected();
    await expect(service.replaceClientSecret(id, 'mistyped-secret-value')).rejects.toMatchObject({ code: 'invalid_client', nextStep: expect.stringContaining('The old secret is kept') });
    expect(await vault.get(id)).toMatchObject({ clientSecret: 'old-secret-value', accessToken: 'at-1' });
    expect(service.clientSecretEnteredAt(id)).toBe(enteredAt.toISOString());
    expect(await activityLog.query({ action: 'connection.client_secret.replace' })).toMatchObject([{ result: 'failed', errorCode: 'invalid_client' }]);
    expect(JSON.stringify(await activityLog.query({}))).not.toMatch(/secret-value/);
    service.close();
  });
});
