import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes, useSearchParams } from 'react-router';
import { describe, expect, test, vi } from 'vitest';
import { CredentialAlertNotifier } from '../../../../src-renderer/src/credentials/CredentialAlertNotifier';
import type { CredentialAlert } from '../../../../src-shared/contract/credentials';
import { consoleAnswering, ok } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { expiredSecret, payrollSecret } from './credential-fixtures';

function CredentialsRoute() {
  const [params, setParams] = useSearchParams();
  return params.has('rotate') ? (
    <div role="dialog" aria-modal="true">
      <p>Rotating {params.get('rotate')}</p>
      <button type="button" onClick={() => setParams({})}>
        Close the wizard
      </button>
    </div>
  ) : (
    <p>Credentials page</p>
  );
}

const payrollAlert: CredentialAlert = { credentialKey: payrollSecret.key, status: 'expiring', title: 'Payroll Sync: a secret expires in 10 days', message: 'Rotate it before 14 Dec 2026.' };
const expiredAlert: CredentialAlert = { credentialKey: expiredSecret.key, status: 'expired', title: 'HR Connector: a secret expired', message: 'It expired 3 days ago.' };

/** Main's answers: the alerts pending before the window opened, and those left after a dismissal. */
function mainWithPending(pending: CredentialAlert[]) {
  let left = [...pending];
  return consoleAnswering({
    'credentials.pendingAlerts': () => ok({ alerts: left }),
    'credentials.dismissAlerts': (request) => {
      const { credentialKeys } = request as { credentialKeys: string[] };
      left = left.filter((alert) => !credentialKeys.includes(alert.credentialKey));
      return ok({ alerts: left });
    },
  });
}

function renderNotifier(answer = consoleAnswering({})) {
  const view = renderWithConsole(
    <>
      <CredentialAlertNotifier />
      <Routes>
        <Route path="/" element={<p>Overview page</p>} />
        <Route path="/credentials" element={<CredentialsRoute />} />
      </Routes>
    </>,
    answer,
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

  test('alerts raised before the window listened are shown when it opens, and later ones join the same notification', async () => {
    const { emit } = renderNotifier(mainWithPending([payrollAlert]));
    expect(await screen.findByText('Payroll Sync: a secret expires in 10 days')).toBeInTheDocument();
    emit('credentials.alert', { alerts: [payrollAlert, expiredAlert] });
    expect(await screen.findByText('2 credentials need rotating')).toBeInTheDocument();
    expect(screen.getAllByTestId('credential-alert').map((entry) => entry.textContent)).toEqual(['HR Connector: a secret expiredRotate', 'Payroll Sync: a secret expires in 10 daysRotate']);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });

  test('rotating one tells main; the others step aside while its wizard (a dialog) is open and come back when it closes; closing the notification tells main about them', async () => {
    const { requestsTo } = renderNotifier(mainWithPending([payrollAlert, expiredAlert]));
    expect(await screen.findByText('2 credentials need rotating')).toBeInTheDocument();
    const payroll = screen.getAllByTestId('credential-alert').find((entry) => entry.textContent?.startsWith('Payroll Sync'))!;
    await userEvent.click(within(payroll).getByRole('button', { name: 'Rotate' }));
    expect(await screen.findByText(`Rotating ${payrollSecret.key}`)).toBeInTheDocument();
    expect(requestsTo('credentials.dismissAlerts')).toEqual([{ credentialKeys: [payrollSecret.key] }]);
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());

    await userEvent.click(screen.getByRole('button', { name: 'Close the wizard' }));
    // One left: the notification is its own.
    expect(await screen.findByText('HR Connector: a secret expired')).toBeInTheDocument();
    expect(screen.queryByTestId('credential-alert-list')).not.toBeInTheDocument();
    expect(requestsTo('credentials.dismissAlerts')).toHaveLength(1);

    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(requestsTo('credentials.dismissAlerts')).toEqual([{ credentialKeys: [payrollSecret.key] }, { credentialKeys: [expiredSecret.key] }]);
    await waitFor(() => expect(screen.queryByText('HR Connector: a secret expired')).not.toBeInTheDocument());
  });

  test('an alert dismissed here does not come back with an announcement main sent before it heard', async () => {
    const { emit, requestsTo } = renderNotifier(mainWithPending([expiredAlert]));
    expect(await screen.findByText('HR Connector: a secret expired')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(requestsTo('credentials.dismissAlerts')).toEqual([{ credentialKeys: [expiredSecret.key] }]);
    emit('credentials.alert', { alerts: [expiredAlert, payrollAlert] });
    expect(await screen.findByText('Payroll Sync: a secret expires in 10 days')).toBeInTheDocument();
    expect(screen.queryByText('HR Connector: a secret expired')).not.toBeInTheDocument();
  });

  test('steps aside after 20 seconds without dismissing anything: main keeps the alert for the next window', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const { requestsTo } = renderNotifier(mainWithPending([payrollAlert]));
      expect(await screen.findByText(payrollAlert.title)).toBeInTheDocument();
      await vi.advanceTimersByTimeAsync(20_500);
      await waitFor(() => expect(screen.queryByText(payrollAlert.title)).not.toBeInTheDocument());
      expect(requestsTo('credentials.dismissAlerts')).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
