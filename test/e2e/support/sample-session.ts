/**
 * The console on a fresh profile with the sample workspace's Google and Microsoft tenants
 * connected, the way an admin connects them (each sign-in done at the system browser), and the
 * browser that plays both the console window and the system browser.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import { startBrowserBridge, type BrowserBridge } from '../../bridge/browser-bridge';
import { launchChromium } from './chromium';
import { signInAtTheProvider } from './provider-sign-in';

const screenshotDirectory = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** Dialogs are shot as the admin sees them (the viewport); pages whole. */
export const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage, animations: 'disabled' });

export interface SampleSession {
  browser: Browser;
  bridge: BrowserBridge;
  /** Every URL the console asked the system browser to open, in order. */
  opened: string[];
  /** The admin at the system browser: signs in on the page Consentry opens after `count` were opened. */
  signInOnBrowserPage(count: number, landsOn?: string): Promise<void>;
  close(): Promise<void>;
}

export async function openSampleSession(name: string): Promise<SampleSession> {
  const browser = await launchChromium();
  await mkdir(screenshotDirectory, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), `consentry-e2e-${name}-`));
  const opened: string[] = [];
  const bridge = await startBrowserBridge({ dataDirectory: profile, openExternal: async (url) => void opened.push(url) });
  const signInOnBrowserPage = async (count: number, landsOn?: string) => {
    await vi.waitFor(() => expect(opened.length).toBe(count + 1), { timeout: 15_000, interval: 50 });
    await (await signInAtTheProvider(browser, opened[count]!, { login: 'ada.admin', ...(landsOn ? { landsOn } : {}) })).context().close();
  };
  await Promise.all([bridge.services.sample.connect(crypto.randomUUID(), 'google'), signInOnBrowserPage(0)]);
  await Promise.all([bridge.services.sample.connect(crypto.randomUUID(), 'microsoft'), signInOnBrowserPage(1, 'Signed in')]);
  return {
    browser,
    bridge,
    opened,
    signInOnBrowserPage,
    close: async () => {
      await bridge.close();
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
