import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { OffboardingPage } from '../../../../src-renderer/src/pages/OffboardingPage';
import { ok, refused } from '../connection-fixtures';
import { layOutVirtualTables } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { departed, errorRow, offboardingConsole, offboardingList, readyRow, warningRow } from './offboarding-fixtures';

layOutVirtualTables();

const pasted = `${departed.ana}\n${departed.sam}\njo.kim@acme`;

describe('importing the list of departed people', { timeout: 30_000 }, () => {
  test('a pasted list comes back as rows, each with its verdict and the reasons on the row', async () => {
    let list = null as ReturnType<typeof offboardingList> | null;
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list }),
        'offboarding.importList': () => {
          list = offboardingList();
          return ok(list);
        },
      }),
    );
    const box = await screen.findByRole('textbox', { name: 'Or paste the list' });
    expect(screen.getByTestId('paste-sample')).toHaveTextContent('email,transfer_to,providers,note');
    await userEvent.click(box);
    await userEvent.paste(pasted);
    await userEvent.click(screen.getByRole('button', { name: 'Check 3 lines' }));

    expect(requestsTo('offboarding.importList')).toEqual([{ source: 'paste', text: pasted }]);
    const table = await screen.findByTestId('list-table');
    expect(screen.getByTestId('list-counts')).toHaveTextContent('1 ready · 1 warning · 1 error');
    const rowOf = (email: string) => within(table).getByText(email).closest('tr')!;
    expect(rowOf(departed.ana)).toHaveTextContent('Ready');
    expect(rowOf(departed.ana)).toHaveTextContent(`Data to ${departed.lee}`);
    expect(rowOf(departed.sam)).toHaveTextContent('WarningNot found at Contoso: nothing to do there.');
    expect(rowOf('jo.kim@acme')).toHaveTextContent('Error“jo.kim@acme” is not an email address: it has no domain after the @.');
    // The directory check of each connection, and the way to read them again.
    expect(screen.getByTestId('directory-checks')).toHaveTextContent('Acme Workspace (Google Workspace): 300 people read.');
  });

  test('a refused import says why and what to do, and keeps what was pasted', async () => {
    renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.importList': () =>
          refused({ code: 'import_unreadable', message: 'The list has no email column: the first row names transfer_to and note only.', nextStep: 'Add an email column, or paste one email per line.' }),
      }),
    );
    const box = await screen.findByRole('textbox', { name: 'Or paste the list' });
    await userEvent.click(box);
    await userEvent.paste('transfer_to,note\nlee.chen@acme.example,x');
    await userEvent.click(screen.getByRole('button', { name: 'Check 2 lines' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The list was not imported');
    expect(alert).toHaveTextContent('The list has no email column');
    expect(alert).toHaveTextContent('Next step: Add an email column, or paste one email per line.');
    expect(box).toHaveValue('transfer_to,note\nlee.chen@acme.example,x');
  });

  test('replacing a list that has rows asks first, and keeping it sends nothing', async () => {
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({ 'offboarding.list': () => ok({ list: offboardingList() }), 'offboarding.importList': () => ok(offboardingList([readyRow])) }),
    );
    // The list kept by main opens on its review; the import step is one click back.
    await screen.findByTestId('list-table');
    await userEvent.click(screen.getByRole('button', { name: 'Import another list' }));
    expect(screen.getByTestId('current-list')).toHaveTextContent('The list being prepared: 3 rows');
    await userEvent.click(screen.getByRole('textbox', { name: 'Or paste the list' }));
    await userEvent.paste(departed.ana);
    await userEvent.click(screen.getByRole('button', { name: 'Check 1 line' }));

    const ask = await screen.findByRole('dialog', { name: 'Replace the list being prepared?' });
    expect(ask).toHaveTextContent('The current list has 3 rows');
    await userEvent.click(within(ask).getByRole('button', { name: 'Keep the current list' }));
    expect(requestsTo('offboarding.importList')).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Check 1 line' }));
    await userEvent.click(within(await screen.findByRole('dialog', { name: 'Replace the list being prepared?' })).getByRole('button', { name: 'Replace it' }));
    await waitFor(() => expect(requestsTo('offboarding.importList')).toEqual([{ source: 'paste', text: departed.ana }]));
  });

  test('a dropped file is sent as its bytes, in base64 with its name; a spreadsheet is refused before anything is sent', async () => {
    const { requestsTo } = renderWithConsole(<OffboardingPage />, offboardingConsole({ 'offboarding.importList': () => ok(offboardingList([readyRow, warningRow, errorRow])) }));
    const zone = await screen.findByTestId('list-drop-zone');

    fireEvent.drop(zone, { dataTransfer: { files: [new File(['PK\u0003\u0004'], 'departed.xlsx')] } });
    expect(await screen.findByRole('alert')).toHaveTextContent('departed.xlsx is not a .csv or .txt file. Save the list as CSV (in Excel: CSV UTF-8) and import that file.');
    expect(requestsTo('offboarding.importList')).toEqual([]);

    // A BOM and CRLF line ends, as Excel writes them: the bytes go to main untouched.
    const bytes = '\uFEFFemail;note\r\nana.lopez@acme.example;Left\r\n';
    fireEvent.drop(zone, { dataTransfer: { files: [new File([bytes], 'departed.csv', { type: 'text/csv' })] } });
    await waitFor(() => expect(requestsTo('offboarding.importList')).toHaveLength(1));
    const [request] = requestsTo('offboarding.importList') as { source: string; fileName: string; base64: string }[];
    expect(request).toMatchObject({ source: 'file', fileName: 'departed.csv' });
    const sent = Uint8Array.from(atob(request!.base64), (char) => char.charCodeAt(0));
    expect([...sent.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(sent)).toBe(bytes);
    expect(await screen.findByTestId('list-table')).toBeInTheDocument();
  });
});
