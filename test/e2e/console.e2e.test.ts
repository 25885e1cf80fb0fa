import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startBrowserBridge, type BrowserBridge } from '../bridge/browser-bridge';
import { launchChromium, loopbackOnlyContext } from './support/chromium';

const screenshotDirectory = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
// One machine and user across restarts: the vault, and the activity log's key in it, read back.
const vaultKey = randomBytes(32);

const pages = [
  { label: 'Overview', path: '/' },
  { label: 'Connections', path: '/connections' },
  { label: 'Grants', path: '/grants' },
  { label: 'Consent', path: '/consent' },
  { label: 'Credentials', path: '/credentials' },
  { label: 'Offboarding', path: '/offboarding' },
  { label: 'Reports', path: '/reports' },
  { label: 'Activity', path: '/activity' },
  { label: 'Settings', path: '/settings' },
] as const;

let browser: Browser;
let profile: string;
let bridge: BrowserBridge;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(screenshotDirectory, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  profile = await mkdtemp(join(tmpdir(), 'consentry-e2e-'));
  bridge = await startBrowserBridge({ dataDirectory: profile, vaultKey });
});

afterEach(async () => {
  await bridge?.close();
  await rm(profile, { recursive: true, force: true });
});

interface OpenConsole {
  page: Page;
  blockedRequests: string[];
  /** Console errors and CSP violations reported by the page. */
  pageErrors: string[];
}

async function openConsole(at: BrowserBridge, colorScheme: 'light' | 'dark' = 'light'): Promise<OpenConsole> {
  const { context, blockedRequests } = await loopbackOnlyContext(browser, { colorScheme });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(at.url);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  // The access key was traded for a cookie and is gone from the address bar.
  expect(new URL(page.url()).search).toBe('');
  return { page, blockedRequests, pageErrors };
}

async function navigateTo(page: Page, label: string) {
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

describe('console frame', () => {
  test('opens every page from the navigation, shows its heading, and reaches nothing beyond 127.0.0.1', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, blockedRequests, pageErrors } = await openConsole(bridge, colorScheme);
      await bridge.services.settings.update({ theme: colorScheme });
      await page.reload();
      for (const { label, path } of pages) {
        await navigateTo(page, label);
        expect(new URL(page.url()).hash).toBe(`#${path}`);
        await expect
          .poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme')))
          .toBe(colorScheme);
        // Mantine's stylesheet is applied (not raw HTML): the navbar has its fixed width.
        const navbarWidth = await page.getByRole('navigation', { name: 'Main navigation' }).evaluate((element) => element.getBoundingClientRect().width);
        expect(navbarWidth).toBeGreaterThan(200);
        await page.screenshot({ path: join(screenshotDirectory, `${label.toLowerCase()}-${colorScheme}.png`), fullPage: true });
      }
      expect(blockedRequests).toEqual([]);
      expect(pageErrors).toEqual([]);
      await page.context().close();
    }
  });

  test('shows an honest empty state on pages whose capability is not built yet', async () => {
    const { page } = await openConsole(bridge);
    for (const label of ['Reports']) {
      await navigateTo(page, label);
      const planned = page.getByTestId('planned-capability');
      await expect.poll(() => planned.textContent()).toContain('not part of this build yet');
      await expect.poll(() => planned.textContent()).toContain('What will appear here');
    }
    // Grants, Consent, Credentials and Offboarding are built: with nothing connected they lead to the Connections page instead of an empty table.
    for (const label of ['Grants', 'Consent', 'Credentials', 'Offboarding']) {
      await navigateTo(page, label);
      await page.getByText('No tenant connected').waitFor();
    }
    await page.context().close();
  });

  test('moves between pages with Ctrl and the page number', async () => {
    const { page } = await openConsole(bridge);
    await page.keyboard.press('Control+8');
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    await page.keyboard.press('Control+9');
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    // The heading of the page just opened has focus, so a screen reader announces it.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Settings');
    await page.keyboard.press('Control+1');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.context().close();
  });
});

describe('settings', () => {
  test('saves a policy, and finds it after a reload and after the console restarts', async () => {
    const { page } = await openConsole(bridge);
    await navigateTo(page, 'Settings');
    const keyAge = page.getByLabel('Key-age policy (days)');
    expect(await keyAge.inputValue()).toBe('90');
    await keyAge.fill('120');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page.getByText('Settings saved').waitFor();

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByLabel('Key-age policy (days)').inputValue()).toBe('120');
    await page.context().close();

    // A new console process on the same profile reads the stored value.
    await bridge.close();
    bridge = await startBrowserBridge({ dataDirectory: profile, vaultKey });
    const restarted = await openConsole(bridge);
    await navigateTo(restarted.page, 'Settings');
    expect(await restarted.page.getByLabel('Key-age policy (days)').inputValue()).toBe('120');
    await restarted.page.context().close();
  });

  test('refuses an out-of-range value with the rule under the field and keeps the stored value', async () => {
    const { page } = await openConsole(bridge);
    await navigateTo(page, 'Settings');
    await page.getByLabel('Expiry warning window (days)').fill('400');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page.getByText('Expiry warning window can be at most 365 days.').waitFor();
    expect(bridge.services.settings.get().expiryWarningDays).toBe(30);
    await page.context().close();
  });

  test('switches to the dark theme and keeps it after a reload', async () => {
    const { page } = await openConsole(bridge);
    await navigateTo(page, 'Settings');
    await page.getByRole('radiogroup', { name: 'Theme' }).getByText('Dark').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
    await expect.poll(() => bridge.services.settings.get().theme).toBe('dark');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
    await page.context().close();
  });
});

describe('activity log', () => {
  test('lists what the console did, filters it, and exports it as CSV', async () => {
    const { page } = await openConsole(bridge);
    await navigateTo(page, 'Settings');
    await page.getByLabel('Key-age policy (days)').fill('60');
    await page.getByRole('button', { name: 'Save policies' }).click();
    await page.getByText('Settings saved').waitFor();

    await navigateTo(page, 'Activity');
    await page.getByTestId('integrity-intact').waitFor();
    const table = page.getByTestId('activity-table');
    await expect.poll(() => table.textContent()).toContain('key-age policy (days): 90 → 60');
    await page.screenshot({ path: join(screenshotDirectory, 'activity-with-entries-light.png'), fullPage: true });

    await page.getByRole('radiogroup', { name: 'Result' }).getByText('Failed').click();
    await page.getByText('No entries match these filters.').waitFor();
    await page.getByRole('radiogroup', { name: 'Result' }).getByText('All').click();
    await expect.poll(() => table.textContent()).toContain('settings.update');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^consentry-activity-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFsequence,time_utc,action,target,result,error_code,detail,entry_sha256\r\n')).toBe(true);
    expect(csv).toContain('settings.update,settings,succeeded,,key-age policy (days): 90 → 60,');
    await page.context().close();
  });

  test('shows that the log was altered when an entry is edited on disk', async () => {
    await bridge.services.settings.update({ keyAgePolicyDays: 45 });
    await bridge.services.settings.update({ keyAgePolicyDays: 50 });
    await bridge.close();
    const logPath = join(profile, 'activity', 'activity.jsonl');
    const text = await readFile(logPath, 'utf8');
    await writeFile(logPath, text.replace('90 → 45', '90 → 30'));

    bridge = await startBrowserBridge({ dataDirectory: profile, vaultKey });
    const { page } = await openConsole(bridge);
    await navigateTo(page, 'Activity');
    await page.getByTestId('integrity-broken').waitFor();
    await expect.poll(() => page.getByTestId('integrity-broken').textContent()).toMatch(/Entry #\d+ was changed after it was written\./);
    await page.screenshot({ path: join(screenshotDirectory, 'activity-altered-light.png'), fullPage: true });
    await page.context().close();
  });
});
