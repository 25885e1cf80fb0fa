import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { describe, expect, test } from 'vitest';
import type { Rotation } from '../../../../src-shared/contract/credentials';
import { rotatePath } from '../../../../src-renderer/src/credentials/credential-links';
import { RotationWizard } from '../../../../src-renderer/src/credentials/RotationWizard';
import { CredentialsPage } from '../../../../src-renderer/src/pages/CredentialsPage';
import { consoleAnswering, ok, refused } from '../connection-fixtures';
import { contoso } from '../consent/consent-fixtures';
import { renderWithConsole } from '../render-with-console';
import { atHandover, createdSecret, credentialsConsole, payrollSecret, readAt, rotation } from './credential-fixtures';

const newSecretValue = 'Qw3~never-logged-secret-value';

/** The wizard behind a button, so a test can close it and open it again as the admin would. */
function Reopenable() {
  const [open, setOpen] = useState(true);
  return open ? (
    <RotationWizard credentialKey={payrollSecret.key} onClose={() => setOpen(false)} />
  ) : (
    <button type="button" onClick={() => setOpen(true)}>
      Rotate again
    </button>
  );
}

/** Main as the wizard sees it: one rotation whose state the test moves; the secret is given once. */
function rotationConsole(initial: Rotation, advance: (step: { action: string }, current: Rotation) => Rotation | ReturnType<typeof refused>, handlers: Parameters<typeof credentialsConsole>[0] = {}) {
  let current = initial;
  let secretGiven = false;
  return credentialsConsole({
    'credentials.startRotation': () => ok(current),
    'credentials.advanceRotation': (request) => {
      const outcome = advance((request as { step: { action: string } }).step, current);
      if ('ok' in outcome) return outcome;
      current = outcome;
      return ok(current);
    },
    'credentials.revealSecret': () => {
      if (secretGiven) return refused({ code: 'secret_unavailable', message: 'The secret was shown once already.' });
      secretGiven = true;
      current = { ...current, secretWaiting: false };
      return ok({ format: 'text', label: 'Client secret value', value: newSecretValue });
    },
    ...handlers,
  });
}

describe('the rotation wizard', { timeout: 30_000 }, () => {
  test('a connection that may not change credentials yet is offered the capability first, in a dialog of its own', async () => {
    const lacking = {
      ...contoso,
      capabilities: [{ id: 'credentials' as const, allowed: false, held: false, extraScopes: [{ scope: 'Application.ReadWrite.All', reason: 'Adds and removes app secrets.' }] }],
    };
    renderWithConsole(<Reopenable />, consoleAnswering({ 'credentials.startRotation': () => ok(rotation()), 'connections.preview': () => new Promise(() => undefined) }, { connections: [lacking] }));
    const wizard = await screen.findByRole('dialog', { name: /Rotate client secret: Payroll Sync/ });
    const needed = await within(wizard).findByTestId('credentials-capability-needed');
    expect(needed).toHaveTextContent('First allow “Rotate keys and secrets”');
    await userEvent.click(within(needed).getByRole('button', { name: 'Allow rotating keys and secrets for Contoso' }));
    expect(await screen.findByRole('dialog', { name: 'Allow rotating keys and secrets for Contoso' })).toBeInTheDocument();
    // One dialog at a time: the wizard steps aside while the admin allows it.
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Rotate client secret/ })).not.toBeInTheDocument());
  });

  test('a connection that holds the capability is not asked for it', async () => {
    renderWithConsole(<Reopenable />, rotationConsole(rotation(), (_step, current) => current));
    const wizard = await screen.findByRole('dialog', { name: /Rotate client secret: Payroll Sync/ });
    await within(wizard).findByRole('button', { name: 'Create the new client secret' });
    expect(within(wizard).queryByTestId('credentials-capability-needed')).not.toBeInTheDocument();
  });

  test('shows the new secret once, and not again after the wizard is closed and opened again', async () => {
    const { requestsTo } = renderWithConsole(<Reopenable />, rotationConsole(atHandover(), (_step, current) => current));
    const dialog = await screen.findByRole('dialog', { name: /Rotate client secret: Payroll Sync/ });
    expect(within(dialog).queryByTestId('revealed-secret')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Show the new secret' }));
    expect(await within(dialog).findByTestId('revealed-secret')).toHaveTextContent(newSecretValue);
    expect(within(dialog).getByText('Copy it now: it will not be shown again')).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Close (the rotation waits)' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByText(newSecretValue)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Rotate again' }));
    const reopened = await screen.findByRole('dialog', { name: /Rotate client secret/ });
    expect(await within(reopened).findByTestId('secret-already-shown')).toBeInTheDocument();
    expect(within(reopened).queryByRole('button', { name: 'Show the new secret' })).not.toBeInTheDocument();
    expect(screen.queryByText(newSecretValue)).not.toBeInTheDocument();
    expect(requestsTo('credentials.revealSecret')).toHaveLength(1);
  });

  test('confirming the hand-over sends the overlap the admin chose, in days', async () => {
    const { requestsTo } = renderWithConsole(
      <RotationWizard credentialKey={payrollSecret.key} onClose={() => undefined} />,
      rotationConsole(atHandover(), (_step, current) => ({ ...current, state: 'overlap', overlapUntil: '2026-12-18T09:00:00.000Z', prompt: 'Both work until the overlap ends.' })),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Show the new secret' }));
    await within(dialog).findByTestId('revealed-secret');
    const confirm = within(dialog).getByRole('button', { name: 'Confirm the hand-over' });
    expect(confirm).toBeDisabled();
    await userEvent.click(within(dialog).getByRole('checkbox', { name: /I updated the app that uses it/ }));
    await userEvent.click(within(dialog).getByRole('radio', { name: 'After' }));
    const days = within(dialog).getByRole('textbox', { name: 'Days both keep working' });
    await userEvent.clear(days);
    await userEvent.type(days, '14');
    await userEvent.click(confirm);
    await waitFor(() => expect(requestsTo('credentials.advanceRotation')).toEqual([{ rotationId: 'rot-1a2b3c4d', step: { action: 'confirm_handover', overlapDays: 14 } }]));
    expect(await within(dialog).findByRole('button', { name: 'Remove the old one now' })).toBeInTheDocument();
    // The secret leaves with the hand-over step.
    expect(within(dialog).queryByText(newSecretValue)).not.toBeInTheDocument();
  });

  test('a refused step shows why and what to do, and Retry goes on from where it stopped', async () => {
    const failed = rotation({
      state: 'failed',
      failure: { at: 'creating', code: 'credential_limit_reached', message: 'Payroll Sync already holds the most secrets Microsoft allows.', nextStep: 'Remove an unused secret of Payroll Sync, then retry.', retryable: true },
      prompt: null,
    });
    const { requestsTo } = renderWithConsole(
      <RotationWizard credentialKey={payrollSecret.key} onClose={() => undefined} />,
      rotationConsole(failed, (step, current) => (step.action === 'retry' ? atHandover() : current)),
    );
    const failure = await screen.findByTestId('rotation-failure');
    expect(failure).toHaveTextContent('Stopped at “Creating the new one”');
    expect(failure).toHaveTextContent('Payroll Sync already holds the most secrets Microsoft allows.');
    expect(failure).toHaveTextContent('Next step: Remove an unused secret of Payroll Sync, then retry.');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('button', { name: 'Show the new secret' })).toBeInTheDocument();
    expect(requestsTo('credentials.advanceRotation')).toEqual([{ rotationId: 'rot-1a2b3c4d', step: { action: 'retry' } }]);
  });

  test('a rotation that moves in main moves the wizard with it', async () => {
    const { emit } = renderWithConsole(<RotationWizard credentialKey={payrollSecret.key} onClose={() => undefined} />, rotationConsole(rotation({ state: 'creating', prompt: null }), (_step, current) => current));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('rotation-wizard')).toHaveAttribute('data-state', 'creating');
    emit('credentials.rotationChanged', atHandover());
    await waitFor(() => expect(within(dialog).getByTestId('rotation-wizard')).toHaveAttribute('data-state', 'handover'));
    expect(within(dialog).getByRole('button', { name: 'Show the new secret' })).toBeInTheDocument();
  });

  test('a step done in the provider’s console shows the rotation’s guide in order, opens its page through the guarded opener, then confirms', async () => {
    const guide = {
      where: 'Zendesk Admin Center › Apps and integrations › APIs › API tokens',
      steps: ['Choose Add API token, enter the description “Status page (rotated)” and save.', 'Copy the token into what uses the old one.', 'Delete the old token “Status page”.'],
      url: 'https://acme.zendesk.com/admin/apps-integrations/apis/api-tokens',
    };
    const manual = rotation({
      provider: 'zendesk',
      kind: 'zendesk_api_token',
      secretFormat: 'none',
      state: 'awaiting_manual_create',
      steps: [
        { id: 'manual_create', label: 'Create the new API token and delete the old one in the console', status: 'current', at: null },
        { id: 'verify', label: 'Check that the old API token is gone', status: 'waiting', at: null },
      ],
      prompt: 'Create a new API token in Zendesk Admin Center, update what uses the old one, delete the old one there, then confirm: Consentry then checks that the old API token is gone.',
      guide,
    });
    const { requestsTo } = renderWithConsole(
      <RotationWizard credentialKey={payrollSecret.key} onClose={() => undefined} />,
      rotationConsole(manual, (_step, current) => ({ ...current, state: 'retiring', prompt: null }), { 'app.openExternal': () => ok({ opened: true }) }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('manual-create-where')).toHaveTextContent(guide.where);
    expect(within(within(dialog).getByTestId('manual-create-steps')).getAllByRole('listitem').map((item) => item.textContent)).toEqual(guide.steps);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Open Zendesk Admin Center' }));
    await waitFor(() => expect(requestsTo('app.openExternal')).toEqual([{ url: guide.url }]));
    await userEvent.click(within(dialog).getByRole('button', { name: 'I did these steps' }));
    await waitFor(() => expect(requestsTo('credentials.advanceRotation')).toEqual([{ rotationId: 'rot-1a2b3c4d', step: { action: 'confirm_manual_create' } }]));
    await waitFor(() => expect(within(dialog).getByTestId('rotation-wizard')).toHaveAttribute('data-state', 'retiring'));
  });

  test('a console step whose page Consentry cannot build offers no button to open it', async () => {
    const guide = { where: 'Okta Admin Console › Security › API › Tokens', steps: ['Choose Create token.'], url: null };
    renderWithConsole(
      <RotationWizard credentialKey={payrollSecret.key} onClose={() => undefined} />,
      rotationConsole(rotation({ provider: 'okta', kind: 'okta_api_token', secretFormat: 'none', state: 'awaiting_manual_create', guide }), (_step, current) => current),
    );
    expect(await screen.findByTestId('manual-create-steps')).toHaveTextContent('Choose Create token.');
    expect(screen.queryByRole('button', { name: /^Open / })).not.toBeInTheDocument();
  });

  test('a certificate is not created without its public certificate, and never from a private key', async () => {
    const { requestsTo } = renderWithConsole(
      <RotationWizard credentialKey={payrollSecret.key} onClose={() => undefined} />,
      rotationConsole(rotation({ kind: 'app_certificate', secretFormat: 'none' }), (_step, current) => current),
    );
    const create = await screen.findByRole('button', { name: 'Create the new app certificate' });
    await userEvent.click(create);
    expect(await screen.findByText('Paste the new public certificate (BEGIN CERTIFICATE).')).toBeInTheDocument();
    await userEvent.type(screen.getByRole('textbox', { name: /New public certificate/ }), '-----BEGIN PRIVATE KEY-----');
    await userEvent.click(create);
    expect(await screen.findByText(/That is a private key/)).toBeInTheDocument();
    expect(requestsTo('credentials.advanceRotation')).toEqual([]);
  });

  test('a credential with a rotation under way opens at that rotation from the page address', async () => {
    renderWithConsole(
      <Routes>
        <Route path="/" element={<Navigate to={rotatePath(payrollSecret.key)} />} />
        <Route path="/credentials" element={<CredentialsPage />} />
      </Routes>,
      rotationConsole(rotation({ state: 'overlap', created: createdSecret, overlapUntil: '2026-12-18T09:00:00.000Z', prompt: 'Both work until the overlap ends.' }), (_step, current) => current),
    );
    const dialog = await screen.findByRole('dialog', { name: /Rotate client secret/ });
    expect(await within(dialog).findByTestId('rotation-wizard')).toHaveAttribute('data-state', 'overlap');
    expect(within(dialog).getByRole('button', { name: 'Remove the old one now' })).toBeInTheDocument();
  });

  test('when done, shows the new and the removed credential each by name, with its id on a line of its own', async () => {
    const done = rotation({ state: 'done', created: createdSecret, prompt: null, finishedAt: readAt });
    renderWithConsole(<Reopenable />, rotationConsole(done, (_step, current) => current));
    const facts = await screen.findByTestId('rotation-done');
    const newCell = within(facts).getByText('New', { selector: 'th' }).nextElementSibling as HTMLElement;
    expect([...newCell.querySelectorAll('p')].map((line) => line.textContent)).toEqual([createdSecret.displayName, createdSecret.credentialId]);
    const removedCell = within(facts).getByText('Removed', { selector: 'th' }).nextElementSibling as HTMLElement;
    expect([...removedCell.querySelectorAll('p')].map((line) => line.textContent)).toEqual([payrollSecret.displayName, payrollSecret.credentialId]);
  });
});

