import type { Browser, Page } from 'playwright-core';
import { loopbackOnlyContext } from './chromium';

/**
 * The person at the system browser: a separate browser context (the app's window is not the
 * browser), signing in and consenting on the authorization server's pages, then waiting for the
 * page the redirect lands on. Returns that page; the caller closes its context.
 */
export async function signInAtTheProvider(browser: Browser, url: string, options: { login?: string; landsOn?: string } = {}): Promise<Page> {
  const { context } = await loopbackOnlyContext(browser);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('input[name="login"]').fill(options.login ?? 'alice');
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: /continue/i }).click();
  await page.getByRole('heading', { name: options.landsOn ?? 'Connected' }).waitFor();
  return page;
}
