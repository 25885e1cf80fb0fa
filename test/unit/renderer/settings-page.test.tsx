import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { Envelope } from '../../../src-shared/contract/envelope';
import { defaultSettings } from '../../../src-shared/contract/settings';
import { SettingsPage } from '../../../src-renderer/src/pages/SettingsPage';
import { renderWithConsole } from './render-with-console';

describe('settings page', { timeout: 20_000 }, () => {
  test('shows the rule under a field with an out-of-range value and does not send it', async () => {
    const { invoke } = renderWithConsole(<SettingsPage />, () => ({ ok: true, value: defaultSettings }));
    const field = await screen.findByLabelText('Key-age policy (days)');
    await userEvent.clear(field);
    await userEvent.type(field, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save policies' }));
    expect(await screen.findByText('Key-age policy must be at least 1 day.')).toBeInTheDocument();
    expect(invoke.mock.calls.map(([channel]) => channel)).not.toContain('settings.update');
  });

  test('shows main’s reason under the field when main refuses a value', async () => {
    const refusal: Envelope = {
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'Expiry warning window can be at most 365 days.',
        fields: [{ field: 'expiryWarningDays', message: 'Expiry warning window can be at most 365 days.' }],
      },
    };
    renderWithConsole(<SettingsPage />, (channel) => (channel === 'settings.update' ? refusal : { ok: true, value: defaultSettings }));
    const field = await screen.findByLabelText('Expiry warning window (days)');
    await userEvent.clear(field);
    await userEvent.type(field, '45');
    await userEvent.click(screen.getByRole('button', { name: 'Save policies' }));
    await waitFor(() => expect(screen.getAllByText('Expiry warning window can be at most 365 days.').length).toBeGreaterThan(0));
    expect(screen.getByText('Settings not saved')).toBeInTheDocument();
  });

  test('sends only the changed policy values and confirms the save', async () => {
    const { invoke } = renderWithConsole(<SettingsPage />, (channel, request) =>
      channel === 'settings.update' ? { ok: true, value: { ...defaultSettings, ...(request as object) } } : { ok: true, value: defaultSettings },
    );
    const field = await screen.findByLabelText('Key-age policy (days)');
    await userEvent.clear(field);
    await userEvent.type(field, '180');
    await userEvent.click(screen.getByRole('button', { name: 'Save policies' }));
    expect(await screen.findByText('Settings saved')).toBeInTheDocument();
    expect(invoke).toHaveBeenCalledWith('settings.update', { keyAgePolicyDays: 180 });
  });
});
