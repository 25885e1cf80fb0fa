import { screen } from '@testing-library/react';
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

describe('expiry alerts', { timeout: 30_000 }, () => {
  test('one notification per credential, each with a Rotate button into that credential’s wizard', async () => {
    const { emit } = renderWithConsole(
      <>
        <CredentialAlertNotifier />
        <Routes>
          <Route path="/" element={<p>Overview page</p>} />
          <Route path="/credentials" element={<CredentialsRoute />} />
        </Routes>
      </>,
      consoleAnswering({}),
    );
    await screen.findByText('Overview page');
    emit('credentials.alert', {
      alerts: [
        { credentialKey: payrollSecret.key, status: 'expiring', title: 'Payroll Sync: a secret expires in 10 days', message: 'Rotate it before 14 Dec 2026.' },
        { credentialKey: expiredSecret.key, status: 'expired', title: 'HR Connector: a secret expired', message: 'It expired 3 days ago.' },
      ],
    });
    expect(await screen.findByText('Payroll Sync: a secret expires in 10 days')).toBeInTheDocument();
    expect(screen.getByText('HR Connector: a secret expired')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Rotate' })).toHaveLength(2);

    await userEvent.click(screen.getAllByRole('button', { name: 'Rotate' })[0]!);
    expect(await screen.findByText(`Rotating ${payrollSecret.key}`)).toBeInTheDocument();
  });
});
