import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { ConnectionsPage } from '../../../src-renderer/src/pages/ConnectionsPage';
import { connectionView, consoleAnswering, ok } from './connection-fixtures';
import { renderWithConsole } from './render-with-console';

const sampleConnection = connectionView({ id: 'sample-google', label: 'Sample workspace — Google Workspace', sample: true, account: 'ada.admin@sample-company.example' });

describe('sample workspace', () => {
  test('is offered when nothing is connected and connects through main with a fresh attempt id', async () => {
    const { requestsTo } = renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'sample.connect': () => ok(sampleConnection) }));
    await userEvent.click(await screen.findByRole('button', { name: 'Explore the sample workspace' }));
    const dialog = await screen.findByRole('dialog', { name: 'Explore the sample workspace' });
    expect(dialog).toHaveTextContent('made-up company of 300 people');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Connect sample Google Workspace' }));
    await waitFor(() => expect(requestsTo('sample.connect')).toHaveLength(1));
    expect(requestsTo('sample.connect')[0]).toMatchObject({ provider: 'google', attemptId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Explore the sample workspace' })).not.toBeInTheDocument());
  });

  test('labels sample connections and removes them only after confirmation', async () => {
    const { requestsTo } = renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'sample.remove': () => ok({ removed: 1 }) }, { connections: [sampleConnection] }));
    const row = await screen.findByRole('row', { name: /Sample workspace — Google Workspace/ });
    expect(within(row).getByText('Sample')).toBeInTheDocument();
    // The other side of the sample can still be connected.
    expect(screen.getByRole('button', { name: 'Explore the sample workspace' })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Remove the sample workspace' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove the sample workspace?' });
    expect(requestsTo('sample.remove')).toHaveLength(0);
    expect(confirm).toHaveTextContent('Your real connections are not touched');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Remove sample workspace' }));
    await waitFor(() => expect(requestsTo('sample.remove')).toHaveLength(1));
  });
});
