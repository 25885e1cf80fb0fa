import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { saveTextFile } from '../../../src-renderer/src/files/save-text-file';
import { GrantsPage } from '../../../src-renderer/src/pages/GrantsPage';
import { ok, refused } from './connection-fixtures';
import { appsByRisk, grantConsole, layOutVirtualTables, pageOf, revocationJob, revocationPlan, revocationReport } from './grant-fixtures';
import { renderWithConsole } from './render-with-console';

vi.mock('../../../src-renderer/src/files/save-text-file', () => ({ saveTextFile: vi.fn() }));

layOutVirtualTables();

async function selectAndRevoke(...names: string[]) {
  const table = await screen.findByTestId('grant-apps-table');
  for (const name of names) await userEvent.click(await within(table).findByLabelText(`Select ${name}`));
  await userEvent.click(within(screen.getByTestId('selection-bar')).getByRole('button', { name: 'Revoke…' }));
}

// A whole working page per test; jsdom draws it slowly on a busy machine.
describe('revoking grants', { timeout: 20_000 }, () => {
  test('the confirmation counts tenant-wide consents apart: they remove access for everyone', async () => {
    const plan = revocationPlan({ users: 41, tenantWide: 1 });
    renderWithConsole(<GrantsPage />, grantConsole({ 'grants.planRevocation': () => ok(plan) }));
    await selectAndRevoke('InboxZen');
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    expect(within(dialog).getByTestId('revocation-statement')).toHaveTextContent('Revoke 42 grants of 1 app for 41 users and 1 tenant-wide consent (everyone in the tenant), in 1 connection.');
  });

  test('the confirmation states what is revoked, for whom and how many, and needs the typed text when main asks', async () => {
    const plan = revocationPlan({ confirmationText: 'revoke 42 grants' });
    const running = revocationJob({ state: 'running', succeeded: 0, failed: 0, notStarted: 42 });
    const { requestsTo, emit } = renderWithConsole(
      <GrantsPage />,
      grantConsole({ 'grants.planRevocation': () => ok(plan), 'grants.revoke': () => ok(running), 'jobs.list': () => ok({ jobs: [running] }) }),
    );
    await selectAndRevoke('InboxZen');
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    expect(requestsTo('grants.planRevocation')).toEqual([{ snapshotId: 'snap-2', appKeys: ['google:conn-acme:inboxzen'], grantKeys: [] }]);
    expect(within(dialog).getByTestId('revocation-statement')).toHaveTextContent('Revoke 42 grants of 1 app for 42 users, in 1 connection.');
    const items = within(dialog).getByTestId('revocation-items');
    expect(items).toHaveTextContent('alice@acme.example');
    expect(items).toHaveTextContent('bob@acme.example');
    expect(items).toHaveTextContent('Delete the user’s tokens for this client');
    expect(dialog).toHaveTextContent('The first 2 of 42 grants');
    expect(within(dialog).getByTestId('revocation-connections')).toHaveTextContent('Acme Workspace');
    expect(within(dialog).getByTestId('revocation-warnings')).toHaveTextContent('Access tokens already issued stay valid until they expire');
    expect(within(dialog).queryByRole('checkbox', { name: /sign these users out/ })).not.toBeInTheDocument();

    const confirm = within(dialog).getByRole('button', { name: 'Revoke 42 grants' });
    expect(confirm).toBeDisabled();
    const typed = within(dialog).getByRole('textbox', { name: 'To confirm, type revoke 42 grants' });
    await userEvent.type(typed, 'revoke 42 grant');
    expect(confirm).toBeDisabled();
    await userEvent.type(typed, 's');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);
    expect(requestsTo('grants.revoke')).toEqual([{ planId: 'plan-1', revokeSessions: false, confirmation: 'revoke 42 grants' }]);

    emit('jobs.progress', { ...running, succeeded: 9, failed: 1, notStarted: 32, etaSeconds: 20 });
    await waitFor(() => expect(within(dialog).getByTestId('job-progress')).toHaveTextContent('Running · 10 of 42 grants handled'));
    expect(within(dialog).getByTestId('job-progress')).toHaveTextContent('less than a minute left');
    emit('jobs.progress', revocationJob({ id: 'another-job', state: 'running', succeeded: 1 }));
    expect(within(dialog).getByTestId('job-progress')).toHaveTextContent('Running · 10 of 42 grants handled');
    emit('jobs.progress', revocationJob());
    await within(dialog).findByTestId('revocation-results');
    expect(within(dialog).queryByTestId('job-progress')).not.toBeInTheDocument();
  });

  test('the per-item results list the failures first, with their reason, and whether each was verified', async () => {
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({
        'grants.planRevocation': () => ok(revocationPlan()),
        'grants.revoke': () => ok(revocationJob()),
        'jobs.list': () => ok({ jobs: [revocationJob()] }),
        'grants.revocationCsv': () => ok({ fileName: 'consentry-revocation-job-1.csv', content: '\uFEFFapp,user\r\n', rows: 0 }),
      }),
    );
    await selectAndRevoke('InboxZen');
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke 42 grants' }));
    const results = await screen.findByTestId('revocation-results');
    expect(results).toHaveTextContent('Some grants were not revoked');
    expect(results).toHaveTextContent('1 grant revoked, 1 failed.');
    // Failures are shown first; the whole list is one click away.
    const failed = within(results).getByTestId('revocation-result-items');
    const bob = within(failed).getByRole('row', { name: /bob@acme\.example/ });
    expect(within(bob).getByText('Failed')).toBeInTheDocument();
    expect(within(bob).getByText('Not verified')).toBeInTheDocument();
    expect(bob).toHaveTextContent('Google refused: the admin lacks the right to manage this user’s tokens.');
    expect(bob).toHaveTextContent('permission_denied');
    expect(within(failed).queryByText('alice@acme.example')).not.toBeInTheDocument();
    await userEvent.click(within(results).getByRole('radio', { name: 'All (2)' }));
    const alice = within(results).getByRole('row', { name: /alice@acme\.example/ });
    expect(within(alice).getByText('Revoked')).toBeInTheDocument();
    expect(within(alice).getByText('Verified')).toBeInTheDocument();
    // The whole list comes from main as CSV.
    await userEvent.click(within(results).getByRole('button', { name: 'Save results as CSV' }));
    await waitFor(() => expect(requestsTo('grants.revocationCsv')).toEqual([{ jobId: 'job-1' }]));
    expect(vi.mocked(saveTextFile)).toHaveBeenCalledWith('consentry-revocation-job-1.csv', '\uFEFFapp,user\r\n', 'text/csv;charset=utf-8');
    // The selection that was revoked is cleared.
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('selection-bar')).not.toBeInTheDocument();
  });

  test('revokes single grants selected in the by-user view, and signs the users out when asked', async () => {
    const plan = revocationPlan({
      total: 1,
      users: 1,
      items: [revocationPlan().items[0]!],
      connections: [{ connectionId: 'conn-ms', label: 'Contoso', provider: 'microsoft', grants: 1, needsRemediate: false, offersSessionRevocation: true }],
    });
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({
        'grants.planRevocation': () => ok(plan),
        'grants.revoke': () => ok(revocationJob({ total: 2, succeeded: 2, failed: 0 })),
        'jobs.list': () => ok({ jobs: [revocationJob({ total: 2, succeeded: 2, failed: 0 })] }),
        'grants.revocationReport': () => ok(revocationReport({ items: [revocationReport().items[0]!], total: 1, failed: 0, sessionsRevoked: 1 })),
      }),
    );
    await screen.findByTestId('grant-apps-table');
    await userEvent.click(screen.getByRole('tab', { name: /By user/ }));
    const table = await screen.findByTestId('grants-by-user-table');
    await userEvent.click(await within(table).findByLabelText('Select InboxZen for alice@acme.example'));
    expect(screen.getByTestId('selection-bar')).toHaveTextContent('1 grant selected');
    await userEvent.click(within(screen.getByTestId('selection-bar')).getByRole('button', { name: 'Revoke…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 1 grant?' });
    expect(requestsTo('grants.planRevocation')).toEqual([{ snapshotId: 'snap-2', appKeys: [], grantKeys: ['google:conn-acme:inboxzen:alice'] }]);
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /Also sign these users out \(revoke sign-in sessions\)/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke 1 grant' }));
    expect(await within(dialog).findByTestId('revocation-results')).toHaveTextContent('1 user signed out everywhere.');
    expect(requestsTo('grants.revoke')).toEqual([{ planId: 'plan-1', revokeSessions: true, confirmation: '' }]);
  });

  test('offers to allow revoking where a connection may not revoke yet, without a sign-in when no scope is missing, then plans again', async () => {
    const needing = revocationPlan({ connections: [{ connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', grants: 42, needsRemediate: true, offersSessionRevocation: false }] });
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({
        'grants.planRevocation': () => ok(needing),
      }),
    );
    await selectAndRevoke('InboxZen');
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    const remediation = within(dialog).getByTestId('remediation-needed');
    expect(remediation).toHaveTextContent('Consentry has not been allowed to revoke grants at Google Workspace for this connection');
    expect(remediation).toHaveTextContent('Revoking needs no scope beyond what the audit already holds');
    expect(within(dialog).getByRole('button', { name: 'Revoke 42 grants' })).toBeDisabled();
    await userEvent.click(within(remediation).getByRole('button', { name: 'Allow revoking grants for Acme Workspace' }));
    // Revoking Google grants adds no scope: allowing it opens no browser.
    const reconnect = await screen.findByRole('dialog', { name: 'Allow revoking grants for Acme Workspace' });
    expect(within(reconnect).getByTestId('no-new-scope')).toBeInTheDocument();
    await userEvent.click(within(reconnect).getByRole('button', { name: 'Cancel' }));
    await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    await waitFor(() => expect(requestsTo('grants.planRevocation')).toHaveLength(2));
  });

  test('a revocation interrupted by a restart is listed with what ended and what is unknown, and can be resumed or stopped', async () => {
    const interrupted = revocationJob({
      state: 'interrupted',
      reason: 'Consentry stopped while this job was running, with 2 items under way: they are not counted as done, and Consentry checks each again before going on.',
      succeeded: 20,
      failed: 0,
      inDoubt: 2,
      notStarted: 20,
    });
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({ 'jobs.list': () => ok({ jobs: [interrupted, revocationJob({ id: 'job-old' })] }), 'jobs.resume': () => ok({ ...interrupted, state: 'running' }) }),
    );
    const jobs = await screen.findByTestId('revocation-jobs');
    // Only the unfinished one: a finished revocation is in the activity log, not here.
    expect(within(jobs).getAllByTestId('job-progress')).toHaveLength(1);
    expect(jobs).toHaveTextContent('Interrupted · 20 of 42 grants handled');
    expect(jobs).toHaveTextContent('20 done, 0 failed, 20 not started, 2 unknown.');
    expect(jobs).toHaveTextContent('with 2 items under way: they are not counted as done, and Consentry checks each again before going on.');
    // Said once: the card adds nothing to an interruption's own reason.
    expect(jobs).not.toHaveTextContent('resuming checks them again');
    expect(within(jobs).getByRole('button', { name: 'Stop and report' })).toBeInTheDocument();
    await userEvent.click(within(jobs).getByRole('button', { name: 'Resume' }));
    expect(requestsTo('jobs.resume')).toEqual([{ jobId: 'job-1' }]);
    await within(jobs).findByRole('button', { name: 'Pause' });
    expect(within(jobs).getByRole('button', { name: 'Cancel the rest' })).toBeInTheDocument();
  });

  test('an expired plan is said so and can be worked out again', async () => {
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({
        'grants.planRevocation': () => ok(revocationPlan()),
        'grants.revoke': () => refused({ code: 'plan_expired', message: 'This plan was made for a scan that has been replaced.', nextStep: 'Work out the plan again.' }),
      }),
    );
    await selectAndRevoke('InboxZen');
    const dialog = await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke 42 grants' }));
    const alert = await within(dialog).findByRole('alert', { name: /Nothing was revoked/ });
    expect(alert).toHaveTextContent('This plan was made for a scan that has been replaced.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Work out the plan again' }));
    await waitFor(() => expect(requestsTo('grants.planRevocation')).toHaveLength(2));
  });

  test('revokes an app for everyone from its details', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole({ 'grants.planRevocation': () => ok(revocationPlan()) }));
    const table = await screen.findByTestId('grant-apps-table');
    await userEvent.click(await within(table).findByText('InboxZen'));
    const drawer = await screen.findByRole('dialog', { name: 'InboxZen' });
    await userEvent.click(await within(drawer).findByRole('button', { name: 'Revoke InboxZen for 42 users…' }));
    await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    expect(requestsTo('grants.planRevocation')).toEqual([{ snapshotId: 'snap-2', appKeys: ['google:conn-acme:inboxzen'], grantKeys: [] }]);
  });

  test('selects every matching app, read in pages of keys, for one revocation', async () => {
    const many = Array.from({ length: 2_345 }, (_, index) => ({ ...appsByRisk[index % 4]!, key: `app-${index}`, name: `App ${index}` }));
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({ 'grants.apps': (request) => pageOf(many, request), 'grants.planRevocation': () => ok(revocationPlan()) }),
    );
    const table = await screen.findByTestId('grant-apps-table');
    await userEvent.click(await within(table).findByLabelText('Select App 0'));
    await userEvent.click(within(screen.getByTestId('selection-bar')).getByRole('button', { name: 'Select all 2,345 matching' }));
    await waitFor(() => expect(screen.getByTestId('selection-bar')).toHaveTextContent('2,345 apps selected'));
    const collected = (requestsTo('grants.apps') as { limit: number; offset: number }[]).filter((request) => request.limit === 1_000);
    expect(collected.map((request) => request.offset)).toEqual([0, 1_000, 2_000]);
    await userEvent.click(within(screen.getByTestId('selection-bar')).getByRole('button', { name: 'Revoke…' }));
    await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    const [selection] = requestsTo('grants.planRevocation') as { appKeys: string[] }[];
    expect(selection!.appKeys).toHaveLength(2_345);
  });
});
