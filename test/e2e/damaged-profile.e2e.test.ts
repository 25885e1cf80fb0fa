import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startBrowserBridge, type BrowserBridge } from '../bridge/browser-bridge';
import { launchChromium, loopbackOnlyContext } from './support/chromium';

const screenshotDirectory = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const startedAt = new Date('2026-12-04T10:11:12.345Z');

let browser: Browser;
let profile: string;
let bridge: BrowserBridge | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  await mkdir(screenshotDirectory, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
  await rm(profile, { recursive: true, force: true });
});

describe('a profile with damaged files', () => {
  test('the console starts, names each file and where its copy was kept, on every page, until dismissed', async () => {
    profile = await mkdtemp(join(tmpdir(), 'consentry-e2e-'));
    // Settings edited by hand into something that is not JSON; a vault cut off part-way through a save.
    await writeFile(join(profile, 'settings.json'), '{ "settings": { theme: dark } }');
    await writeFile(join(profile, 'vault.json'), '{\n\t"records": {\n\t\t"conn-1": "v1:AQID');
    // The clock only names the kept copies; the renderer's own timers run on real time.
    bridge = await startBrowserBridge({ dataDirectory: profile, clock: () => startedAt });

    const { context, blockedRequests } = await loopbackOnlyContext(browser);
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    const notice = page.getByTestId('profile-problems');
    await notice.waitFor();
    expect(await notice.getByText('Consentry started without 2 of its files').count()).toBe(1);
    const problems = notice.getByTestId('profile-problem');
    expect(await problems.count()).toBe(2);
    const settingsKeptAs = join(profile, 'settings.damaged-2026-12-04T10-11-12Z.json');
    const vaultKeptAs = join(profile, 'vault.damaged-2026-12-04T10-11-12Z.json');
    expect(await problems.nth(0).textContent()).toContain('settings.json');
    expect(await problems.nth(0).textContent()).toContain('It is not valid JSON');
    expect(await problems.nth(0).textContent()).toContain(settingsKeptAs);
    expect(await problems.nth(1).textContent()).toContain('It ends part-way through');
    expect(await problems.nth(1).textContent()).toContain('each needs a reconnect');
    expect(await problems.nth(1).textContent()).toContain(vaultKeptAs);
    await page.screenshot({ path: join(screenshotDirectory, 'damaged-profile-light.png'), fullPage: true });

    // The copies are what was found, byte for byte.
    expect(await readFile(settingsKeptAs, 'utf8')).toBe('{ "settings": { theme: dark } }');
    expect(await readFile(vaultKeptAs, 'utf8')).toBe('{\n\t"records": {\n\t\t"conn-1": "v1:AQID');

    // On every page, not only the first.
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Settings/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await notice.waitFor();
    // The rest of the console works: settings start from their defaults and save.
    expect(await page.getByLabel('Key-age policy (days)').inputValue()).toBe('90');

    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    expect(await page.getByTestId('profile-problems').count()).toBe(0);

    // Each problem is in the activity log once.
    const listed = await bridge.services.dispatch('activity.list', { filter: { action: 'profile.fileDamaged' } }, { url: bridge.origin, isMainFrame: true });
    expect(listed).toMatchObject({ ok: true });
    const { entries } = (listed as { value: { entries: { target: string }[] } }).value;
    expect(entries.map((entry) => entry.target).sort()).toEqual(['settings.json', 'vault.json']);
    expect((await readdir(profile)).filter((file) => file.includes('.damaged-')).sort()).toEqual([
      'settings.damaged-2026-12-04T10-11-12Z.json',
      'vault.damaged-2026-12-04T10-11-12Z.json',
    ]);
    expect(blockedRequests).toEqual([]);
    await context.close();
  });

  test('reads calmly in the dark theme too', async () => {
    profile = await mkdtemp(join(tmpdir(), 'consentry-e2e-'));
    await writeFile(join(profile, 'connections.json'), '');
    bridge = await startBrowserBridge({ dataDirectory: profile, clock: () => startedAt });
    await bridge.services.settings.update({ theme: 'dark' });

    const { context } = await loopbackOnlyContext(browser, { colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(bridge.url);
    const notice = page.getByTestId('profile-problems');
    await notice.waitFor();
    expect(await notice.getByText('Consentry started without connections.json').count()).toBe(1);
    expect(await notice.textContent()).toContain('It is empty (0 bytes).');
    expect(await notice.textContent()).toContain('The connection list starts empty');
    await page.screenshot({ path: join(screenshotDirectory, 'damaged-profile-dark.png'), fullPage: true });
    await context.close();
  });
});
