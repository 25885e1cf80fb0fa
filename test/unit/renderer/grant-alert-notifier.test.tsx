import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { Route, Routes } from 'react-router';
import { GrantAlertNotifier } from '../../../src-renderer/src/grants/GrantAlertNotifier';
import { consoleAnswering } from './connection-fixtures';
import { renderWithConsole } from './render-with-console';

describe('new Critical grants from a background scan', () => {
  test('are shown on whichever page is open, with a way to the Grants page', async () => {
    const { emit } = renderWithConsole(
      <>
        <GrantAlertNotifier />
        <Routes>
          <Route path="/" element={<p>Overview page</p>} />
          <Route path="/grants" element={<p>Grants page</p>} />
        </Routes>
      </>,
      consoleAnswering({}),
    );
    await screen.findByText('Overview page');

    emit('grants.alert', { snapshotId: 'snap-3', criticalGrants: 3, message: 'A background scan found 3 new Critical grants since the scan before. Review them on the Grants page.' });

    expect(await screen.findByText('3 new Critical grants')).toBeInTheDocument();
    expect(screen.getByText(/A background scan found 3 new Critical grants/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Open Grants' }));
    expect(await screen.findByText('Grants page')).toBeInTheDocument();
  });
});
