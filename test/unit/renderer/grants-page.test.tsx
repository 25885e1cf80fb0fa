import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { GrantChangeListSchema } from '../../../src-shared/contract/grants';
import { saveTextFile } from '../../../src-renderer/src/files/save-text-file';
import { GrantsPage } from '../../../src-renderer/src/pages/GrantsPage';
import { ok, refused } from './connection-fixtures';
import {
  acmeScannable,
  appDetail,
  appRow,
  appsByRisk,
  auditStatus,
  grantConsole,
  grantRow,
  hoursAgo,
  layOutVirtualTables,
  pageOf,
  scannedConnection,
  scanProgress,
  snapshot,
} from './grant-fixtures';
import { renderWithConsole } from './render-with-console';

vi.mock('../../../src-renderer/src/files/save-text-file', () => ({ saveTextFile: vi.fn() }));

layOutVirtualTables();

type PageRequest = { filter: Record<string, unknown>; sort: { column: string; direction: string }; offset: number; limit: number };

async function appRows() {
  const table = await screen.findByTestId('grant-apps-table');
  await within(table).findByText('InboxZen');
  return within(table)
    .getAllByRole('row')
    .filter((row) => row.hasAttribute('data-index'));
}

// A whole working page per test; jsdom draws it slowly on a busy machine.
describe('grants page', { timeout: 20_000 }, () => {
  test('opens on the last scan with its apps, worst risk first', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole());
    const rows = await appRows();
    expect(rows.map((row) => within(row).getAllByRole('cell')[1]!.textContent)).toEqual([
      expect.stringContaining('InboxZen'),
      expect.stringContaining('DriveSync'),
      expect.stringContaining('MeetSlot'),
      expect.stringContaining('Grammarly'),
    ]);
    expect(within(rows[0]!).getByText('Critical')).toBeInTheDocument();
    expect(rows[0]).toHaveTextContent('InboxZen Ltd');
    expect(rows[0]).toHaveTextContent('42');
    expect(rows[0]).toHaveTextContent('2 scopes');
    expect(rows[0]).toHaveTextContent('User');
    expect(rows[0]).toHaveTextContent('3 hours ago');
    expect(rows[2]).toHaveTextContent('Tenant-wide');
    expect(screen.getByRole('columnheader', { name: 'Risk' })).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('columnheader', { name: 'Users' })).toHaveAttribute('aria-sort', 'none');
    expect(requestsTo('grants.apps')[0]).toEqual({ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 200 });
    const summary = screen.getByTestId('snapshot-summary');
    expect(summary).toHaveTextContent('4third-party apps');
    expect(summary).toHaveTextContent('Critical: 1');
  });

  test('filtering to Critical sends the filter to main and shows what matches', async () => {
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({
        'grants.apps': (request) => {
          const { filter } = request as PageRequest;
          const risks = filter.risks as string[] | undefined;
          return pageOf(risks ? appsByRisk.filter((app) => risks.includes(app.risk)) : appsByRisk, request);
        },
      }),
    );
    await appRows();
    await userEvent.click(within(screen.getByRole('group', { name: 'Risk' })).getByRole('checkbox', { name: 'Critical' }));
    await waitFor(() => expect(requestsTo('grants.apps').at(-1)).toMatchObject({ filter: { risks: ['critical'] }, offset: 0 }));
    expect(await screen.findByText('1 app match the filters')).toBeInTheDocument();
    const table = screen.getByTestId('grant-apps-table');
    await waitFor(() => expect(within(table).queryByText('DriveSync')).not.toBeInTheDocument());
  });

  test('searching, a scope and tenant-wide consent narrow the same request', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole());
    await appRows();
    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'inbox');
    await userEvent.click(screen.getByRole('radio', { name: 'Tenant-wide' }));
    await waitFor(() => expect(requestsTo('grants.apps').at(-1)).toMatchObject({ filter: { text: 'inbox', consent: 'tenant' } }));
  });

  test('a sort header asks main for that order and says so with aria-sort', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole());
    await appRows();
    await userEvent.click(screen.getByRole('button', { name: 'Users' }));
    await waitFor(() => expect(requestsTo('grants.apps').at(-1)).toMatchObject({ sort: { column: 'users', direction: 'desc' }, offset: 0 }));
    expect(screen.getByRole('columnheader', { name: 'Users' })).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('columnheader', { name: 'Risk' })).toHaveAttribute('aria-sort', 'none');
    await userEvent.click(screen.getByRole('button', { name: 'Users' }));
    await waitFor(() => expect(requestsTo('grants.apps').at(-1)).toMatchObject({ sort: { column: 'users', direction: 'asc' } }));
    await userEvent.click(screen.getByRole('button', { name: 'App' }));
    await waitFor(() => expect(requestsTo('grants.apps').at(-1)).toMatchObject({ sort: { column: 'name', direction: 'asc' } }));
  });

  test('opening an app shows its rating, each scope with its risk and reason, its users and the evidence', async () => {
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole());
    const [inboxZen] = await appRows();
    await userEvent.click(inboxZen!);
    const drawer = await screen.findByRole('dialog', { name: 'InboxZen' });
    const scopes = await within(drawer).findByTestId('app-scopes');
    const gmail = within(scopes).getByRole('row', { name: /mail\.google\.com/ });
    expect(within(gmail).getByText('Critical')).toBeInTheDocument();
    expect(gmail).toHaveTextContent('Reads, sends and permanently deletes all of the user’s mail.');
    expect(within(scopes).getByRole('row', { name: /userinfo\.profile/ })).toHaveTextContent('Sees the user’s name and profile picture.');
    expect(within(drawer).getByTestId('risk-factors')).toHaveTextContent('The publisher is not verified by Google.');
    expect(within(drawer).getByTestId('app-grants')).toHaveTextContent('bob@acme.example');
    const evidence = within(drawer).getByTestId('app-evidence');
    expect(evidence.querySelector('pre, code')?.textContent).toContain('"kind": "admin#directory#token"');
    expect(within(evidence).getByRole('button', { name: 'Copy the record for alice@acme.example' })).toBeInTheDocument();
    expect(requestsTo('grants.app')).toEqual([{ key: 'google:conn-acme:inboxzen' }]);
  });

  test('the by-user view lists one row per grant and opens the grant’s app', async () => {
    const { requestsTo } = renderWithConsole(
      <GrantsPage />,
      grantConsole({ 'grants.list': (request) => pageOf([grantRow(), grantRow({ key: 'tenant', user: null, consent: 'tenant', appName: 'MeetSlot', appKey: 'google:conn-acme:calendly' })], request) }),
    );
    await appRows();
    await userEvent.click(screen.getByRole('tab', { name: /By user/ }));
    const table = await screen.findByTestId('grants-by-user-table');
    expect(await within(table).findByText('alice@acme.example')).toBeInTheDocument();
    expect(within(table).getByText('Everyone in the tenant')).toBeInTheDocument();
    expect(requestsTo('grants.list')[0]).toEqual({ filter: {}, sort: { column: 'risk', direction: 'desc' }, offset: 0, limit: 200 });
    await userEvent.click(within(table).getByText('alice@acme.example'));
    await screen.findByRole('dialog', { name: 'InboxZen' });
    expect(requestsTo('grants.app')).toEqual([{ key: 'google:conn-acme:inboxzen' }]);
  });

  test('a partial scan says so and lists what could not be read and why', async () => {
    const partial = snapshot({
      partial: true,
      connections: [
        scannedConnection({
          outcome: 'partial',
          completed: 118,
          incomplete: [
            { what: 'carol@acme.example', reason: 'Google answered 403: the admin cannot read this user’s tokens.' },
            { what: 'dave@acme.example', reason: 'Quota exhausted; try again after midnight Pacific time.' },
          ],
        }),
      ],
    });
    renderWithConsole(<GrantsPage />, grantConsole({}, auditStatus({ snapshot: partial })));
    const notice = await screen.findByTestId('partial-scan');
    expect(notice).toHaveTextContent('This scan is partial');
    expect(notice).toHaveTextContent('the numbers on this page are a floor');
    expect(notice).toHaveTextContent('carol@acme.example — Google answered 403: the admin cannot read this user’s tokens.');
    expect(notice).toHaveTextContent('dave@acme.example — Quota exhausted');
    const coverage = screen.getByTestId('coverage-conn-acme');
    expect(within(coverage).getByText('Partial')).toBeInTheDocument();
    expect(coverage).toHaveTextContent('118 of 120 users');
  });

  test('a provider without an admin listing is shown as such, not as empty', async () => {
    const withPipedrive = snapshot({
      connections: [
        scannedConnection(),
        scannedConnection({ connectionId: 'conn-pd', label: 'Acme Pipedrive', provider: 'pipedrive', outcome: 'not_supported', completed: 0, total: 0, note: 'Pipedrive has no admin listing of the apps its users installed.', errorCode: 'not_supported' }),
      ],
    });
    renderWithConsole(<GrantsPage />, grantConsole({}, auditStatus({ snapshot: withPipedrive })));
    const row = await screen.findByTestId('coverage-conn-pd');
    expect(within(row).getByText('No admin listing')).toBeInTheDocument();
    expect(row).toHaveTextContent('Pipedrive has no admin listing of the apps its users installed.');
    expect(row).toHaveTextContent('Not readable');
    expect(row).not.toHaveTextContent('0 of 0');
  });

  test('before any scan, a provider without an admin listing says so next to the Scan now button', async () => {
    renderWithConsole(
      <GrantsPage />,
      grantConsole({}, auditStatus({ snapshot: null, scannable: [acmeScannable, { connectionId: 'conn-pd', label: 'Acme Pipedrive', provider: 'pipedrive', supported: false, ready: true, note: null }] })),
    );
    const prompt = await screen.findByTestId('first-scan');
    expect(within(prompt).getByRole('button', { name: 'Scan now' })).toBeEnabled();
    const pipedrive = within(prompt).getByRole('row', { name: /Acme Pipedrive/ });
    expect(pipedrive).toHaveTextContent('No admin listing');
    expect(pipedrive).toHaveTextContent('Pipedrive offers no admin listing of third-party apps.');
  });

  test('exports the current view and filter to CSV and saves the file', async () => {
    const csv = '\uFEFFapp,publisher\r\nInboxZen,InboxZen Ltd\r\n';
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole({ 'grants.exportCsv': () => ok({ fileName: 'consentry-apps.csv', content: csv, rows: 1 }) }));
    await appRows();
    await userEvent.click(screen.getByRole('checkbox', { name: 'High' }));
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saveTextFile).toHaveBeenCalledWith('consentry-apps.csv', csv, 'text/csv;charset=utf-8'));
    expect(requestsTo('grants.exportCsv')).toEqual([{ view: 'apps', filter: { risks: ['high'] } }]);
    expect(await screen.findByText('Grants exported')).toBeInTheDocument();
  });

  test('points to Connections when no tenant is connected', async () => {
    renderWithConsole(<GrantsPage />, grantConsole({}, auditStatus({ snapshot: null, scannable: [] })));
    const empty = await screen.findByTestId('grants-no-connection');
    expect(within(empty).getByRole('link', { name: 'Open Connections' })).toHaveAttribute('href', '/connections');
  });

  test('scans on request and shows how far it is, calls per minute, time left and a Cancel that stops it', async () => {
    const { requestsTo, emit } = renderWithConsole(
      <GrantsPage />,
      grantConsole({ 'grants.scan': () => ok(scanProgress()), 'grants.cancelScan': () => ok({ cancelled: true }) }, auditStatus({ snapshot: null })),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Scan now' }));
    const card = await screen.findByTestId('scan-progress');
    expect(within(card).getByTestId('scan-figures')).toHaveTextContent('24% done');
    expect(within(card).getByTestId('scan-figures')).toHaveTextContent('0 of 1 connection finished');
    expect(card).toHaveTextContent('1,200 of 5,000');
    expect(card).toHaveTextContent('420 calls/min');
    expect(card).toHaveTextContent('about 9 min left');
    expect(card).toHaveTextContent('Reading users’ tokens');
    expect(requestsTo('grants.scan')).toEqual([{}]);

    emit('grants.scanProgress', scanProgress({ percent: 51.5, callsPerMinute: 600, etaSeconds: 30 }));
    await waitFor(() => expect(within(card).getByTestId('scan-figures')).toHaveTextContent('51% done'));
    expect(within(card).getByRole('progressbar', { name: 'Scan progress' })).toHaveAttribute('aria-valuenow', '51.5');
    expect(card).toHaveTextContent('less than a minute left');

    await userEvent.click(within(card).getByRole('button', { name: 'Cancel scan' }));
    await waitFor(() => expect(requestsTo('grants.cancelScan')).toEqual([{ scanId: 'scan-1' }]));
    emit('grants.scanProgress', scanProgress({ state: 'cancelled', done: 1 }));
    expect(await screen.findByText('Grant scan cancelled')).toBeInTheDocument();
    expect(screen.getByText(/^What was read before it stopped is kept\./)).toBeInTheDocument();
  });

  test('a scan under way when the page opens is shown with the last scan below it', async () => {
    renderWithConsole(<GrantsPage />, grantConsole({}, auditStatus({ scan: scanProgress() })));
    expect(await screen.findByTestId('scan-progress')).toHaveTextContent('24% done');
    expect(await screen.findByTestId('snapshot-summary')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Scan now' })).not.toBeInTheDocument();
  });

  test('a finished scan that could not read a connection says so, and that its last read is still shown', async () => {
    const { emit } = renderWithConsole(<GrantsPage />, grantConsole({}, auditStatus({ scan: scanProgress() })));
    await screen.findByTestId('scan-progress');
    emit('grants.scanProgress', scanProgress({ state: 'finished', done: 1, percent: 100, connections: [{ connectionId: 'conn-acme', label: 'Acme Workspace', provider: 'google', phase: 'failed', done: 0, total: 0, percent: 100 }] }));
    expect(await screen.findByText('Grant scan finished with problems')).toBeInTheDocument();
    expect(screen.getByText('Acme Workspace could not be read; its last read is still shown. See “What the scan covers” for why.')).toBeInTheDocument();
  });

  test('a newer scan that read less is named beside the read shown, and the admin can show it instead', async () => {
    const held = snapshot({
      connections: [scannedConnection({ newerRead: { readAt: hoursAgo(0.5), outcome: 'cancelled', completed: 30, total: 120, note: 'Cancelled: 30 of 120 read and kept.', errorCode: 'cancelled', grants: 17 } })],
    });
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole({ 'grants.useNewerRead': () => ok(snapshot()) }, auditStatus({ snapshot: held })));
    const notice = await screen.findByTestId('newer-reads');
    expect(notice).toHaveTextContent('was stopped before it finished (30 of 120 users read in full). Shown: the complete read of');
    await userEvent.click(within(notice).getByRole('button', { name: 'Show the newer scan (17 grants)' }));
    await waitFor(() => expect(requestsTo('grants.useNewerRead')).toEqual([{ connectionId: 'conn-acme' }]));
    expect(screen.getByTestId('coverage-conn-acme')).toHaveTextContent('A newer scan');
  });

  test('names a saved scan that could not be used, why, and where it was kept', async () => {
    renderWithConsole(
      <GrantsPage />,
      grantConsole({}, auditStatus({ skippedScans: [{ file: 'scan-3.snapshot.json', takenAt: hoursAgo(0.2), problem: 'grant 2 names app 57, but the scan has 1 apps', keptAs: '/profile/grant-snapshots/damaged/scan-3.snapshot.json' }] })),
    );
    const notice = await screen.findByTestId('skipped-scans');
    expect(notice).toHaveTextContent('A saved scan could not be used');
    expect(notice).toHaveTextContent('(scan-3.snapshot.json) was skipped: grant 2 names app 57, but the scan has 1 apps.');
    expect(notice).toHaveTextContent('/profile/grant-snapshots/damaged/scan-3.snapshot.json');
    expect(await screen.findByTestId('snapshot-summary')).toBeInTheDocument();
  });

  test('says why a scan did not start', async () => {
    renderWithConsole(
      <GrantsPage />,
      grantConsole({ 'grants.scan': () => refused({ code: 'scan_in_progress', message: 'A scan is already running.', nextStep: 'Wait for it to finish or cancel it.' }) }),
    );
    await appRows();
    await userEvent.click(screen.getByRole('button', { name: 'Scan now' }));
    expect(await screen.findByText('The scan did not start')).toBeInTheDocument();
    expect(screen.getByText('A scan is already running. Wait for it to finish or cancel it.')).toBeInTheDocument();
  });

  test('shows what changed since the scan before: new apps, new risky grants, grants gone', async () => {
    const changed = snapshot({ changes: { previousTakenAt: new Date(Date.now() - 86_400_000).toISOString(), newApps: 1, newRiskyGrants: 2, goneGrants: 1 } });
    const list = GrantChangeListSchema.parse({
      newApps: [appRow({ key: 'google:conn-acme:newapp', name: 'ShadowNotes', isNew: true })],
      newRiskyGrants: [grantRow({ key: 'g1', isNew: true }), grantRow({ key: 'g2', user: 'erin@acme.example', isNew: true })],
      goneGrants: [{ key: 'gone-1', appName: 'OldCRM', provider: 'google', user: 'frank@acme.example', scopes: [], risk: 'high' }],
      limit: 50,
    });
    const { requestsTo } = renderWithConsole(<GrantsPage />, grantConsole({ 'grants.changes': () => ok(list) }, auditStatus({ snapshot: changed })));
    const card = await screen.findByTestId('changes-since-last-scan');
    expect(card).toHaveTextContent('1new app');
    expect(card).toHaveTextContent('2new high or critical grants');
    expect(card).toHaveTextContent('1grant gone');
    expect(await within(card).findByText('ShadowNotes')).toBeInTheDocument();
    expect(within(card).getByTestId('changes-new-risky-grants')).toHaveTextContent('erin@acme.example');
    expect(within(card).getByTestId('changes-gone-grants')).toHaveTextContent('OldCRM');
    await appRows();
    await userEvent.click(within(card).getByRole('button', { name: 'Show only what is new' }));
    await waitFor(() => expect(requestsTo('grants.apps').at(-1)).toMatchObject({ filter: { onlyNew: true } }));
  });

  test('says the first scan has nothing to compare with', async () => {
    renderWithConsole(<GrantsPage />, grantConsole());
    expect(await screen.findByTestId('changes-since-last-scan')).toHaveTextContent('This is the first scan');
  });

  test('reloads the scan and the table when main reports the grants changed', async () => {
    const { requestsTo, emit } = renderWithConsole(<GrantsPage />, grantConsole());
    await appRows();
    const statusBefore = requestsTo('grants.status').length;
    const appsBefore = requestsTo('grants.apps').length;
    emit('grants.changed', { snapshotId: 'snap-3' });
    await waitFor(() => expect(requestsTo('grants.status').length).toBeGreaterThan(statusBefore));
    await waitFor(() => expect(requestsTo('grants.apps').length).toBeGreaterThan(appsBefore));
  });

  test('moves between rows with the arrow keys, opens with Enter and selects with Space', async () => {
    renderWithConsole(<GrantsPage />, grantConsole({ 'grants.app': (request) => ok(appDetail(appsByRisk.find((app) => app.key === (request as { key: string }).key))) }));
    const [first, second] = await appRows();
    expect(first).toHaveAttribute('tabindex', '0');
    expect(second).toHaveAttribute('tabindex', '-1');
    first!.focus();
    fireEvent.keyDown(first!, { key: 'ArrowDown' });
    await waitFor(() => expect(second).toHaveFocus());
    fireEvent.keyDown(second!, { key: ' ' });
    expect(within(second!).getByRole('checkbox', { name: 'Select DriveSync' })).toBeChecked();
    expect(screen.getByTestId('selection-bar')).toHaveTextContent('1 app selected');
    fireEvent.keyDown(second!, { key: 'Enter' });
    expect(await screen.findByRole('dialog', { name: 'DriveSync' })).toBeInTheDocument();
  });
});
