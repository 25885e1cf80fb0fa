import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserBridge } from '../bridge/browser-bridge';
import { loopbackOnlyContext } from './support/chromium';
import { openSampleSession, shot, type SampleSession } from './support/sample-session';

let session: SampleSession;
let browser: Browser;
let bridge: BrowserBridge;
let opened: string[];

beforeAll(async () => {
  session = await openSampleSession('grants');
  ({ browser, bridge, opened } = session);
});

afterAll(async () => {
  await session?.close();
});

/** A name as a pattern matching it letter for letter: app names carry brackets ("App passwords (app-specific passwords)"). */
const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function scanAndWait(page: Page): Promise<void> {
  const previous = (await bridge.services.grants.status()).snapshot?.id;
  await page.getByRole('button', { name: 'Scan now' }).first().click();
  await expect.poll(async () => (await bridge.services.grants.status()).snapshot?.id, { timeout: 60_000 }).not.toBe(previous);
  await page.getByText('Grant scan finished').first().waitFor();
}

describe('the grant audit, as an admin uses it on the sample workspace', () => {
  test('scans, finds the critical grants, allows revoking without a new scope, revokes one as a job, rescans it gone, and exports the view as CSV', async () => {
    const { context, blockedRequests } = await loopbackOnlyContext(browser);
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Grants/ }).click();
    await page.getByText('No grant scan yet').waitFor();
    await shot(page, 'grants-first-scan-light');

    await scanAndWait(page);
    await page.getByRole('tab', { name: /^Apps/ }).waitFor();
    await shot(page, 'grants-apps-light');

    // The tenant's critical grants, as main knows them: the page must show the same.
    const critical = await bridge.services.grants.grants({ filter: { risks: ['critical'], providers: ['google'] }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 1_000 });
    expect(critical.total).toBeGreaterThan(0);
    const target = critical.rows.find((row) => row.user !== null)!;

    await page.getByRole('tab', { name: /^By user/ }).click();
    await page.getByRole('group', { name: 'Risk' }).getByText('Critical', { exact: true }).click();
    await page.getByLabel('Search').fill(target.user!);
    const matching = await bridge.services.grants.grants({ filter: { risks: ['critical'], text: target.user! }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 1 });
    await page.getByText(new RegExp(`^${matching.total} grants? match`)).waitFor();
    // The same app may hold grants in both tenants: the row of the Google one.
    const targetRow = page.getByRole('row').filter({ has: page.getByRole('checkbox', { name: `Select ${target.appName} for ${target.user}` }) }).filter({ hasText: 'Google Workspace' });
    const checkbox = targetRow.getByRole('checkbox');
    await checkbox.waitFor();
    await shot(page, 'grants-by-user-critical-light');

    // An app opens with each scope explained and the provider's record as evidence.
    await targetRow.click();
    const drawer = page.getByRole('dialog', { name: new RegExp(literally(target.appName)) });
    await drawer.getByText(/Evidence/).first().waitFor();
    await drawer.getByText('Critical').first().waitFor();
    await shot(page, 'grants-app-drawer-light', false);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await checkbox.check();
    await page.getByRole('button', { name: 'Revoke…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke 1 grant?' });
    await dialog.getByText(`${target.appName}`).first().waitFor();
    await dialog.getByRole('button', { name: /^Allow revoking grants for/ }).waitFor();
    await shot(page, 'grants-revoke-needs-permission-light', false);

    // Revoking a Google grant needs no scope beyond the audit's: allowing it opens no browser.
    const before = opened.length;
    await dialog.getByRole('button', { name: /^Allow revoking grants for/ }).click();
    await page.getByTestId('no-new-scope').waitFor();
    await shot(page, 'grants-revoke-allow-light', false);
    await page.getByRole('button', { name: 'Allow revoking grants', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke 1 grant?' }).getByRole('button', { name: 'Revoke 1 grant' });
    await expect.poll(() => confirm.isEnabled(), { timeout: 15_000 }).toBe(true);
    expect(opened.length).toBe(before);
    const sampleGoogle = (await bridge.services.connections.list()).connections.find((connection) => connection.provider === 'google')!;
    expect(sampleGoogle.scopesRequested.filter((scope) => !sampleGoogle.scopesGranted.includes(scope))).toEqual([]);
    await shot(page, 'grants-revoke-confirm-light', false);
    await confirm.click();

    const results = page.getByRole('dialog', { name: 'Revocation result' });
    await results.getByRole('paragraph').filter({ hasText: /^Verified$/ }).waitFor({ timeout: 30_000 });
    await results.getByRole('row', { name: new RegExp(`${literally(target.appName)}.*${literally(target.user!)}.*Revoked`) }).waitFor();
    await shot(page, 'grants-revoke-result-light', false);
    await results.getByRole('button', { name: 'Done' }).click();

    // The job is on disk with its outcome, and the activity log has the job and the grant.
    const [job] = bridge.services.jobs.list();
    expect(job).toMatchObject({ kind: 'grants.revoke', state: 'finished', succeeded: 1, failed: 0, inDoubt: 0 });

    // At the provider it is gone, and a fresh scan no longer finds it.
    const remaining = (await bridge.services.sample.status()).running;
    expect(remaining).toBe(true);
    await scanAndWait(page);
    const after = await bridge.services.grants.grants({ filter: { text: target.user! }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 1_000 });
    expect(after.rows.some((row) => row.appKey === target.appKey && row.user === target.user)).toBe(false);
    await targetRow.waitFor({ state: 'detached' });

    // The current view, exported: only critical grants of that user, as RFC 4180 with a BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFprovider,connection,app,client_id,user,')).toBe(true);
    const rows = csv.trim().split('\r\n').slice(1);
    const expected = await bridge.services.grants.grants({ filter: { risks: ['critical'], text: target.user! }, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 1_000 });
    expect(rows).toHaveLength(expected.total);
    for (const row of rows) expect(row).toContain(target.user!);
    for (const row of rows) expect(row).toContain(',critical,');

    // The same page in the dark theme.
    const dark = await loopbackOnlyContext(browser, { colorScheme: 'dark' });
    const darkPage = await dark.context.newPage();
    await darkPage.goto(bridge.url);
    await darkPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Grants/ }).click();
    await darkPage.getByRole('tab', { name: /^Apps/ }).waitFor();
    await shot(darkPage, 'grants-apps-dark');
    await dark.context.close();

    const activity = await bridge.services.activity.list({ action: 'grants.revoke' }, 0, 10);
    expect(activity.entries.map((entry) => entry.result)).toEqual(['succeeded']);
    expect((await bridge.services.activity.list({ action: 'job.finished' }, 0, 10)).entries).toHaveLength(1);
    expect(blockedRequests).toEqual([]);
    await context.close();
  });
});
