import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { CredentialsPage } from '../../../../src-renderer/src/pages/CredentialsPage';
import { ok } from '../connection-fixtures';
import { layOutVirtualTables } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { credential, credentialsConsole, expiredSecret, inventory, unrestrictedKey } from './credential-fixtures';

layOutVirtualTables();

function drawnNames(table: HTMLElement): string[] {
  return [...table.querySelectorAll('tr[data-index]')].map((row) => row.querySelectorAll('td')[2]?.querySelector('p')?.textContent ?? '');
}

async function openPage(answers = credentialsConsole()) {
  const view = renderWithConsole(<CredentialsPage />, answers);
  const table = await screen.findByTestId('credential-table');
  await within(table).findByText('Payroll Sync prod');
  return { ...view, table };
}

describe('the credentials table', { timeout: 30_000 }, () => {
  test('lists the worst first and counts each status on its chip', async () => {
    const { table } = await openPage();
    expect(drawnNames(table)).toEqual(['Old HR connector', 'Payroll Sync prod', 'Maps browser key', 'CN=payroll-signing']);
    const chips = screen.getByTestId('credential-status-chips');
    expect(within(chips).getByText('Expired · 1')).toBeInTheDocument();
    expect(within(chips).getByText('OK · 1')).toBeInTheDocument();
    expect(within(chips).getByRole('checkbox', { name: 'Unused · 0' })).toBeDisabled();
  });

  test('a status chip and a search narrow the rows, and clearing brings them all back', async () => {
    const { table } = await openPage();
    await userEvent.click(screen.getByRole('checkbox', { name: 'Expiring · 1' }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'Unrestricted · 1' }));
    await waitFor(() => expect(drawnNames(table)).toEqual(['Payroll Sync prod', 'Maps browser key']));
    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'maps');
    await waitFor(() => expect(drawnNames(table)).toEqual(['Maps browser key']));
    expect(screen.getByTestId('credential-count')).toHaveTextContent('1 of 4 credentials');
    await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(drawnNames(table)).toHaveLength(4));
  });

  test('a status chip counts and finds every credential with that finding, not only those it is the worst of', async () => {
    const { table } = await openPage();
    // The expired secret is also too old: the badge shows the worst, with one more.
    const chips = screen.getByTestId('credential-status-chips');
    await userEvent.click(within(chips).getByRole('checkbox', { name: 'Too old · 1' }));
    await waitFor(() => expect(drawnNames(table)).toEqual(['Old HR connector']));
    const row = within(table).getByText('Old HR connector').closest('tr')!;
    expect(within(row).getByText('+1')).toHaveAttribute('title', 'Also: too old');
  });

  test('sorts by expiry, soonest first, never-expiring last, then the other way', async () => {
    const { table } = await openPage();
    const expires = within(table).getByRole('columnheader', { name: /Expires/ });
    await userEvent.click(within(expires).getByRole('button'));
    await waitFor(() => expect(drawnNames(table)).toEqual(['Old HR connector', 'Payroll Sync prod', 'CN=payroll-signing', 'Maps browser key']));
    expect(expires).toHaveAttribute('aria-sort', 'ascending');
    await userEvent.click(within(expires).getByRole('button'));
    await waitFor(() => expect(drawnNames(table)).toEqual(['CN=payroll-signing', 'Payroll Sync prod', 'Old HR connector', 'Maps browser key']));
    expect(expires).toHaveAttribute('aria-sort', 'descending');
  });

  test('at 10,000 credentials draws only the rows in view, and the rows scrolled to', async () => {
    const many = Array.from({ length: 10_000 }, (_, index) =>
      credential({ credentialId: `id-${String(index).padStart(5, '0')}`, displayName: `Secret ${String(index).padStart(5, '0')}`, expiresAt: new Date(Date.parse('2027-01-01T00:00:00Z') + index * 60_000).toISOString() }),
    );
    const view = renderWithConsole(<CredentialsPage />, credentialsConsole({ 'credentials.inventory': () => ok(inventory({ credentials: many })) }));
    const table = await screen.findByTestId('credential-table');
    await within(table).findByText('Secret 00000');
    expect(within(table).getByRole('table')).toHaveAttribute('aria-rowcount', '10001');
    const drawn = table.querySelectorAll('tr[data-index]');
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(60);
    Object.defineProperty(table, 'scrollTop', { configurable: true, value: 38 + 5_000 * 36 });
    fireEvent.scroll(table);
    expect(await within(table).findByText('Secret 05000')).toBeInTheDocument();
    expect(table.querySelectorAll('tr[data-index]').length).toBeLessThan(60);
    view.unmount();
  });

  test('a row opens the drawer with every finding and its reason, and the full ids', async () => {
    const { table } = await openPage();
    await userEvent.click(within(table).getByText('Old HR connector'));
    const drawer = await screen.findByTestId('credential-drawer');
    const findings = within(drawer).getByTestId('credential-findings');
    expect(findings).toHaveTextContent('Expired: Expired 3 days ago.');
    expect(findings).toHaveTextContent('Too old: Created 400 days ago; the policy allows 90.');
    expect(within(drawer).getByText(expiredSecret.credentialId)).toBeInTheDocument();
    expect(within(drawer).getByText(expiredSecret.ownerId)).toBeInTheDocument();
  });

  test('selected rows go to one "Revoke now" plan together', async () => {
    const { table, requestsTo } = await openPage(credentialsConsole({ 'credentials.planRevoke': () => new Promise(() => undefined) }));
    await userEvent.click(within(table).getByRole('checkbox', { name: 'Select Maps browser key' }));
    await userEvent.click(within(table).getByRole('checkbox', { name: 'Select Old HR connector' }));
    await userEvent.click(within(screen.getByTestId('credential-selection')).getByRole('button', { name: 'Revoke now…' }));
    await waitFor(() => expect(requestsTo('credentials.planRevoke')).toHaveLength(1));
    expect(new Set((requestsTo('credentials.planRevoke')[0] as { keys: string[] }).keys)).toEqual(new Set([unrestrictedKey.key, expiredSecret.key]));
  });
});
