import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import type { ActivityIntegrity, ActivityPage as ActivityPageAnswer } from '../../../src-shared/contract/activity';
import { ActivityPage } from '../../../src-renderer/src/pages/ActivityPage';
import { consoleAnswering, ok } from './connection-fixtures';
import { renderWithConsole } from './render-with-console';

const entry = { seq: 1, at: '2026-11-01T10:00:00.000Z', action: 'settings.update', target: 'settings', result: 'succeeded' as const, errorCode: null, detail: 'theme: system → dark', hash: 'ab'.repeat(32) };

function integrity(changes: Partial<ActivityIntegrity> = {}): ActivityIntegrity {
  return {
    intact: true,
    checkedEntries: 1,
    totalEntries: 1,
    verification: 'complete',
    keying: { state: 'keyed', note: 'Every entry is sealed with a key held in the vault (HMAC-SHA-256).' },
    problems: [],
    ...changes,
  };
}

function answer(changes: Partial<ActivityPageAnswer> = {}): ActivityPageAnswer {
  return { entries: [entry], total: 1, totalExact: true, actions: ['settings.update'], integrity: integrity(), ...changes };
}

describe('activity page', () => {
  test('says the total is a lower bound while a large log is still being counted', async () => {
    renderWithConsole(<ActivityPage />, consoleAnswering({ 'activity.list': () => ok(answer({ total: 12_400, totalExact: false })) }));
    expect(await screen.findByTestId('activity-total')).toHaveTextContent('At least 12,400 entries (still counting)');
  });

  test('shows that the chain is being checked in the background', async () => {
    renderWithConsole(
      <ActivityPage />,
      consoleAnswering({ 'activity.list': () => ok(answer({ integrity: integrity({ verification: 'checking', checkedEntries: 1_000, totalEntries: 3_000_000 }) })) }),
    );
    expect(await screen.findByText('Checking the activity log')).toBeInTheDocument();
    expect(screen.getByTestId('integrity-intact')).toHaveTextContent('1,000 entries of 3,000,000 verified so far');
  });

  test('says plainly when the log is not keyed, and why', async () => {
    const note = 'Not keyed: the keychain is unavailable (no keyring is running). Entries are chained with plain SHA-256.';
    renderWithConsole(<ActivityPage />, consoleAnswering({ 'activity.list': () => ok(answer({ integrity: integrity({ keying: { state: 'not_keyed', note } }) })) }));
    expect(await screen.findByText('Activity log intact, but not keyed')).toBeInTheDocument();
    expect(screen.getByTestId('integrity-keying')).toHaveTextContent(note);
  });

  test('does not claim entries verified whose seal could not be checked', async () => {
    const note = 'Entries #1–#40 are sealed with a key that cannot be read now, so they cannot be checked. Entries #41–#42 are chained with plain SHA-256.';
    renderWithConsole(
      <ActivityPage />,
      consoleAnswering({ 'activity.list': () => ok(answer({ integrity: integrity({ checkedEntries: 2, totalEntries: 42, keying: { state: 'not_keyed', note } }) })) }),
    );
    expect(await screen.findByText('Activity log not fully verified')).toBeInTheDocument();
    expect(screen.getByTestId('integrity-partial')).toHaveTextContent('2 entries of 42 verified');
    expect(screen.queryByTestId('integrity-intact')).not.toBeInTheDocument();
  });

  test('tells where an export too large for the window was saved, without a download', async () => {
    const createObjectURL = vi.fn();
    URL.createObjectURL = createObjectURL;
    renderWithConsole(
      <ActivityPage />,
      consoleAnswering({
        'activity.list': () => ok(answer()),
        'activity.exportCsv': () => ok({ fileName: 'consentry-activity.csv', content: '', rows: 2_500_000, savedTo: '/profile/exports/consentry-activity.csv' }),
      }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(screen.getByText('2,500,000 entries saved to /profile/exports/consentry-activity.csv.')).toBeInTheDocument());
    expect(createObjectURL).not.toHaveBeenCalled();
  });
});
