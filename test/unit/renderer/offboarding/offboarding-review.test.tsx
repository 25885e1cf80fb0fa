import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { OffboardingPage } from '../../../../src-renderer/src/pages/OffboardingPage';
import { ok } from '../connection-fixtures';
import { layOutVirtualTables } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { errorRow, listRow, offboardingConsole, offboardingList, readyRow, warningRow } from './offboarding-fixtures';

layOutVirtualTables();

const secondError = listRow({
  id: 'row-5',
  line: 5,
  email: 'ana.lopez@acme.example',
  transferTo: null,
  verdict: 'error',
  reasons: [{ level: 'error', code: 'duplicate', message: 'The same person as row 2.', connectionId: null }],
});

describe('reviewing the rows', { timeout: 30_000 }, () => {
  test('fixing an error row in place sends the new fields, and the row comes back ready', async () => {
    const fixed = listRow({ id: errorRow.id, line: 4, email: 'jo.kim@acme.example', transferTo: null, note: 'Left Friday' });
    let list = offboardingList();
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list }),
        'offboarding.editRow': () => {
          list = offboardingList([readyRow, warningRow, fixed]);
          return ok(list);
        },
      }),
    );
    const table = await screen.findByTestId('list-table');
    await userEvent.click(screen.getByRole('radio', { name: 'Errors · 1' }));
    await waitFor(() => expect(within(table).getAllByTestId('list-row')).toHaveLength(1));

    await userEvent.click(within(table).getByRole('button', { name: 'Fix jo.kim@acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Fix row 4' });
    expect(within(dialog).getByTestId('row-reasons')).toHaveTextContent('“jo.kim@acme” is not an email address');
    const email = within(dialog).getByRole('textbox', { name: 'Email' });
    await userEvent.clear(email);
    await userEvent.paste('jo.kim@acme.example');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save and check' }));

    await waitFor(() =>
      expect(requestsTo('offboarding.editRow')).toEqual([{ rowId: errorRow.id, fields: { email: 'jo.kim@acme.example', transferTo: null, providers: null, note: 'Left Friday' } }]),
    );
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Fix row 4' })).not.toBeInTheDocument());
    expect(screen.getByTestId('list-counts')).toHaveTextContent('2 ready · 1 warning · 0 errors');
    await userEvent.click(screen.getByRole('radio', { name: /^All/ }));
    expect(within(table).getByText('jo.kim@acme.example').closest('tr')).toHaveTextContent('Ready');
  });

  test('a row still wrong after the fix stays open with its new reason', async () => {
    let list = offboardingList();
    renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list }),
        'offboarding.editRow': () => {
          list = offboardingList([readyRow, warningRow, listRow({ ...errorRow, email: 'ana.lopez@acme.example', reasons: secondError.reasons })]);
          return ok(list);
        },
      }),
    );
    const table = await screen.findByTestId('list-table');
    await userEvent.click(within(table).getByRole('button', { name: 'Fix jo.kim@acme' }));
    const dialog = await screen.findByRole('dialog', { name: 'Fix row 4' });
    const email = within(dialog).getByRole('textbox', { name: 'Email' });
    await userEvent.clear(email);
    await userEvent.paste('ana.lopez@acme.example');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save and check' }));
    expect(await within(dialog).findByText('Still an error after your change.')).toBeInTheDocument();
    expect(within(dialog).getByTestId('row-reasons')).toHaveTextContent('The same person as row 2.');
    expect(email).toHaveValue('ana.lopez@acme.example');
  });

  test('the rows with errors are selected in one go and dropped once the admin agrees', async () => {
    let list = offboardingList([readyRow, warningRow, errorRow, secondError]);
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list }),
        'offboarding.dropRows': () => {
          list = offboardingList([readyRow, warningRow]);
          return ok(list);
        },
      }),
    );
    await screen.findByTestId('list-table');
    expect(screen.getByTestId('list-counts')).toHaveTextContent('1 ready · 1 warning · 2 errors');
    await userEvent.click(screen.getByRole('button', { name: 'Select the 2 errors' }));
    expect(screen.getByTestId('row-selection')).toHaveTextContent('2 rows selected');
    await userEvent.click(screen.getByRole('button', { name: 'Drop 2 rows…' }));
    const ask = await screen.findByRole('dialog', { name: 'Drop 2 rows?' });
    expect(ask).toHaveTextContent('jo.kim@acme');
    await userEvent.click(within(ask).getByRole('button', { name: 'Drop 2 rows' }));
    await waitFor(() => expect(requestsTo('offboarding.dropRows')).toEqual([{ rowIds: [errorRow.id, secondError.id] }]));
    await waitFor(() => expect(screen.getByTestId('list-counts')).toHaveTextContent('1 ready · 1 warning · 0 errors'));
    expect(screen.queryByTestId('row-selection')).not.toBeInTheDocument();
  });

  test('a person is added by hand, and the directories are checked again on demand', async () => {
    let list = offboardingList([readyRow]);
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list }),
        'offboarding.editRow': () => {
          list = offboardingList([readyRow, listRow({ id: 'row-added', line: null, email: 'max.ruiz@acme.example', transferTo: null })]);
          return ok(list);
        },
        'offboarding.checkList': () => ok(list),
      }),
    );
    await screen.findByTestId('list-table');
    await userEvent.click(screen.getByRole('button', { name: 'Add a person' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a person' });
    await userEvent.click(within(dialog).getByRole('textbox', { name: 'Email' }));
    await userEvent.paste('max.ruiz@acme.example');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add and check' }));
    await waitFor(() => expect(requestsTo('offboarding.editRow')).toEqual([{ rowId: null, fields: { email: 'max.ruiz@acme.example', transferTo: null, providers: null, note: null } }]));
    const added = (await screen.findByText('max.ruiz@acme.example')).closest('tr')!;
    expect(added).toHaveTextContent('Added');

    await userEvent.click(screen.getByRole('button', { name: 'Check again' }));
    await waitFor(() => expect(requestsTo('offboarding.checkList')).toEqual([{}]));
  });
});
