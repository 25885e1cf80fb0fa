import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { defaultSettings } from '../../../../src-shared/contract/settings';
import { SettingsPage } from '../../../../src-renderer/src/pages/SettingsPage';
import { renderWithConsole } from '../render-with-console';

function settingsConsole(stored = { ...defaultSettings, credentialMaxAgeDays: { service_account_key: 60 } }) {
  return renderWithConsole(<SettingsPage />, (channel, request) =>
    channel === 'settings.update' ? { ok: true, value: { ...stored, ...(request as object) } } : { ok: true, value: stored },
  );
}

describe('credential policy settings', { timeout: 30_000 }, () => {
  test('shows each kind’s own maximum age, and an empty kind follows the key-age policy', async () => {
    settingsConsole();
    expect(await screen.findByRole('textbox', { name: 'Service-account key' })).toHaveValue('60');
    expect(screen.getByRole('textbox', { name: 'Client secret' })).toHaveValue('');
    expect(screen.getByRole('switch', { name: /No unrestricted API keys/ })).toBeChecked();
    expect(screen.queryByText(/Not checked yet/)).not.toBeInTheDocument();
  });

  test('refuses an unused-key window below the minimum, and a kind’s maximum age of 0, before sending', async () => {
    const { requestsTo } = settingsConsole();
    const unused = await screen.findByRole('textbox', { name: 'Unused service-account keys (days)' });
    await userEvent.clear(unused);
    await userEvent.type(unused, '3');
    const appSecret = screen.getByRole('textbox', { name: 'Client secret' });
    await userEvent.type(appSecret, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Save policies' }));
    expect(await screen.findByText('Unused-key window must be 0 (off) or between 7 and 3650 days.')).toBeInTheDocument();
    expect(screen.getByText('Maximum age must be at least 1 day.')).toBeInTheDocument();
    expect(requestsTo('settings.update')).toEqual([]);
  });

  test('saves a kind’s maximum age with the others kept, and the unrestricted-key check turned off', async () => {
    const { requestsTo } = settingsConsole();
    await userEvent.type(await screen.findByRole('textbox', { name: 'Client secret' }), '180');
    await userEvent.click(screen.getByRole('switch', { name: /No unrestricted API keys/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Save policies' }));
    expect(await screen.findByText('Settings saved')).toBeInTheDocument();
    await waitFor(() =>
      expect(requestsTo('settings.update')).toEqual([{ credentialMaxAgeDays: { app_secret: 180, service_account_key: 60 }, forbidUnrestrictedApiKeys: false }]),
    );
  });
});
