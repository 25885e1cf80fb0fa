import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { portIsClosed } from '../../support/loopback-port';
import type { ConnectionDraft } from '../../../src-shared/contract/connections';
import { startOidcTestServer, testClientId, type OidcTestServer } from '../../support/oidc-test-server';
import { temporaryDirectory } from '../../support/temporary-directory';
import { startConnectionHarness, type ConnectionHarness } from './connection-harness';

let server: OidcTestServer;
let harness: ConnectionHarness;
let profile: string;

function draft(issuer: string, overrides: Partial<ConnectionDraft> = {}): ConnectionDraft {
  return { provider: 'custom', label: 'Local IdP', clientId: testClientId, settings: { issuer, auditScopes: ['profile'] }, ...overrides };
}

const attempt = () => crypto.randomUUID();


beforeEach(async () => {
  server = await startOidcTestServer();
  profile = await temporaryDirectory();
  harness = await startConnectionHarness({ profile });
});

afterEach(async () => {
  await harness.close();
  await server.close();
});

describe('connecting a custom OIDC provider through the system browser', () => {
  test('connects with discovery, PKCE S256 and the loopback redirect, and stores tokens encrypted', async () => {
    const view = await harness.service.connect(attempt(), draft(server.issuer));
    // Offboarding is offered (manual steps, no scope) and off until the admin allows it.
    expect(view).toMatchObject({ status: 'active', account: 'alice@example.test', provider: 'custom', capabilities: [{ id: 'offboarding', allowed: false, held: false, extraScopes: [] }], storage: 'encrypted' });
    expect(view.scopesGranted).toEqual(expect.arrayContaining(['openid', 'email', 'offline_access', 'profile']));

    const authorization = new URL(harness.opened[0]!);
    expect(authorization.origin).toBe(server.issuer);
    expect(authorization.searchParams.get('response_type')).toBe('code');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(authorization.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get('state')).toMatch(/^[\w-]{43}$/);

    const secrets = await harness.vault.get(view.id);
    expect(server.issuedTokens.has(secrets!.refreshToken!)).toBe(true);
    const onDisk = await readFile(join(profile, 'vault.json'), 'utf8');
    for (const token of server.issuedTokens) expect(onDisk).not.toContain(token);

    const page = await harness.browserResults[0]!;
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.body).toContain('history.replaceState');
    expect(page.body).not.toMatch(/<(link|img|script)[^>]+(src|href)=/);
    expect(await harness.activityLog.query({ action: 'connection.connect' })).toMatchObject([{ result: 'succeeded' }]);
  });

  test('refreshes twice in a row with rotation and keeps only the newest refresh token', async () => {
    const { id } = await harness.service.connect(attempt(), draft(server.issuer));
    const first = (await harness.vault.get(id))!.refreshToken!;
    await harness.service.refresh(id);
    const second = (await harness.vault.get(id))!.refreshToken!;
    const view = await harness.service.refresh(id);
    const third = (await harness.vault.get(id))!.refreshToken!;
    expect(new Set([first, second, third]).size).toBe(3);
    expect(view.status).toBe('active');
    expect(view.lastRefreshAt).not.toBeNull();
    expect(await server.isActive(third)).toBe(true);
    expect(await server.isActive(first)).toBe(false);
  });

  test('disconnect revokes the grant at the provider and deletes the local tokens', async () => {
    const { id } = await harness.service.connect(attempt(), draft(server.issuer));
    const { refreshToken, accessToken } = (await harness.vault.get(id))!;
    const outcome = await harness.service.disconnect(id);
    expect(outcome.revocation).toBe('revoked');
    expect(outcome.connection.status).toBe('revoked');
    expect(await server.isActive(refreshToken!)).toBe(false);
    expect(await server.isActive(accessToken!)).toBe(false);
    expect(await harness.vault.get(id)).toBeUndefined();
  });

  test('deletes local tokens and names where to revoke by hand when the provider is unreachable', async () => {
    const { id } = await harness.service.connect(attempt(), draft(server.issuer));
    server.setUnavailable(true);
    const outcome = await harness.service.disconnect(id);
    expect(outcome.revocation).toBe('failed');
    expect(outcome.manualRevocation?.where).toMatch(/admin console/i);
    expect(await harness.vault.get(id)).toBeUndefined();
    expect(await harness.activityLog.query({ action: 'connection.disconnect' })).toMatchObject([{ result: 'failed' }]);
  });

  test('tokens survive a restart of the console', async () => {
    const { id } = await harness.service.connect(attempt(), draft(server.issuer));
    await harness.close();
    harness = await startConnectionHarness({ profile, vaultKey: harness.vaultKey });
    const { connections } = await harness.service.list();
    expect(connections).toMatchObject([{ id, status: 'active', account: 'alice@example.test' }]);
    expect((await harness.service.refresh(id)).status).toBe('active');
  });

  test('a refresh token revoked at the provider turns the connection to needs-reconnect and alerts the admin', async () => {
    const { id } = await harness.service.connect(attempt(), draft(server.issuer));
    const { refreshToken } = (await harness.vault.get(id))!;
    await fetch(`${server.issuer}/token/revocation`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: refreshToken!, client_id: testClientId }) });
    const view = await harness.service.refresh(id);
    expect(view.status).toBe('needs_reconnect');
    expect(view.lastError?.code).toBe('needs_reconnect');
    expect(harness.notifications).toHaveLength(1);
    expect(harness.published.filter((item) => item.event === 'connections.alert')).toHaveLength(1);
  });

  test('an outage makes refresh fail with a scheduled retry, and the next try succeeds', async () => {
    harness.service.close();
    await harness.close();
    harness = await startConnectionHarness({ profile, random: () => 0 });
    const { id } = await harness.service.connect(attempt(), draft(server.issuer));
    server.setUnavailable(true);
    const failing = await harness.service.refresh(id);
    expect(failing.status).toBe('refresh_failing');
    expect(failing.lastError?.code).toBe('provider_error');
    expect(Date.parse(failing.nextRefreshAt!)).toBeGreaterThan(Date.now() + 10_000);
    await harness.service.refresh(id).catch(() => undefined);
    expect(harness.notifications).toHaveLength(1);
    server.setUnavailable(false);
    expect((await harness.service.refresh(id)).status).toBe('active');
  });

  test('reconnect asks for the same scopes and keeps the settings; a custom provider offers only offboarding, which adds no scope', async () => {
    const created = await harness.service.connect(attempt(), draft(server.issuer, { capabilities: ['revoke_grants'] }));
    const view = await harness.service.reconnect(created.id, attempt());
    expect(view.capabilities).toEqual([{ id: 'offboarding', allowed: false, held: false, extraScopes: [] }]);
    expect(view.settings.issuer).toBe(server.issuer);
    expect(new URL(harness.opened[1]!).searchParams.get('scope')!.split(' ')).toEqual(['openid', 'email', 'offline_access', 'profile']);
  });
});

describe('refusing authorization responses that do not belong to the request', () => {
  test('rejects a callback whose iss differs from the issuer and redeems nothing', async () => {
    harness.setBrowser({ tamper: (url) => (url.searchParams.set('iss', 'https://attacker.example'), url) });
    await expect(harness.service.connect(attempt(), draft(server.issuer))).rejects.toMatchObject({ code: 'callback_rejected' });
    expect(server.issuedTokens.size).toBe(0);
    expect((await harness.browserResults[0]!).status).toBe(400);
  });

  test('rejects a callback without iss when the metadata says the server always sends it', async () => {
    harness.setBrowser({ tamper: (url) => (url.searchParams.delete('iss'), url) });
    await expect(harness.service.connect(attempt(), draft(server.issuer))).rejects.toMatchObject({ code: 'callback_rejected' });
    expect(server.issuedTokens.size).toBe(0);
  });

  test('rejects a callback with another state and redeems nothing', async () => {
    harness.setBrowser({ tamper: (url) => (url.searchParams.set('state', 'forged-state-value'), url) });
    await expect(harness.service.connect(attempt(), draft(server.issuer))).rejects.toMatchObject({ code: 'callback_rejected' });
    expect(server.issuedTokens.size).toBe(0);
    expect(await harness.service.list()).toMatchObject({ connections: [] });
  });

  test('reports consent refused in the browser as consent_denied', async () => {
    harness.setBrowser({ abort: true });
    await expect(harness.service.connect(attempt(), draft(server.issuer))).rejects.toMatchObject({ code: 'consent_denied' });
    expect(await harness.activityLog.query({ action: 'connection.connect' })).toMatchObject([{ result: 'failed', errorCode: 'consent_denied' }]);
  });

  test('times out when the browser never comes back, and closes the listener', async () => {
    await harness.close();
    harness = await startConnectionHarness({ profile, browser: 'ignore', authorizationTimeoutMs: 300 });
    await expect(harness.service.connect(attempt(), draft(server.issuer))).rejects.toMatchObject({ code: 'timeout' });
    const port = Number(new URL(new URL(harness.opened[0]!).searchParams.get('redirect_uri')!).port);
    expect(await portIsClosed(port)).toBe(true);
  });

  test('cancel from the UI ends the attempt and closes the listener', async () => {
    await harness.close();
    harness = await startConnectionHarness({ profile, browser: 'ignore' });
    const attemptId = attempt();
    const pending = harness.service.connect(attemptId, draft(server.issuer));
    await expect.poll(() => harness.opened.length).toBe(1);
    expect(harness.service.cancelAttempt(attemptId)).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    const port = Number(new URL(new URL(harness.opened[0]!).searchParams.get('redirect_uri')!).port);
    expect(await portIsClosed(port)).toBe(true);
  });

  test('refuses an issuer URL that publishes no discovery document, before opening the browser', async () => {
    await expect(harness.service.connect(attempt(), draft(`${server.issuer}/elsewhere`))).rejects.toMatchObject({ code: 'discovery_failed' });
    expect(harness.opened).toHaveLength(0);
  });
});
