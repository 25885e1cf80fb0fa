import { screen, within } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { defaultSettings } from '../../../src-shared/contract/settings';
import { OverviewPage } from '../../../src-renderer/src/pages/OverviewPage';
import { connectionView, consoleAnswering, ok } from './connection-fixtures';
import { renderWithConsole } from './render-with-console';

const quietConsole = {
  'settings.get': () => ok(defaultSettings),
  'activity.list': () =>
    ok({
      entries: [],
      total: 0,
      totalExact: true,
      actions: [],
      integrity: { intact: true, checkedEntries: 0, totalEntries: 0, verification: 'complete', keying: { state: 'keyed', note: 'Each entry will be sealed.' }, problems: [] },
    }),
};

describe('overview page', () => {
  test('points to the Connections page while no tenant is connected', async () => {
    renderWithConsole(<OverviewPage />, consoleAnswering(quietConsole));
    expect(await screen.findByText('No tenant connected yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open Connections' })).toHaveAttribute('href', '/connections');
    expect(document.body.textContent).not.toContain('not part of this build');
  });

  test('lists the background scans and the credential policies the Credentials page applies as in force', async () => {
    renderWithConsole(<OverviewPage />, consoleAnswering({ ...quietConsole, 'settings.get': () => ok({ ...defaultSettings, backgroundScanIntervalMinutes: 60 }) }));
    const policies = await screen.findByTestId('policies');
    await within(policies).findByText('Every hour');
    expect(policies).not.toHaveTextContent('Policies in force');
    const row = (name: string) => within(policies).getByRole('row', { name: new RegExp(name) });
    expect(row('Background scans')).toHaveTextContent('In force');
    expect(row('Maximum key age')).toHaveTextContent('90 daysIn force');
    expect(row('Warn before expiry')).toHaveTextContent('30 daysIn force');
    expect(row('Unrestricted API keys')).toHaveTextContent('A findingIn force');
    expect(row('Unused service-account keys')).toHaveTextContent('A finding after 90 daysIn force');
    expect(policies).not.toHaveTextContent('Not checked yet');
  });

  test('counts connections by status and says how many need attention', async () => {
    renderWithConsole(
      <OverviewPage />,
      consoleAnswering(quietConsole, {
        connections: [
          connectionView({ id: 'a' }),
          connectionView({ id: 'b' }),
          connectionView({ id: 'c', status: 'needs_reconnect' }),
        ],
      }),
    );
    const summary = await screen.findByTestId('connections-summary');
    expect(summary).toHaveTextContent('3 connections, 1 needs your attention.');
    expect(within(summary).getByText('Active: 2')).toBeInTheDocument();
    expect(within(summary).getByText('Needs reconnect: 1')).toBeInTheDocument();
  });
});
