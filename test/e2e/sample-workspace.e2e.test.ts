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
});
