import { describe, expect, test, vi } from 'vitest';
import { ActivityLog } from '../../../../src-main/activity/activity-log';
import { ActivityService } from '../../../../src-main/activity/activity-service';
import { ConnectionStore } from '../../../../src-main/connections/connection-record';
import { ConnectionService } from '../../../../src-main/connections/connection-service';
import { TenantGateway } from '../../../../src-main/connections/tenant-gateway';
import { EventHub } from '../../../../src-main/events/event-hub';
import type { HttpFetch } from '../../../../src-main/net/http-fetch';
import { TenantSchedulers } from '../../../../src-main/net/tenant-schedulers';
import type { OAuthClient, TokenGrant } from '../../../../src-main/oauth/oauth-client';
import { openConfKeyValueStore } from '../../../../src-main/storage/conf-key-value-store';
import { SecretVault } from '../../../../src-main/vault/secret-vault';
import { createAesGcmCipher } from '../../../support/aes-gcm-cipher';
import { temporaryDirectory } from '../../../support/temporary-directory';
import { providerDefinitions } from '../../../support/provider-definitions';

const grant: TokenGrant = {
  secrets: { accessToken: 'at-1', refreshToken: 'rt-1' },
  accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
  scopesGranted: null,
  account: 'admin@contoso.test',
  tenant: 'contoso.test',
};

/** The OAuth client port answers at once: sign-ins are not what these tests are about. */
const signedIn: OAuthClient = { authorize: vi.fn(async () => grant), refresh: vi.fn(async () => grant), revoke: vi.fn(async () => 'not_supported' as const) };

/** A real connection service and gateway over one event hub, as the console wires them. */
async function connectedConsole() {
  const directory = await temporaryDirectory();
  const events = new EventHub();
  const connections = new ConnectionService({
    definitions: providerDefinitions,
    store: new ConnectionStore(openConfKeyValueStore(directory, 'connections'), providerDefinitions),
    vault: new SecretVault(openConfKeyValueStore(directory, 'vault'), createAesGcmCipher(Buffer.alloc(32, 7))),
    clients: { google: signedIn, microsoft: signedIn, generic: signedIn },
    openBrowser: async () => undefined,
    notify: () => undefined,
    activity: new ActivityService(await ActivityLog.open(`${directory}/activity`), events),
    events,
  });
  await connections.start();
  const schedulers = new TenantSchedulers({ microsoft: { classify: () => ({ kind: 'final' }), defaultQuotaPerMinute: 2_000 } });
  const fetch: HttpFetch = async () => new Response('{}');
  const gateway = new TenantGateway({ connections, definitions: providerDefinitions, schedulers, fetch, events });
  const { id } = await connections.connect(crypto.randomUUID(), { provider: 'microsoft', label: 'Contoso', clientId: 'client', settings: {} });
  return { connections, schedulers, gateway, fetch, id };
}

describe('tenant gateway', () => {
  test('gives a connection’s calls its one scheduler and the host’s outbound fetch', async () => {
    const { gateway, fetch, id } = await connectedConsole();
    const context = gateway.context(id);
    expect(context.fetch).toBe(fetch);
    expect(gateway.context(id).scheduler).toBe(context.scheduler);
  });

  test('a quota set on a connection reaches the scheduler its running calls already hold', async () => {
    const { connections, gateway, id } = await connectedConsole();
    const running = gateway.context(id).scheduler;
    await connections.setApiQuota(id, 600);
    expect(running.stats().quotaPerMinute).toBe(600);
    expect(gateway.context(id).scheduler).toBe(running);
    await connections.setApiQuota(id, null);
    expect(running.stats().quotaPerMinute).toBe(2_000);
  });

  test('removing a connection drops its scheduler', async () => {
    const { connections, schedulers, gateway, id } = await connectedConsole();
    gateway.context(id);
    await connections.disconnect(id);
    expect(schedulers.has(id)).toBe(true);
    await connections.remove(id);
    expect(schedulers.has(id)).toBe(false);
  });

  test('stops listening once closed', async () => {
    const { connections, schedulers, gateway, id } = await connectedConsole();
    gateway.context(id);
    gateway.close();
    await connections.setApiQuota(id, 600);
    await connections.disconnect(id);
    await connections.remove(id);
    expect(schedulers.has(id)).toBe(true);
  });
});
