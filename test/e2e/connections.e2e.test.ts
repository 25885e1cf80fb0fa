import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBrowserBridge, type BrowserBridge, type Crossing } from '../bridge/browser-bridge';
import { startOidcTestServer, testClientId, type OidcTestServer } from '../support/oidc-test-server';
import { launchChromium, loopbackOnlyContext } from './support/chromium';
import { signInAtTheProvider } from './support/provider-sign-in';

const screenshotDirectory = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

let browser: Browser;
let server: OidcTestServer;
let profile: string;
const vaultKey = randomBytes(32);
/** Authorization URLs the console handed to "the system browser". */
const opened: string[] = [];
const bridges: BrowserBridge[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(screenshotDirectory, { recursive: true });
  // Short-lived access tokens, so the console's own renewal shows within the test.
  server = await startOidcTestServer({ accessTokenTtlSeconds: 8 });
  profile = await mkdtemp(join(tmpdir(), 'consentry-e2e-connections-'));
});

afterAll(async () => {
  for (const bridge of bridges) await bridge.close().catch(() => undefined);
  await server?.close();
  await browser?.close();
  await rm(profile, { recursive: true, force: true });
});

async function startConsole(): Promise<BrowserBridge> {
  const bridge = await startBrowserBridge({
    dataDirectory: profile,
    vaultKey,
    openExternal: async (url) => {
      opened.push(url);
    },
  });
  bridges.push(bridge);
  return bridge;
}

async function openConsole(bridge: BrowserBridge, colorScheme: 'light' | 'dark' = 'light') {
  const { context, blockedRequests } = await loopbackOnlyContext(browser, { colorScheme });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(bridge.url);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Connections/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
  return { page, blockedRequests, pageErrors };
}

// Transitions are finished first, so a modal is never caught half-faded.
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true, animations: 'disabled' });

function leaked(crossings: Crossing[], secrets: Iterable<string>): string[] {
  const crossed = crossings.map((crossing) => JSON.stringify(crossing.body)).join('\n');
  return [...secrets].filter((secret) => secret.length >= 8 && crossed.includes(secret));
}

describe('connections, as an admin uses them', () => {
  test('connects through the wizard, renews before expiry, survives a restart and revokes on disconnect; no token reaches the window', async () => {
    let bridge = await startConsole();
    const { page, blockedRequests, pageErrors } = await openConsole(bridge);
    await page.getByTestId('connections-empty').waitFor();
    await shot(page, 'connections-empty-light');

    // Wizard: provider → client → profile → scopes → browser.
    await page.getByRole('button', { name: 'Connect a tenant' }).click();
    // Every provider module's preset is offered, once.
    const offered = ['Google Workspace', 'Microsoft Entra ID / Microsoft 365', 'Zoom', 'Salesforce', 'HubSpot', 'Pipedrive', 'Slack (Enterprise Grid)', 'Okta', 'Zendesk', 'Other OAuth 2.0 / OpenID Connect provider'];
    await page.getByRole('radio', { name: offered.at(-1) }).waitFor();
    expect(await page.getByRole('radio').count()).toBe(offered.length);
    for (const label of offered) expect(await page.getByRole('radio', { name: label }).count(), label).toBe(1);
    await page.getByRole('radio', { name: 'Other OAuth 2.0 / OpenID Connect provider' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Connection name').fill('Local IdP');
    await page.getByLabel('Client ID').fill(testClientId);
    await page.getByLabel('Issuer URL').fill(server.issuer);
    await page.getByLabel('Audit scopes').fill('profile');
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('http://127.0.0.1/callback');
    await shot(page, 'connections-wizard-client');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('offline_access');
    await shot(page, 'connections-wizard-scopes');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Open browser and connect' }).click();

    await expect.poll(() => opened.length).toBe(1);
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('in your browser');
    await shot(page, 'connections-wizard-waiting');
    const providerPage = await signInAtTheProvider(browser, opened[0]!);
    // The page left in the browser holds no code: its address was replaced with a clean one.
    expect(new URL(providerPage.url()).search).toBe('');
    await providerPage.context().close();

    await page.getByRole('dialog', { name: 'Connect a tenant' }).waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /Local IdP/ });
    await row.getByText('Active').waitFor();
    await expect.poll(() => row.textContent()).toContain('alice@example.test');
    await shot(page, 'connections-active-light');

    // Renewal ahead of expiry: the 8-second token is renewed by the console on its own.
    const [connection] = (await bridge.services.connections.list()).connections;
    const firstRefreshToken = (await bridge.services.vault.get(connection!.id))!.refreshToken!;
    await expect.poll(async () => (await bridge.services.vault.get(connection!.id))!.refreshToken, { timeout: 15_000 }).not.toBe(firstRefreshToken);
    await page.getByRole('button', { name: 'Actions for Local IdP' }).click();
    await page.getByRole('menuitem', { name: 'Details' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toMatch(/Last refresh/i);
    await shot(page, 'connections-details-light');
    await page.keyboard.press('Escape');
    expect(blockedRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.context().close();

    // A new console process on the same profile finds the connection and its tokens.
    const crossings = [...bridge.crossings];
    await bridge.close();
    bridge = await startConsole();
    const restarted = await openConsole(bridge, 'dark');
    await restarted.page.getByRole('row', { name: /Local IdP/ }).getByText(/Active|Expiring soon|Refreshing/).waitFor();
    await shot(restarted.page, 'connections-active-dark');

    // Disconnect: confirmation, revocation at the server, the outcome shown.
    const refreshToken = (await bridge.services.vault.get(connection!.id))!.refreshToken!;
    expect(await server.isActive(refreshToken)).toBe(true);
    await restarted.page.getByRole('button', { name: 'Actions for Local IdP' }).click();
    await restarted.page.getByRole('menuitem', { name: 'Disconnect' }).click();
    await shot(restarted.page, 'connections-disconnect-confirm-dark');
    await restarted.page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => restarted.page.getByRole('dialog').textContent()).toContain('confirmed the revocation');
    await shot(restarted.page, 'connections-disconnect-outcome-dark');
    expect(await server.isActive(refreshToken)).toBe(false);
    await restarted.page.keyboard.press('Escape');
    await restarted.page.getByRole('row', { name: /Local IdP/ }).getByText('Revoked').waitFor();

    // Every action is in the activity log.
    const actions = (await bridge.services.activity.list({}, 0, 100)).entries.map((entry) => `${entry.action}:${entry.result}`);
    expect(actions).toEqual(expect.arrayContaining(['connection.connect:succeeded', 'connection.disconnect:succeeded']));
    await restarted.page.context().close();

    // Nothing the server issued crossed the bridge, in either console run.
    expect(server.issuedTokens.size).toBeGreaterThan(3);
    expect(leaked([...crossings, ...bridge.crossings], server.issuedTokens)).toEqual([]);
  });

  test('shows an invalid-client failure with its next step, and the client secret never reaches the window', async () => {
    const secret = 'client-secret-that-must-stay-in-main';
    const bridge = await startConsole();
    const { page } = await openConsole(bridge);
    await page.getByRole('button', { name: 'Connect a tenant' }).click();
    await page.getByRole('radio', { name: 'Other OAuth 2.0 / OpenID Connect provider' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Connection name').fill('Wrong client');
    await page.getByLabel('Client ID').fill(testClientId);
    // The server registered this client as public: a secret makes it refuse the client.
    await page.getByLabel('Client secret').fill(secret);
    await page.getByLabel('Issuer URL').fill(server.issuer);
    await page.getByLabel('Audit scopes').fill('profile');
    for (let step = 0; step < 3; step += 1) await page.getByRole('button', { name: 'Next' }).click();
    const before = opened.length;
    await page.getByRole('button', { name: 'Open browser and connect' }).click();
    await expect.poll(() => opened.length).toBe(before + 1);
    const providerPage = await signInAtTheProvider(browser, opened.at(-1)!, { landsOn: 'Not connected' });
    await providerPage.context().close();
    await page.getByText('Sign-in failed').waitFor();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('does not recognise this OAuth client or its secret');
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('Check the client ID');
    await shot(page, 'connections-wizard-failed');
    expect(leaked(bridge.crossings, [secret])).toEqual([]);
    const failures = (await bridge.services.activity.list({ action: 'connection.connect', result: 'failed' }, 0, 10)).entries;
    expect(failures).toMatchObject([{ errorCode: 'invalid_client' }]);
    expect(JSON.stringify(failures)).not.toContain(secret);
    await page.context().close();
  });

  test('without OS encryption, refuses to store tokens until the admin chooses session-only mode', async () => {
    const bridge = await startBrowserBridge({
      dataDirectory: await mkdtemp(join(tmpdir(), 'consentry-e2e-novault-')),
      vaultProtection: { available: false, reason: 'no keyring is running, so the only key available is a fixed one that protects nothing.', nextStep: 'Start GNOME Keyring or KWallet in your desktop session and restart Consentry.' },
    });
    bridges.push(bridge);
    const { page } = await openConsole(bridge);
    await page.getByText('no keyring is running', { exact: false }).waitFor();
    await shot(page, 'connections-vault-unavailable-light');
    await page.getByRole('button', { name: 'Keep tokens for this session only' }).click();
    await page.getByRole('button', { name: 'Turn off session-only mode' }).waitFor();
    expect((await bridge.services.vault.status()).mode).toBe('session-only');
    await shot(page, 'connections-vault-session-only-light');

    // The Google client step: what to register, and the secret a Desktop client needs.
    await page.getByRole('button', { name: 'Connect a tenant' }).click();
    await page.getByRole('radio', { name: 'Google Workspace' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Client secret').waitFor();
    await expect.poll(() => page.getByTestId('redirect-uri').textContent()).toContain('http://127.0.0.1/callback');
    await shot(page, 'connections-wizard-google-client');
    await page.context().close();
  });
});
