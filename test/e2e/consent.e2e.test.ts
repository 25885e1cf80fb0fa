import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserBridge } from '../bridge/browser-bridge';
import { loopbackOnlyContext } from './support/chromium';
import { openSampleSession, shot, type SampleSession } from './support/sample-session';

let session: SampleSession;
let browser: Browser;
let bridge: BrowserBridge;
let opened: string[];

beforeAll(async () => {
  session = await openSampleSession('consent');
  ({ browser, bridge, opened } = session);
});

afterAll(async () => {
  await session?.close();
});

describe('admin consent, as an admin uses it on the sample workspace', () => {
  test('sees why the legacy consent policy fails, fixes it, approves a request with two of its four scopes, and finds exactly those two granted tenant-wide', async () => {
    const { context } = await loopbackOnlyContext(browser);
    const page = await context.newPage();
    await page.goto(bridge.url);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Consent/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Consent' }).waitFor();
    const microsoft = (await bridge.services.connections.list()).connections.find((connection) => connection.provider === 'microsoft')!;
    const card = page.getByTestId(`consent-policy-${microsoft.id}`);
    const userConsent = card.getByTestId('policy-check-microsoft.user_consent');
    await userConsent.getByText('MS.AAD.5.2v1').waitFor({ timeout: 20_000 });
    await userConsent.getByText(/fail/i).first().waitFor();
    await shot(page, 'consent-policies-light');

    // The fix: no user consent. The change needs the consent capability's scopes, asked for in the browser.
    await userConsent.getByRole('button', { name: 'Fix: Let users consent to no app' }).click();
    const change = page.getByRole('dialog', { name: 'Let users consent to no app' });
    await change.getByText('Never (an admin decides)').click();
    await change.getByRole('button', { name: 'Review the change' }).click();
    await change.getByTestId('policy-change-plan').waitFor();
    await change.getByTestId('consent-capability-needed').waitFor();
    await shot(page, 'consent-policy-change-plan-light', false);
    const openedBefore = opened.length;
    await change.getByRole('button', { name: /^Allow managing admin consent for/ }).click();
    const allow = page.getByRole('dialog', { name: `Allow managing admin consent for ${microsoft.label}` });
    await allow.getByText('Policy.ReadWrite.Authorization').first().waitFor();
    await shot(page, 'consent-allow-capability-light', false);
    await Promise.all([allow.getByRole('button', { name: 'Open browser and allow' }).click(), session.signInOnBrowserPage(openedBefore, 'Signed in')]);
    const confirmChange = change.getByRole('button', { name: 'Confirm the change' });
    await expect.poll(() => confirmChange.isEnabled(), { timeout: 20_000 }).toBe(true);
    await confirmChange.click();
    await change.getByText(/Read back/).first().waitFor({ timeout: 20_000 });
    await shot(page, 'consent-policy-change-result-light', false);
    await change.getByRole('button', { name: 'Done' }).click();
    await userConsent.getByText(/pass/i).first().waitFor({ timeout: 20_000 });
    // Main reads the same from the tenant.
    const after = (await bridge.services.consent.policies([microsoft.id])).tenants[0]!;
    expect(after.checks.find((check) => check.id === 'microsoft.user_consent')).toMatchObject({ result: 'pass' });
    expect(after.microsoft?.permissionGrantPoliciesAssigned.some((policy) => policy.startsWith('ManagePermissionGrantsForSelf.'))).toBe(false);

    // The request queue: Board Notes asks for four delegated scopes; the admin keeps two.
    await page.getByRole('tab', { name: /^Requests/ }).click();
    const pending = (await bridge.services.consent.requests()).requests.find((request) => request.appName === 'Board Notes')!;
    expect(pending.scopes.map((scope) => scope.scope)).toEqual(['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']);
    const row = page.getByTestId(`consent-request-${pending.id}`);
    await row.getByText('Board Notes').first().waitFor();
    await shot(page, 'consent-requests-light');
    await row.getByRole('button', { name: 'Review and approve…' }).click();
    const wizard = page.getByRole('dialog', { name: 'Grant admin consent: Board Notes' });
    await wizard.getByTestId('consent-review').waitFor();
    for (const scope of ['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']) expect(await wizard.getByRole('checkbox', { name: `Keep ${scope}` }).isChecked()).toBe(true);
    await wizard.getByRole('checkbox', { name: 'Keep Mail.Read' }).uncheck();
    await wizard.getByRole('checkbox', { name: 'Keep Files.Read.All' }).uncheck();
    await shot(page, 'consent-grant-review-light', false);
    await wizard.getByRole('button', { name: 'Work out the plan' }).click();
    await wizard.getByTestId('consent-grant-plan').waitFor();
    await shot(page, 'consent-grant-plan-light', false);
    await wizard.getByRole('button', { name: 'Grant consent' }).click();
    const granted = wizard.getByTestId('granted-consent');
    await granted.getByText('Exactly what you kept').waitFor({ timeout: 30_000 });
    await shot(page, 'consent-grant-result-light', false);
    await wizard.getByRole('button', { name: 'Done' }).click();

    // The tenant holds exactly the two, tenant-wide; the request is no longer pending.
    const held = (await bridge.services.consent.review({ connectionId: microsoft.id, appId: pending.appId, delegated: [], application: [] })).delegated.filter((scope) => scope.granted).map((scope) => scope.scope);
    expect(held.sort()).toEqual(['Calendars.Read', 'User.Read']);
    await expect.poll(async () => (await bridge.services.consent.requests()).requests.some((request) => request.id === pending.id)).toBe(false);

    // The tenant-wide consents (from the scan the grant started) list exactly those two for Board Notes.
    await page.getByRole('tab', { name: 'Tenant-wide consents' }).click();
    const consents = page.getByTestId('tenant-wide-consents');
    const boardNotes = consents.getByRole('row').filter({ hasText: 'Board Notes' });
    await boardNotes.waitFor({ timeout: 60_000 });
    await boardNotes.getByText('User.Read', { exact: true }).waitFor();
    await boardNotes.getByText('Calendars.Read', { exact: true }).waitFor();
    expect(await boardNotes.getByText('Mail.Read', { exact: true }).count()).toBe(0);
    expect(await boardNotes.getByText('Files.Read.All', { exact: true }).count()).toBe(0);
    await shot(page, 'consent-tenant-wide-light');

    // Each step is in the history, with the scope list.
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByText(/Board Notes: User\.Read Calendars\.Read \(dropped Mail\.Read Files\.Read\.All\)/).first().waitFor({ timeout: 20_000 });
    await shot(page, 'consent-history-light');

    // Later, the consent is revoked with the grant audit's revocation, from the tenant-wide list.
    await page.getByRole('tab', { name: 'Tenant-wide consents' }).click();
    await boardNotes.getByRole('button', { name: 'Actions for Board Notes' }).click();
    await page.getByRole('menuitem', { name: 'Revoke…' }).click();
    const revoke = page.getByRole('dialog', { name: 'Revoke 1 grant?' });
    await revoke.getByText('Board Notes').first().waitFor();
    const beforeRevoke = opened.length;
    await revoke.getByRole('button', { name: /^Allow revoking grants for/ }).click();
    await Promise.all([page.getByRole('button', { name: 'Open browser and allow' }).click(), session.signInOnBrowserPage(beforeRevoke, 'Signed in')]);
    const confirmRevoke = revoke.getByRole('button', { name: 'Revoke 1 grant' });
    await expect.poll(() => confirmRevoke.isEnabled(), { timeout: 20_000 }).toBe(true);
    await confirmRevoke.click();
    const revoked = page.getByRole('dialog', { name: 'Revocation result' });
    await revoked.getByRole('row', { name: /Board Notes.*Revoked/ }).waitFor({ timeout: 30_000 });
    await shot(page, 'consent-revoke-result-light', false);
    await revoked.getByRole('button', { name: 'Done' }).click();
    // Nothing asked and nothing held: the review says so instead of offering an empty grant.
    await expect(bridge.services.consent.review({ connectionId: microsoft.id, appId: pending.appId, delegated: [], application: [] })).rejects.toThrow(/holds none/);
    await expect.poll(async () => (await consents.getByRole('row').filter({ hasText: 'Board Notes' }).count()), { timeout: 30_000 }).toBe(0);

    // Google's API controls are read once the consent capability is allowed there (Google has no API to change them).
    const google = (await bridge.services.connections.list()).connections.find((connection) => connection.provider === 'google')!;
    await page.getByRole('tab', { name: 'Policies' }).click();
    const googleCard = page.getByTestId(`consent-policy-${google.id}`);
    const beforeGoogle = opened.length;
    await googleCard.getByRole('button', { name: /^Allow managing admin consent for/ }).click();
    await Promise.all([page.getByRole('button', { name: 'Open browser and allow' }).click(), session.signInOnBrowserPage(beforeGoogle)]);
    const unconfigured = googleCard.getByTestId('policy-check-google.unconfigured_apps');
    await unconfigured.getByText('GWS.COMMONCONTROLS.10.4v1').waitFor({ timeout: 20_000 });
    await unconfigured.getByText(/fail/i).first().waitFor();
    await shot(page, 'consent-policies-google-light');
    await context.close();

    const dark = await loopbackOnlyContext(browser, { colorScheme: 'dark' });
    const darkPage = await dark.context.newPage();
    await darkPage.goto(bridge.url);
    await darkPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Consent/ }).click();
    await darkPage.getByTestId(`consent-policy-${microsoft.id}`).getByText('MS.AAD.5.2v1').waitFor({ timeout: 20_000 });
    await shot(darkPage, 'consent-policies-dark');
    await dark.context.close();
  });
});
