/**
 * Offboarding day on the sample workspace, as a first-time admin does it in the console: every
 * departed person pasted from HR's list (a manager receiving the data of some, the admin's own
 * account slipped in) → the rows judged → the plan, allowing offboarding where the connections
 * lack it → a dry run that changes nothing → the typed confirmation → the run, with the console
 * quit and started again in the middle → the interrupted run resumed → its evidence exported. The
 * evidence lists every step of every person once, and the tenants' request log shows each change
 * applied once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SampleUser } from '../../src-main/sample/sample-tenant';
import { sampleWorkspaceSeed, sampleWorkspaceUsers } from '../../src-main/sample/sample-workspace';
import { startTenantSimulator, type TenantSimulator } from '../../src-main/sample/simulator/tenant-simulator';
import type { ConnectionView } from '../../src-shared/contract/connections';
import { startBrowserBridge } from '../bridge/browser-bridge';
import { loopbackOnlyContext } from './support/chromium';
import { openSampleSession, shot, type SampleSession } from './support/sample-session';

let session: SampleSession;
let simulator: TenantSimulator;

beforeAll(async () => {
  // Latency the sample's own tenants do not have, so the run lasts long enough to be stopped half-way.
  simulator = await startTenantSimulator({ seed: sampleWorkspaceSeed, users: sampleWorkspaceUsers, faults: { latencyMs: [30, 90] }, dataTransferDurationMs: 1_500 });
  session = await openSampleSession('offboarding', { simulator });
});

afterAll(async () => {
  await session?.close();
});

const effects = () => simulator.calls.flatMap((call) => call.effects ?? []);

async function openOffboardingPage(page: Page) {
  await page.setViewportSize({ width: 1280, height: 720 });
  // The sample's credentials expiring are told as the console opens: the admin closes that notice to work here.
  const credentialNotice = page.getByRole('alert').filter({ has: page.getByTestId('credential-alert-list') });
  await page.addLocatorHandler(credentialNotice, () => credentialNotice.getByRole('button', { name: 'Dismiss' }).click());
  await page.goto(session.bridge.url);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Offboarding/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Offboarding' }).waitFor();
}

/** The whole page from its top (a page left scrolled draws the fixed header part-way down a full-page shot). */
async function shotWhole(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

/** Texts inside `within` drawn cut short (wider than their box; one hidden for screen readers aside), which the admin could not read whole. */
const cutShort = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((within) => [...within.querySelectorAll('p, span')].filter((element) => element.clientWidth > 1 && element.scrollWidth > element.clientWidth + 1).map((element) => element.textContent));

/** Whether the page scrolls sideways at this width. */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** The plan's button for a connection, then the consent at the system browser (Entra's sign-in lands on "Signed in"). */
async function allowOffboarding(page: Page, { label, provider }: ConnectionView) {
  const card = page.getByTestId('offboarding-capability-needed').filter({ hasText: label });
  const before = session.opened.length;
  await card.getByRole('button', { name: `Allow offboarding for ${label}` }).click();
  const dialog = page.getByRole('dialog', { name: `Allow offboarding for ${label}` });
  await dialog.waitFor();
  await Promise.all([dialog.getByRole('button', { name: 'Open browser and allow' }).click(), session.signInOnBrowserPage(before, provider === 'microsoft' ? 'Signed in' : undefined)]);
  await card.waitFor({ state: 'detached', timeout: 20_000 });
}

describe('offboarding the sample workspace’s departed people, with a restart in the middle', () => {
  test('with nothing connected, the page leads to the Connections page', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'consentry-e2e-offboarding-empty-'));
    const bridge = await startBrowserBridge({ dataDirectory: profile });
    const { context } = await loopbackOnlyContext(session.browser);
    try {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(bridge.url);
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Offboarding/ }).click();
      await page.getByTestId('offboarding-no-connection').getByRole('link', { name: 'Open Connections' }).waitFor();
      await shot(page, 'offboarding-0-no-connection-light', false);
    } finally {
      await context.close();
      await bridge.close();
      await rm(profile, { recursive: true, force: true });
    }
  });

  test('pastes the list, fixes it, plans, dry-runs, runs, survives a restart, resumes, and the evidence and the tenants agree each step happened once', async () => {
    const started = Date.now();
    const departed = simulator.tenant.users.filter((user) => user.departed);
    expect(departed.length).toBeGreaterThanOrEqual(20);
    const manager = simulator.tenant.users.find((user) => !user.departed && !user.suspended && !user.isAdmin)!;
    // The account Consentry is signed in with: on HR's list by mistake.
    const adminEmail = (await session.bridge.services.connections.list()).connections.find((connection) => connection.provider === 'google')!.account!;
    const withManager = new Set<SampleUser>(departed.slice(0, 4));

    const { context, blockedRequests } = await loopbackOnlyContext(session.browser);
    let page = await context.newPage();
    await openOffboardingPage(page);

    // No run yet: the history says what it will hold.
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByTestId('runs-empty').waitFor();
    await shot(page, 'offboarding-0-history-empty-light', false);
    await page.getByRole('tab', { name: /^Offboard/ }).click();

    // 1. Import: HR's list pasted as it comes from a spreadsheet, the admin's own account among it.
    const people = departed.map((user) => `${user.primaryEmail};${withManager.has(user) ? manager.primaryEmail : ''}`);
    const lines = ['email;transfer-to', ...people.slice(0, 2), `${adminEmail};`, ...people.slice(2)];
    await page.getByRole('textbox', { name: 'Or paste the list' }).fill(lines.join('\n'));
    expect(await scrollsSideways(page)).toBe(false);
    await shotWhole(page, 'offboarding-1-import-light');
    await page.getByRole('button', { name: `Check ${lines.length} lines` }).click();

    // 2. Review: every row judged; the admin's own account is an error, people without a manager a warning.
    const counts = page.getByTestId('list-counts');
    await counts.waitFor({ timeout: 20_000 });
    await page.getByTestId('directory-checks').getByText('Checked').first().waitFor();
    const table = page.getByTestId('list-table');
    const adminRow = table.getByTestId('list-row').filter({ hasText: adminEmail });
    const list = session.bridge.services.offboarding.list().list!;
    expect(list.rows).toHaveLength(departed.length + 1);
    expect(list.counts.error).toBe(1);
    expect(list.counts.warning).toBeGreaterThan(0);
    expect(await counts.textContent()).toContain('1 error');
    expect(await cutShort(page, 'list-table')).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await shotWhole(page, 'offboarding-2-review-light');
    // The error row is named with its reason; it is dropped.
    await page.getByText(/^Errors · /).click();
    await adminRow.getByText('This is the admin account Consentry is signed in with').waitFor();
    await shot(page, 'offboarding-2-review-errors-light', false);
    await adminRow.getByRole('button', { name: `Drop ${adminEmail}` }).click();
    await page.getByRole('dialog', { name: 'Drop 1 row?' }).getByRole('button', { name: 'Drop 1 row' }).click();
    await adminRow.waitFor({ state: 'detached' });
    await page.getByText(/^All · /).click();
    await page.getByRole('button', { name: 'Continue to the plan' }).click();

    // 3. Plan: offboarding is allowed on each sample connection right here.
    await page.getByRole('button', { name: 'Work out the plan' }).click();
    await page.getByTestId('plan-size').waitFor({ timeout: 20_000 });
    await page.getByTestId('offboarding-capability-needed').first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await shotWhole(page, 'offboarding-3-plan-needs-permission-light');
    const connections = (await session.bridge.services.connections.list()).connections;
    for (const connection of connections) await allowOffboarding(page, connection);
    expect(await page.getByTestId('offboarding-capability-needed').count()).toBe(0);
    expect(await page.getByTestId('plan-size').textContent()).toContain(`${departed.length} people`);
    // The "allowed" notices are read and closed.
    for (const notice of await page.getByRole('alert').filter({ hasText: 'Offboard departed people: allowed' }).all()) await notice.getByRole('button').click();
    await shotWhole(page, 'offboarding-3-plan-light');

    // 4. Dry run: read only.
    const effectsBeforeDryRun = effects().length;
    await page.getByRole('button', { name: 'Start the dry run' }).click();
    await page.getByTestId('dry-run-state').getByText(/nothing was changed/).waitFor({ timeout: 30_000 });
    await page.getByTestId('dry-run-totals').waitFor();
    expect(effects().length).toBe(effectsBeforeDryRun);
    await page.getByRole('region', { name: 'People of the dry run' }).getByRole('button', { name: departed[0]!.primaryEmail.toLowerCase() }).click();
    expect(await scrollsSideways(page)).toBe(false);
    await shotWhole(page, 'offboarding-4-dry-run-light');
    await page.getByRole('button', { name: 'Continue to the run' }).click();

    // 5. The typed confirmation, then the run.
    const plan = session.bridge.services.offboarding.currentPlan().plan!;
    const startForm = page.getByTestId('start-run');
    await startForm.waitFor();
    // Each person named whole before the phrase is typed.
    const named = await startForm.getByTestId('run-people-to-offboard').textContent();
    for (const user of departed) expect(named).toContain(user.primaryEmail.toLowerCase());
    expect(await startForm.getByRole('button', { name: /^Show all/ }).count()).toBe(0);
    expect(await cutShort(page, 'run-people-to-offboard')).toEqual([]);
    await page.getByTestId('run-confirmation').fill(plan.confirmationPhrase);
    await shotWhole(page, 'offboarding-5-confirm-light');
    const effectsBeforeRun = effects().length;
    await startForm.getByRole('button', { name: `Offboard ${departed.length} people` }).click();
    await page.getByTestId('run-progress').waitFor({ timeout: 20_000 });
    const runId = session.bridge.services.offboarding.runs().runs[0]!.job.id;
    // Some steps ended, most not: the console is quit here.
    await expect.poll(() => session.bridge.services.jobs.list().find((job) => job.id === runId)!.succeeded, { timeout: 20_000, interval: 50 }).toBeGreaterThan(10);
    await shot(page, 'offboarding-6-run-progress-light', false);
    const atStop = session.bridge.services.jobs.list().find((job) => job.id === runId)!;
    expect(atStop.state).toBe('running');
    await context.close();
    await session.restart();
    console.log(`[offboarding e2e] restarted after ${atStop.succeeded + atStop.failed + atStop.skipped} of ${atStop.total} steps`);

    // 6. The console again: the interrupted run is offered. The sample workspace asks to be connected again first.
    const reopened = await loopbackOnlyContext(session.browser);
    page = await reopened.context.newPage();
    await openOffboardingPage(page);
    const interrupted = page.getByTestId('interrupted-run');
    await interrupted.waitFor({ timeout: 20_000 });
    // The flow shows the run where it stopped, not its plan again.
    await page.getByTestId('run-state').getByText('Interrupted').waitFor();
    const reconnectFirst = interrupted.getByTestId('interrupted-run-reconnect');
    await reconnectFirst.waitFor();
    expect(await reconnectFirst.textContent()).toContain('The sample workspace starts afresh each time Consentry starts.');
    await shot(page, 'offboarding-7-interrupted-light', false);
    await session.connectSample();
    await reconnectFirst.waitFor({ state: 'detached', timeout: 20_000 });
    await shot(page, 'offboarding-7-interrupted-reconnected-light', false);
    await interrupted.getByRole('button', { name: 'Resume' }).click();

    // 7. Finished, and its evidence.
    await page.getByTestId('run-state').getByText('Finished').waitFor({ timeout: 30_000 });
    expect(await scrollsSideways(page)).toBe(false);
    await shotWhole(page, 'offboarding-8-finished-light');
    const detail = session.bridge.services.offboarding.run(runId);
    expect(detail.job).toMatchObject({ state: 'finished', failed: 0, inDoubt: 0 });
    await page.getByRole('button', { name: 'See the evidence' }).click();
    await page.getByTestId('evidence').waitFor();
    // One person opened: each step with its time, what was read before and after, and the request ids.
    await page.getByTestId('evidence').getByRole('button', { name: departed[0]!.primaryEmail.toLowerCase() }).click();
    await page.getByTestId('evidence-steps').waitFor();
    await shotWhole(page, 'offboarding-9-evidence-light');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('evidence').getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const [header, ...rows] = parse(csv, { bom: true }) as string[][];
    const column = (name: string) => header!.indexOf(name);
    const listed = rows.map((row) => `${row[column('person')]}|${row[column('connection')]}|${row[column('step')]}`);
    const expected = detail.persons.flatMap((person) =>
      person.steps.map((step) => `${person.email}|${detail.connections.find((connection) => connection.connectionId === step.connectionId)!.label}|${step.title}`),
    );
    // Every step of the plan for every person, once: people × steps rows, none repeated, as the run detail has them.
    const stepsPerPerson = plan.connections.reduce((sum, connection) => sum + connection.steps.length, 0);
    expect(rows).toHaveLength(departed.length * stepsPerPerson);
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...expected].sort());
    expect(new Set(rows.map((row) => row[column('person')]))).toEqual(new Set(departed.map((user) => user.primaryEmail.toLowerCase())));
    expect(new Set(rows.map((row) => row[column('status')]))).toEqual(new Set(['succeeded', 'skipped']));

    // The tenants' request log: each change of the run applied once, none twice.
    const applied = effects().slice(effectsBeforeRun);
    expect(applied.length).toBeGreaterThan(departed.length);
    expect(applied.filter((effect, index) => applied.indexOf(effect) !== index)).toEqual([]);
    // And none was missed: nothing a step removes is left, every account is suspended, each manager received the data.
    const { tenant } = simulator;
    for (const user of departed) {
      expect({
        email: user.primaryEmail,
        asps: tenant.asps.filter((asp) => asp.userGoogleId === user.googleId).length,
        tokens: tenant.googleTokens.filter((token) => token.userGoogleId === user.googleId).length,
        grants: tenant.permissionGrants.filter((grant) => grant.consentType === 'Principal' && grant.principalId === user.graphId).length,
        assignments: tenant.appRoleAssignments.filter((assignment) => assignment.principalId === user.graphId).length,
        suspended: user.suspended,
        entraEnabled: tenant.entraAccountEnabled.get(user.graphId),
      }).toEqual({ email: user.primaryEmail, asps: 0, tokens: 0, grants: 0, assignments: 0, suspended: true, entraEnabled: false });
    }
    expect(tenant.dataTransfers.map((transfer) => transfer.oldOwnerUserId).sort()).toEqual([...withManager].map((user) => user.googleId).sort());

    // 8. History.
    await page.getByRole('tab', { name: /^History/ }).click();
    await page.getByTestId('run-history').waitFor();
    await shotWhole(page, 'offboarding-10-history-light');
    expect(reopened.blockedRequests).toEqual([]);
    expect(blockedRequests).toEqual([]);
    await reopened.context.close();

    // The finished run in the dark theme.
    const dark = await loopbackOnlyContext(session.browser, { colorScheme: 'dark' });
    const darkPage = await dark.context.newPage();
    await openOffboardingPage(darkPage);
    await darkPage.getByRole('tab', { name: /^History/ }).click();
    await darkPage.getByTestId('run-history').getByRole('button', { name: /^Open Offboard/ }).click();
    await darkPage.getByTestId('evidence').waitFor();
    await shot(darkPage, 'offboarding-11-run-dark', false);
    await dark.context.close();
    console.log(`[offboarding e2e] the admin's part took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
