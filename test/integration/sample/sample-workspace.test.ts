import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { trustOrigins } from '../../../src-main/api/sender-policy';
import { startConsoleServices, type ConsoleServices } from '../../../src-main/app-services';
import { createExternalUrlPolicy } from '../../../src-main/security/external-url-policy';
import { openConfKeyValueStore } from '../../../src-main/storage/conf-key-value-store';
import { ProfileFolder } from '../../../src-main/storage/profile-file-opening';
import { createAesGcmCipher } from '../../support/aes-gcm-cipher';
import { driveAuthorization } from '../../support/authorization-driver';
import { temporaryDirectory } from '../../support/temporary-directory';

let services: ConsoleServices | undefined;
afterEach(async () => {
  await services?.close();
  services = undefined;
});

/** The console as the app builds it, with the app's URL policy and a scripted person at the browser. */
async function startConsole(profile: string, key: Buffer, opened: string[]) {
  const policy = createExternalUrlPolicy();
  return startConsoleServices({
    dataDirectory: profile,
    profile: new ProfileFolder(profile, { openStoreFile: openConfKeyValueStore }),
    cipher: createAesGcmCipher(key),
    openExternal: async (url, context) => {
      const verdict = policy(url, context);
      if (!verdict.allowed) throw new Error(verdict.reason);
      opened.push(verdict.url);
      void driveAuthorization(verdict.url).catch(() => undefined);
    },
    notify: () => undefined,
    fetch,
    description: { name: 'Consentry', version: 'test', platform: 'other', host: 'browser-bridge' },
    isTrustedSender: trustOrigins(['app://consentry']),
    reportUnexpected: () => undefined,
  });
}

describe('the sample workspace inside the console', () => {
  test('connects through the same sign-in path as a real tenant, labelled as a sample', async () => {
    const profile = await temporaryDirectory();
    const opened: string[] = [];
    services = await startConsole(profile, randomBytes(32), opened);
    expect(await services.sample.status()).toMatchObject({ running: false, connections: 0 });

    const view = await services.sample.connect(crypto.randomUUID(), 'google');
    expect(view).toMatchObject({ sample: true, status: 'active', provider: 'google', label: 'Sample workspace — Google Workspace' });
    expect(view.capabilities.every((capability) => !capability.allowed)).toBe(true);
    // The system browser was sent to the sample's own sign-in page on this computer, with PKCE.
    const signIn = new URL(opened[0]!);
    expect(signIn.hostname).toBe('127.0.0.1');
    expect(signIn.searchParams.get('code_challenge_method')).toBe('S256');
    expect(await services.sample.status()).toMatchObject({ running: true, users: 300, connections: 1 });
    expect((await services.activity.list({ action: 'connection.connect' }, 0, 10)).entries).toMatchObject([{ result: 'succeeded' }]);
  });

  test('connects the sample Microsoft 365 through msal-node, its sign-in pages in the browser over plain http on this computer', async () => {
    const profile = await temporaryDirectory();
    const opened: string[] = [];
    services = await startConsole(profile, randomBytes(32), opened);
    const view = await services.sample.connect(crypto.randomUUID(), 'microsoft');
    expect(view).toMatchObject({ sample: true, status: 'active', provider: 'microsoft', label: 'Sample workspace — Microsoft 365' });
    const signIn = new URL(opened[0]!);
    expect(signIn.protocol).toBe('http:');
    expect(signIn.hostname).toBe('127.0.0.1');
    expect(signIn.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    // The refresh also goes through the sample's pinned certificate.
    expect((await services.connections.refresh(view.id)).status).toBe('active');
  });

  test('asks for a reconnect after a restart, and reconnects to the fresh sample', async () => {
    const profile = await temporaryDirectory();
    const key = randomBytes(32);
    services = await startConsole(profile, key, []);
    const first = await services.sample.connect(crypto.randomUUID(), 'google');
    await services.close();
    services = await startConsole(profile, key, []);
    expect((await services.connections.list()).connections).toMatchObject([{ id: first.id, sample: true, status: 'needs_reconnect' }]);
    const again = await services.sample.connect(crypto.randomUUID(), 'google');
    expect(again).toMatchObject({ id: first.id, status: 'active' });
    expect(again.settings.issuer).not.toBe(first.settings.issuer);
  });

  test('is removed in one go: tokens revoked, connections gone, simulator stopped', async () => {
    const profile = await temporaryDirectory();
    services = await startConsole(profile, randomBytes(32), []);
    const { id } = await services.sample.connect(crypto.randomUUID(), 'google');
    const issuer = (await services.connections.list()).connections[0]!.settings.issuer!;
    expect(await services.sample.remove()).toBe(1);
    expect((await services.connections.list()).connections).toEqual([]);
    expect(await services.vault.get(id)).toBeUndefined();
    expect(await services.sample.status()).toMatchObject({ running: false, connections: 0 });
    await expect(fetch(`${issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    expect((await services.activity.list({ action: 'sample.remove' }, 0, 10)).entries).toHaveLength(1);
  });
});
