import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBrowserBridge, type BrowserBridge } from '../bridge/browser-bridge';
import { launchChromium, loopbackOnlyContext } from './support/chromium';
import { signInAtTheProvider } from './support/provider-sign-in';

const screenshotDirectory = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true, animations: 'disabled' });

let browser: Browser;
let bridge: BrowserBridge;
let profile: string;
const opened: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(screenshotDirectory, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'consentry-e2e-sample-'));
  bridge = await startBrowserBridge({ dataDirectory: profile, openExternal: async (url) => void opened.push(url) });
});

afterAll(async () => {
  await bridge?.close();
  await browser?.close();
  await rm(profile, { recursive: true, force: true });
});

describe('the sample workspace, as a new user finds it', () => {
  test('connects from the first screen through the browser, shows as Sample, and is removed in one click', async () => {
    const { context, blockedRequests } = await loopbackOnlyContext(browser);
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('button', { name: 'Explore the sample workspace' }).click();
    await page.getByRole('dialog', { name: 'Explore the sample workspace' }).waitFor();
    await shot(page, 'sample-workspace-dialog-light');
    await page.getByRole('button', { name: 'Connect sample Google Workspace' }).click();

    // The system browser: the sample's own sign-in page on this computer.
    await expect.poll(() => opened.length).toBe(1);
    await (await signInAtTheProvider(browser, opened[0]!, { login: 'ada.admin' })).context().close();

    await page.getByRole('dialog', { name: 'Explore the sample workspace' }).waitFor({ state: 'hidden' });
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Connections/ }).click();
    const row = page.getByRole('row', { name: /Sample workspace — Google Workspace/ });
    await row.getByText('Active').waitFor();
    await row.getByText('Sample', { exact: true }).waitFor();

    // The Microsoft side: msal-node's own loopback listener, the same browser sign-in.
    await page.getByRole('button', { name: 'Explore the sample workspace' }).click();
    await page.getByRole('button', { name: 'Connect sample Microsoft 365' }).click();
    await expect.poll(() => opened.length).toBe(2);
    // msal-node shows our own success page.
    await (await signInAtTheProvider(browser, opened[1]!, { login: 'ada.admin', landsOn: 'Signed in' })).context().close();
    const microsoftRow = page.getByRole('row', { name: /Sample workspace — Microsoft 365/ });
    await microsoftRow.getByText('Active').waitFor();
    await microsoftRow.getByText('Sample', { exact: true }).waitFor();
    await shot(page, 'sample-workspace-connected-light');

    await page.getByRole('button', { name: 'Remove the sample workspace' }).click();
    await page.getByRole('dialog', { name: 'Remove the sample workspace?' }).getByRole('button', { name: 'Remove sample workspace' }).click();
    await page.getByTestId('connections-empty').waitFor();
    expect((await bridge.services.sample.status()).running).toBe(false);
    expect((await bridge.services.connections.list()).connections).toEqual([]);
    expect(blockedRequests).toEqual([]);
    await context.close();
  });

  test('allows revoking grants when first needed: Google asks for nothing, Microsoft only for what revoking adds; Stop needs no sign-in', async () => {
    const { context, blockedRequests } = await loopbackOnlyContext(browser);
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Connections/ }).click();
    for (const [button, landsOn] of [['Connect sample Google Workspace', 'Connected'], ['Connect sample Microsoft 365', 'Signed in']] as const) {
      const before = opened.length;
      await page.getByRole('button', { name: 'Explore the sample workspace' }).first().click();
      await page.getByRole('button', { name: button }).click();
      await expect.poll(() => opened.length).toBe(before + 1);
      await (await signInAtTheProvider(browser, opened.at(-1)!, { login: 'ada.admin', landsOn })).context().close();
      await page.getByRole('dialog', { name: 'Explore the sample workspace' }).waitFor({ state: 'hidden' });
    }
    await page.getByRole('row', { name: /Microsoft 365/ }).getByText('Active').waitFor();

    // The wizard's access step: reading always, each change off until allowed.
    await page.getByRole('button', { name: 'Connect a tenant' }).click();
    await page.getByRole('radio', { name: 'Google Workspace' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Client ID').fill('1234-desktop.apps.googleusercontent.com');
    await page.getByLabel('Client secret').fill('GOCSPX-not-a-real-secret');
    await page.getByTestId('redirect-uri').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Next' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByRole('checkbox', { name: 'Revoke grants' }).getAttribute('aria-checked')).toBe('false');
    await shot(page, 'connections-wizard-access-light');
    await page.getByRole('button', { name: 'Close' }).click();

    // Google: the audit scope already allows revoking, so nothing is asked and no browser opens.
    const openedBefore = opened.length;
    await page.getByRole('button', { name: 'Actions for Sample workspace — Google Workspace' }).click();
    await page.getByRole('menuitem', { name: 'Details' }).click();
    await page.getByTestId('connection-capability-revoke_grants').getByRole('button', { name: 'Allow' }).click();
    await page.getByTestId('no-new-scope').waitFor();
    await page.getByRole('button', { name: 'Allow revoking grants' }).click();
    await page.getByTestId('connection-capability-revoke_grants').getByText('Allowed', { exact: true }).waitFor();
    expect(opened.length).toBe(openedBefore);
    const google = (await bridge.services.connections.list()).connections.find((connection) => connection.provider === 'google')!;
    expect(google.capabilities.find((capability) => capability.id === 'revoke_grants')).toMatchObject({ allowed: true, held: true, extraScopes: [] });
    expect(google.scopesRequested.some((scope) => scope.endsWith('/cloud-platform') || scope.endsWith('/admin.directory.user'))).toBe(false);
    await page.keyboard.press('Escape');

    // Microsoft: a sign-in asking for the read scopes and exactly what revoking adds.
    await page.getByRole('button', { name: 'Actions for Sample workspace — Microsoft 365' }).click();
    await page.getByRole('menuitem', { name: 'Details' }).click();
    await page.getByTestId('connection-capability-revoke_grants').getByRole('button', { name: 'Allow' }).click();
    const allow = page.getByRole('dialog', { name: 'Allow revoking grants for Sample workspace — Microsoft 365' });
    await allow.getByTestId('scope-table').waitFor();
    await shot(page, 'connections-allow-revoking-light');
    await allow.getByRole('button', { name: 'Open browser and allow' }).click();
    await expect.poll(() => opened.length).toBe(openedBefore + 1);
    const asked = new URL(opened.at(-1)!).searchParams.get('scope')!.split(' ');
    expect(asked.filter((scope) => scope.includes('.ReadWrite.') || scope.startsWith('User.'))).toEqual(['DelegatedPermissionGrant.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'User.RevokeSessions.All']);
    await (await signInAtTheProvider(browser, opened.at(-1)!, { login: 'ada.admin', landsOn: 'Signed in' })).context().close();
    await allow.waitFor({ state: 'hidden' });
    const revoke = page.getByTestId('connection-capability-revoke_grants');
    await revoke.getByText('Allowed', { exact: true }).waitFor();
    await shot(page, 'connections-drawer-capabilities-light');

    // Stop: Consentry no longer holds it, and no browser opens.
    await revoke.getByRole('button', { name: 'Stop' }).click();
    await revoke.getByText('Off', { exact: true }).waitFor();
    expect(opened.length).toBe(openedBefore + 1);
    await context.close();

    const dark = await loopbackOnlyContext(browser, { colorScheme: 'dark' });
    const darkPage = await dark.context.newPage();
    await darkPage.goto(bridge.url);
    await darkPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Connections/ }).click();
    await darkPage.getByRole('button', { name: 'Actions for Sample workspace — Google Workspace' }).click();
    await darkPage.getByRole('menuitem', { name: 'Details' }).click();
    await darkPage.getByTestId('connection-capability-revoke_grants').getByText('Allowed', { exact: true }).waitFor();
    await shot(darkPage, 'connections-drawer-capabilities-dark');
    await darkPage.keyboard.press('Escape');
    await darkPage.getByRole('button', { name: 'Connect a tenant' }).click();
    await darkPage.getByRole('radio', { name: 'Microsoft Entra ID / Microsoft 365' }).click();
    await darkPage.getByRole('button', { name: 'Next' }).click();
    await darkPage.getByLabel('Client ID').fill('00000000-aaaa-4bbb-8ccc-000000000000');
    await darkPage.getByTestId('redirect-uri').waitFor();
    await expect.poll(() => darkPage.getByRole('button', { name: 'Next' }).isEnabled()).toBe(true);
    await darkPage.getByRole('button', { name: 'Next' }).click();
    await darkPage.getByTestId('capability-revoke_grants').waitFor();
    await shot(darkPage, 'connections-wizard-access-dark');
    await dark.context.close();
    expect([...blockedRequests, ...dark.blockedRequests]).toEqual([]);
  });
});
