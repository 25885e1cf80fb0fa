import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useSearchParams } from 'react-router';
import { describe, expect, test } from 'vitest';
import { CredentialAlertNotifier } from '../../../../src-renderer/src/credentials/CredentialAlertNotifier';
import { consoleAnswering } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { expiredSecret, payrollSecret } from './credential-fixtures';

function CredentialsRoute() {
  const [params] = useSearchParams();
  return <p>Rotating {params.get('rotate')}</p>;
}

function renderNotifier() {
  const view = renderWithConsole(
    <>
      <CredentialAlertNotifier />
      <Routes>
        <Route path="/" element={<p>Overview page</p>} />
        <Route path="/credentials" element={<CredentialsRoute />} />
      </Routes>
    </>,
    consoleAnswering({}),
  );
  return view;
}

describe('expiry alerts', { timeout: 30_000 }, () => {
  test('one credential: its own notification, with a Rotate button into its wizard', async () => {
    const { emit } = renderNotifier();
    await screen.findByText('Overview page');
    emit('credentials.alert', { alerts: [{ credentialKey: payrollSecret.key, status: 'expiring', title: 'Payroll Sync: a secret expires in 10 days', message: 'Rotate it before 14 Dec 2026.' }] });
    expect(await screen.findByText('Payroll Sync: a secret expires in 10 days')).toBeInTheDocument();
    expect(screen.getByText('Rotate it before 14 Dec 2026.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Rotate' }));
    expect(await screen.findByText(`Rotating ${payrollSecret.key}`)).toBeInTheDocument();
  });

  test('several at once: one notification listing each, the expired first, each with a Rotate button into its own wizard', async () => {
    const { emit } = renderNotifier();
    await screen.findByText('Overview page');
    emit('credentials.alert', {
      alerts: [
        { credentialKey: payrollSecret.key, status: 'expiring', title: 'Payroll Sync: a secret expires in 10 days', message: 'Rotate it before 14 Dec 2026.' },
        { credentialKey: expiredSecret.key, status: 'expired', title: 'HR Connector: a secret expired', message: 'It expired 3 days ago.' },
      ],
    });
    expect(await screen.findByText('2 credentials need rotating')).toBeInTheDocument();
    const listed = screen.getAllByTestId('credential-alert');
    expect(listed.map((entry) => entry.textContent)).toEqual(['HR Connector: a secret expiredRotate', 'Payroll Sync: a secret expires in 10 daysRotate']);
    expect(listed[1]).toHaveAttribute('title', 'Rotate it before 14 Dec 2026.');

    await userEvent.click(within(listed[1]!).getByRole('button', { name: 'Rotate' }));
    expect(await screen.findByText(`Rotating ${payrollSecret.key}`)).toBeInTheDocument();
  });
});
