import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Credential } from '../../src-shared/contract/credentials';
import type { BrowserBridge } from '../bridge/browser-bridge';
import { loopbackOnlyContext } from './support/chromium';
import { openSampleSession, shot, type SampleSession } from './support/sample-session';

let session: SampleSession;
let bridge: BrowserBridge;
/** The rotated secret as the wizard showed it: it must appear nowhere else. */
let shownSecret = '';

beforeAll(async () => {
  session = await openSampleSession('credentials');
  ({ bridge } = session);
});

afterAll(async () => {
  await session?.close();
});

const connectionOf = async (provider: 'google' | 'microsoft') => (await bridge.services.connections.list()).connections.find((connection) => connection.provider === provider)!;
const reread = async (connectionId: string) => (await bridge.services.credentials.read([connectionId])).credentials.filter((credential) => credential.connectionId === connectionId);

async function openCredentialsPage(page: Page) {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(bridge.url);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Credentials/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  await page.getByTestId('credential-table').getByRole('row').nth(10).waitFor({ timeout: 20_000 });
}

/** Rows wholly inside the window as it opens, and whether the table scrolls sideways. */
async function rowsAtFirstSight(page: Page): Promise<{ rows: number; sideways: boolean }> {
  return page.getByTestId('credential-table').evaluate((table) => ({
    rows: [...table.querySelectorAll('tr[data-index]')].filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length,
    sideways: table.scrollWidth > table.clientWidth,
  }));
}

describe('keys and secrets, as an admin uses them on the sample workspace', () => {
  test('sees every tenant read, is told Payroll Sync’s secret expires in 10 days, rotates it from the notification, and main finds only the new secret', async () => {
    const { context } = await loopbackOnlyContext(session.browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: bridge.origin });
    const page = await context.newPage();
    await openCredentialsPage(page);

    // Every source is read. Google's data project lets the admin list its keys but not their last use:
    // the page says so on one line, with the details on demand.
    const google = await connectionOf('google');
    const sources = (await bridge.services.credentials.inventory()).sources;
    expect(sources.map((source) => [source.provider, source.state])).toEqual([
      ['google', 'partial'],
      ['microsoft', 'read'],
    ]);
    expect(sources.every((source) => source.count > 0)).toBe(true);
    const partial = page.getByTestId('credential-source-alert');
    await expect.poll(() => partial.count()).toBe(1);
    expect(await partial.textContent()).toContain(`${google.label} was read in part`);
    expect(await partial.textContent()).toMatch(/not read: Last authentication of the keys in project sample-data-\d+/);

    // Expiry alerts are told once, when a tenant is first read: here before the page opened. Main
    // kept them, and the console shows them as it opens.
    const microsoft = await connectionOf('microsoft');
    const notification = page.getByRole('alert').filter({ has: page.getByTestId('credential-alert-list') });
    const payrollAlert = notification.getByTestId('credential-alert').filter({ hasText: 'Payroll Sync production expires soon' });
    await payrollAlert.waitFor({ timeout: 20_000 });
    // One notification lists every credential that expired or expires soon (a disabled one asks for no rotation).
    const due = (await bridge.services.credentials.inventory()).credentials.filter((credential) => !credential.disabled && ['expired', 'expiring'].includes(credential.status));
    await expect.poll(() => notification.getByTestId('credential-alert').count()).toBe(due.length);
    await payrollAlert.scrollIntoViewIfNeeded();
    await shot(page, 'credentials-notification-light', false);

    // Payroll Sync's only secret expires in 10 days: expiring, with the reason in the drawer.
    const inventory = (await bridge.services.credentials.inventory()).credentials;
    const payroll = inventory.find((credential) => credential.connectionId === microsoft.id && credential.ownerName === 'Payroll Sync')!;
    expect(payroll).toMatchObject({ kind: 'app_secret', status: 'expiring', displayName: 'Payroll Sync production' });
    await page.getByRole('textbox', { name: 'Search' }).fill('Payroll Sync');
    const row = page.getByTestId('credential-table').getByRole('row').filter({ hasText: 'Payroll Sync production' });
    await row.getByText('Expiring').waitFor();
    await row.getByText('in 10 days').waitFor();
    await row.click();
    const drawer = page.getByTestId('credential-drawer');
    await drawer.getByTestId('credential-findings').getByText(/Expires in 10 days/).waitFor();
    await drawer.getByText('Never rotated by Consentry.').waitFor();
    await shot(page, 'credentials-drawer-light', false);
    await page.getByRole('button', { name: 'Close credential details' }).click();

    // Rotate, from the notification.
    await payrollAlert.getByRole('button', { name: 'Rotate' }).click();
    const wizard = page.getByRole('dialog', { name: 'Rotate client secret: Payroll Sync' });
    await wizard.getByTestId('credentials-capability-needed').waitFor({ timeout: 20_000 });
    await shot(page, 'credentials-rotate-ready-light', false);
    const beforeAllow = session.opened.length;
    await wizard.getByRole('button', { name: `Allow rotating keys and secrets for ${microsoft.label}` }).click();
    const allow = page.getByRole('dialog', { name: `Allow rotating keys and secrets for ${microsoft.label}` });
    await allow.getByText('Application.ReadWrite.All').first().waitFor();
    await Promise.all([allow.getByRole('button', { name: 'Open browser and allow' }).click(), session.signInOnBrowserPage(beforeAllow, 'Signed in')]);
    await wizard.getByTestId('credentials-capability-needed').waitFor({ state: 'detached', timeout: 20_000 });
    await wizard.getByRole('button', { name: 'Create the new client secret', exact: true }).click();

    // The secret, once: shown, copied, and not shown again when the wizard is opened again.
    await wizard.getByRole('button', { name: 'Show the new secret' }).waitFor({ timeout: 20_000 });
    await shot(page, 'credentials-rotate-created-light', false);
    await wizard.getByRole('button', { name: 'Show the new secret' }).click();
    const revealed = wizard.getByTestId('revealed-secret');
    shownSecret = (await revealed.textContent())!.trim();
    expect(shownSecret.length).toBeGreaterThan(30);
    await wizard.getByRole('button', { name: 'Copy', exact: true }).click();
    await wizard.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shownSecret);
    // Not even a simulated secret goes into a screenshot.
    await page.screenshot({ path: screenshotPath('credentials-rotate-secret-shown-light'), mask: [revealed], animations: 'disabled' });
    await wizard.getByRole('button', { name: 'Close (the rotation waits)' }).click();
    await page.getByTestId('unfinished-rotations').getByRole('button', { name: 'Continue' }).click();
    await wizard.getByTestId('secret-already-shown').waitFor();
    expect(await wizard.getByTestId('revealed-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(shownSecret);

    // The hand-over, with the old one removed now.
    await wizard.getByRole('checkbox', { name: 'I updated the app that uses it' }).check();
    expect(await wizard.getByRole('radio', { name: 'Now' }).isChecked()).toBe(true);
    await shot(page, 'credentials-rotate-handover-light', false);
    await wizard.getByRole('button', { name: 'Confirm the hand-over' }).click();
    const done = wizard.getByTestId('rotation-done');
    await done.waitFor({ timeout: 20_000 });
    await shot(page, 'credentials-rotate-done-light', false);
    await wizard.getByRole('button', { name: 'Done' }).click();

    // Main reads the app again: the old secret is gone and exactly one new one is there.
    const payrollNow = (await reread(microsoft.id)).filter((credential) => credential.ownerName === 'Payroll Sync');
    expect(payrollNow).toHaveLength(1);
    expect(payrollNow[0]!.credentialId).not.toBe(payroll.credentialId);
    expect(payrollNow[0]!.displayName).toMatch(/^Payroll Sync production \(rotated \d{4}-\d{2}-\d{2} by Consentry r:[0-9a-f]{8}\)$/);
    expect(payrollNow[0]!.status).toBe('ok');
    await expect(bridge.services.credentials.read()).resolves.not.toHaveProperty('credentials', expect.arrayContaining([expect.objectContaining({ credentialId: payroll.credentialId })]));
    // Its history has the rotation; the secret is in no answer, event or page.
    await page.getByTestId('credential-table').getByRole('row').filter({ hasText: 'Payroll Sync production (rotated' }).click();
    await page.getByTestId('credential-rotations').getByText('Done').waitFor();
    const carrying = bridge.crossings.filter((crossing) => JSON.stringify(crossing).includes(shownSecret));
    expect(carrying.map((crossing) => (crossing.body as { value?: { format?: string; label?: string } }).value?.label)).toEqual(['Client secret of Payroll Sync']);
    expect(await page.content()).not.toContain(shownSecret);
    await context.close();
  });

  test('revokes a leaked service-account key in one step, after typing what it breaks; Google no longer holds it, and the CSV holds no secret', async () => {
    const { context } = await loopbackOnlyContext(session.browser);
    const page = await context.newPage();
    await openCredentialsPage(page);
    const google = await connectionOf('google');
    const keys = (await reread(google.id)).filter((credential) => credential.kind === 'service_account_key' && credential.managedBy === 'admin' && !credential.disabled);
    const leaked = keys.find((credential) => credential.ownerId.includes('/serviceAccounts/deploy@'))!;

    // The page at 1280×720: ten rows and more at first sight, and no sideways scroll.
    await shot(page, 'credentials-page-light', false);
    const sight = await rowsAtFirstSight(page);
    expect(sight.rows).toBeGreaterThanOrEqual(10);
    expect(sight.sideways).toBe(false);
    await shot(page, 'credentials-page-full-light');

    // Select → Revoke now → the plan → type to confirm → the result per key.
    await page.getByRole('textbox', { name: 'Search' }).fill(leaked.credentialId);
    const table = page.getByTestId('credential-table');
    await expect.poll(() => table.locator('tr[data-index]').count()).toBe(1);
    await table.locator('tr[data-index]').getByRole('checkbox').check();
    await page.getByTestId('credential-selection').getByRole('button', { name: 'Revoke now…' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke 1 credential now?' });
    // The Google connection may not change keys yet: the dialog says so and allows it, then plans.
    const capability = page.getByRole('dialog', { name: 'Revoke now' }).getByTestId('credentials-capability-needed');
    await capability.waitFor({ timeout: 20_000 });
    await shot(page, 'credentials-revoke-capability-light', false);
    const beforeAllow = session.opened.length;
    await capability.getByRole('button', { name: `Allow rotating keys and secrets for ${google.label}` }).click();
    await Promise.all([page.getByRole('button', { name: 'Open browser and allow' }).click(), session.signInOnBrowserPage(beforeAllow)]);
    await revoke.getByTestId('revoke-plan-items').getByText(leaked.credentialId, { exact: true }).waitFor({ timeout: 20_000 });
    expect(await revoke.getByTestId('credentials-capability-needed').count()).toBe(0);
    const plan = await bridge.services.credentials.planRevoke({ keys: [leaked.key] });
    await revoke.getByRole('textbox', { name: /To confirm, type/ }).fill(plan.confirmationText);
    await shot(page, 'credentials-revoke-plan-light', false);
    await revoke.getByRole('button', { name: 'Revoke 1 credential' }).click();
    const results = page.getByTestId('revoke-results');
    await results.getByRole('row').filter({ hasText: 'Revoked' }).waitFor({ timeout: 30_000 });
    await results.getByText('1 credential revoked, 0 failed.').waitFor();
    await shot(page, 'credentials-revoke-result-light', false);
    await page.getByRole('dialog', { name: 'Revocation result' }).getByRole('button', { name: 'Close' }).last().click();

    // Google no longer holds it; the other keys are untouched.
    const after = (await reread(google.id)).filter((credential: Credential) => credential.kind === 'service_account_key');
    expect(after.some((credential) => credential.credentialId === leaked.credentialId)).toBe(false);
    expect(after.filter((credential) => keys.some((key) => key.credentialId === credential.credentialId))).toHaveLength(keys.length - 1);

    // The CSV names credentials, never a secret.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('Payroll Sync production');
    expect(csv).not.toContain(leaked.credentialId);
    if (shownSecret) expect(csv).not.toContain(shownSecret);
    expect(csv).not.toMatch(/PRIVATE KEY|private_key/);
    await context.close();

    const dark = await loopbackOnlyContext(session.browser, { colorScheme: 'dark' });
    const darkPage = await dark.context.newPage();
    await openCredentialsPage(darkPage);
    expect((await rowsAtFirstSight(darkPage)).rows).toBeGreaterThanOrEqual(10);
    await shot(darkPage, 'credentials-page-dark', false);
    await dark.context.close();
  });
});

function screenshotPath(name: string): string {
  return join(fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url)), `${name}.png`);
}
