import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import type { ConsentDecisionResult } from '../../../../src-shared/contract/consent';
import type { Envelope } from '../../../../src-shared/contract/envelope';
import { DenyDialog } from '../../../../src-renderer/src/consent/DenyDialog';
import { ok, refused } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { boardNotesRequest, consentConsole } from './consent-fixtures';

async function denyBoardNotes(answer: () => Envelope) {
  const onClose = vi.fn();
  renderWithConsole(<DenyDialog request={boardNotesRequest()} onClose={onClose} />, consentConsole({ 'consent.deny': answer }));
  const dialog = screen.getByRole('dialog', { name: 'Deny Board Notes?' });
  await userEvent.type(within(dialog).getByRole('textbox', { name: /Reason/ }), 'Reads all mail; use the approved client.');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Deny the request' }));
  return { dialog, onClose };
}

describe('deny dialog', { timeout: 20_000 }, () => {
  test.each([
    { atProvider: 'recorded', title: 'Board Notes denied', outcome: 'Denied, and recorded by Microsoft' },
    { atProvider: 'local_only', title: 'Board Notes denied in Consentry', outcome: 'Recorded by Consentry only' },
  ] as const)('once denied ($atProvider), the title says so and the result closes with Done', async ({ atProvider, title, outcome }) => {
    const result: ConsentDecisionResult = { atProvider, message: 'The denial is in the activity log.' };
    const { dialog, onClose } = await denyBoardNotes(() => ok(result));
    expect(await within(dialog).findByTestId('deny-result')).toHaveTextContent(outcome);
    expect(screen.getByRole('dialog', { name: title })).toBe(dialog);
    expect(screen.queryByRole('dialog', { name: 'Deny Board Notes?' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  test('a denial that fails keeps asking, with the failure and the reason kept', async () => {
    const { dialog } = await denyBoardNotes(() => refused({ code: 'permission_denied', message: 'The connection may not deny requests.' }));
    expect(await within(dialog).findByText('The request was not denied')).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'Deny Board Notes?' })).toBe(dialog);
    expect(within(dialog).getByRole('textbox', { name: /Reason/ })).toHaveValue('Reads all mail; use the approved client.');
    expect(within(dialog).queryByTestId('deny-result')).not.toBeInTheDocument();
  });
});
