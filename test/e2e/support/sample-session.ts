/**
 * The console on a fresh profile with the sample workspace's Google and Microsoft tenants
 * connected, the way an admin connects them (each sign-in done at the system browser), and the
 * browser that plays both the console window and the system browser.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect, vi } from 'vitest';
import type { TenantSimulator } from '../../../src-main/sample/simulator/tenant-simulator';
import { startBrowserBridge, type BrowserBridge } from '../../bridge/browser-bridge';
import { launchChromium } from './chromium';
import { signInAtTheProvider } from './provider-sign-in';

const screenshotDirectory = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** Dialogs are shot as the admin sees them (the viewport); pages whole. */
export const shot = (page: Page, name: string, fullPage = true) => page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage, animations: 'disabled' });

export interface SampleSession {
  browser: Browser;
  /** The console as it runs now: a restart replaces it. */
  bridge: BrowserBridge;
  /** Every URL the console asked the system browser to open, in order. */
  opened: string[];
  /** The admin at the system browser: signs in on the page Consentry opens after `count` were opened. */
  signInOnBrowserPage(count: number, landsOn?: string): Promise<void>;
  /** Connects (or reconnects) the sample's Google Workspace and Microsoft 365, each signed in at the browser. */
  connectSample(): Promise<void>;
  /**
   * Stops the console and starts it again on the same profile and vault key, as a quit and a new
   * launch would; `session.bridge` is the new one. Only with `simulator`, whose tenants outlive it.
   */
  restart(): Promise<BrowserBridge>;
  close(): Promise<void>;
}

export interface SampleSessionOptions {
  /**
   * The sample workspace's tenants, started by the test (with latency, say) to read their request
   * log; they stay up across `restart`, where the console's own would start afresh.
   */
  simulator?: TenantSimulator;
}

export async function openSampleSession(name: string, options: SampleSessionOptions = {}): Promise<SampleSession> {
  const browser = await launchChromium();
  await mkdir(screenshotDirectory, { recursive: true });
  const profile = await mkdtemp(join(tmpdir(), `consentry-e2e-${name}-`));
  const opened: string[] = [];
  // One machine and user across restarts: the vault is read back with the same key.
  const vaultKey = randomBytes(32);
  const { simulator } = options;
  // The console stops its simulator when it closes: it is handed one whose close leaves the test's running.
  const startSimulator = simulator ? async () => ({ ...simulator, close: async () => undefined }) : undefined;
  const startBridge = () =>
    startBrowserBridge({ dataDirectory: profile, vaultKey, openExternal: async (url) => void opened.push(url), ...(startSimulator ? { startSimulator } : {}) });
  const signInOnBrowserPage = async (count: number, landsOn?: string) => {
    await vi.waitFor(() => expect(opened.length).toBe(count + 1), { timeout: 15_000, interval: 50 });
    await (await signInAtTheProvider(browser, opened[count]!, { login: 'ada.admin', ...(landsOn ? { landsOn } : {}) })).context().close();
  };
  const session: SampleSession = {
    browser,
    bridge: await startBridge(),
    opened,
    signInOnBrowserPage,
    connectSample: async () => {
      const google = opened.length;
      await Promise.all([session.bridge.services.sample.connect(crypto.randomUUID(), 'google'), signInOnBrowserPage(google)]);
      const microsoft = opened.length;
      await Promise.all([session.bridge.services.sample.connect(crypto.randomUUID(), 'microsoft'), signInOnBrowserPage(microsoft, 'Signed in')]);
    },
    restart: async () => {
      if (!simulator) throw new Error('A restart keeps the tenants only when the test started them: pass `simulator`.');
      await session.bridge.close();
      session.bridge = await startBridge();
      return session.bridge;
    },
    close: async () => {
      await session.bridge.close();
      await browser.close();
      await simulator?.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
  await session.connectSample();
  return session;
}
