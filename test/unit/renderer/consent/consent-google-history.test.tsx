import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { saveTextFile } from '../../../../src-renderer/src/files/save-text-file';
import { ConsentPage } from '../../../../src-renderer/src/pages/ConsentPage';
import { ok } from '../connection-fixtures';
import { appRow, pageOf } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { consentConsole } from './consent-fixtures';

vi.mock('../../../../src-renderer/src/files/save-text-file', () => ({ saveTextFile: vi.fn() }));

const adminConsoleUrl = 'https://admin.google.com/ac/owl/list?tab=configuredApps';
const inboxZen = appRow();

function entry(seq: number, action: string, detail: string) {
  return { seq, at: '2026-12-04T10:00:00.000Z', action, target: 'tenant:contoso.onmicrosoft.com', result: 'succeeded' as const, errorCode: null, detail, hash: 'ab'.repeat(32) };
}

describe('Google app access and consent history', { timeout: 20_000 }, () => {
  test('a decision on an app of the last Google scan is kept, and the blocked client ids are exported for the Admin console', async () => {
    const decided = { connectionId: inboxZen.connectionId, clientId: inboxZen.clientId, appName: 'InboxZen', decision: 'blocked', note: null, decidedAt: '2026-12-04T10:00:00.000Z' };
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'grants.apps': (request) => pageOf([inboxZen], request),
        'consent.googleDecisions': () => ok({ decisions: [], adminConsoleUrl }),
        'consent.decideGoogleApp': () => ok({ decisions: [decided], adminConsoleUrl }),
        'consent.exportGoogleList': () => ok({ fileName: 'google-blocked-apps.txt', content: `${inboxZen.clientId}\n`, count: 1 }),
      }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: 'Google app access' }));
    expect(await screen.findByText('Google has no API for this list')).toBeInTheDocument();
    expect(requestsTo('grants.apps')[0]).toMatchObject({ filter: { providers: ['google'] } });
    const row = await screen.findByTestId(`google-app-${inboxZen.clientId}`);
    await userEvent.click(within(row).getByRole('combobox', { name: 'Decision on InboxZen' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Blocked' }));
    await waitFor(() => expect(requestsTo('consent.decideGoogleApp')).toEqual([{ connectionId: 'conn-acme', clientId: inboxZen.clientId, appName: 'InboxZen', decision: 'blocked' }]));
    await waitFor(() => expect(within(row).getByRole('combobox', { name: 'Decision on InboxZen' })).toHaveValue('Blocked'));

    await userEvent.click(screen.getByRole('button', { name: 'Export blocked client ids' }));
    await waitFor(() => expect(vi.mocked(saveTextFile)).toHaveBeenCalledWith('google-blocked-apps.txt', `${inboxZen.clientId}\n`, 'text/plain;charset=utf-8'));
    expect(requestsTo('consent.exportGoogleList')).toEqual([{ decision: 'blocked' }]);
  });

  test('history pages through the consent actions main picks out of the activity log, newest first', async () => {
    // 120 consent actions, newest first, as main answers a filter on the `consent.` prefix.
    const consentEntries = Array.from({ length: 120 }, (_, index) => entry(120 - index, index % 2 ? 'consent.changePolicy' : 'consent.deny', `Consent decision #${120 - index}`));
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'activity.list': (request) => {
          const { offset, limit } = request as { offset: number; limit: number };
          return ok({
            entries: consentEntries.slice(offset, offset + limit),
            total: consentEntries.length,
            totalExact: true,
            actions: ['consent.deny', 'consent.changePolicy', 'grants.revoke'],
            integrity: { intact: true, checkedEntries: 121, totalEntries: 121, verification: 'complete', keying: { state: 'keyed', note: 'Sealed.' }, problems: [] },
          });
        },
      }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: 'History' }));
    const history = await screen.findByTestId('consent-history');
    expect(requestsTo('activity.list')).toEqual([{ filter: { actionPrefix: 'consent.' }, offset: 0, limit: 50 }]);
    expect(within(history).getAllByRole('row')).toHaveLength(51);
    expect(within(history).getAllByRole('row')[1]).toHaveTextContent('Consent decision #120');
    expect(screen.getByTestId('activity-total')).toHaveTextContent('120 entries');

    await userEvent.click(screen.getByRole('button', { name: '3' }));
    await waitFor(() => expect(requestsTo('activity.list')).toContainEqual({ filter: { actionPrefix: 'consent.' }, offset: 100, limit: 50 }));
    await waitFor(() => expect(within(screen.getByTestId('consent-history')).getAllByRole('row')).toHaveLength(21));
    expect(within(screen.getByTestId('consent-history')).getAllByRole('row')[20]).toHaveTextContent('Consent decision #1');
  });

  test('history says so when no consent action is recorded yet', async () => {
    renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'activity.list': () =>
          ok({
            entries: [],
            total: 0,
            totalExact: true,
            actions: ['grants.revoke'],
            integrity: { intact: true, checkedEntries: 1, totalEntries: 1, verification: 'complete', keying: { state: 'keyed', note: 'Sealed.' }, problems: [] },
          }),
      }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: 'History' }));
    expect(await screen.findByText('No consent decision or change recorded yet.')).toBeInTheDocument();
    expect(screen.queryByTestId('consent-history')).not.toBeInTheDocument();
  });
});
