import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { DisconnectOutcomeSchema, VaultStatusSchema } from '../../../src-shared/contract/connections';
import { ConnectionAlertNotifier } from '../../../src-renderer/src/connections/ConnectionAlertNotifier';
import { ConnectionsPage } from '../../../src-renderer/src/pages/ConnectionsPage';
import { connectionView, consoleAnswering, googleAuditScopes, googleCapabilityViews, googleScopes, microsoftRevokeScopes, ok, preview } from './connection-fixtures';
import { renderWithConsole } from './render-with-console';

async function openRowMenu(label: string) {
  await userEvent.click(await screen.findByRole('button', { name: `Actions for ${label}` }));
}

describe('connections page', () => {
  test('explains what connecting does and offers to connect a tenant when nothing is connected', async () => {
    renderWithConsole(<ConnectionsPage />, consoleAnswering());
    const empty = await screen.findByTestId('connections-empty');
    expect(empty).toHaveTextContent('No tenants connected');
    expect(empty).toHaveTextContent('your system browser');
    // One way in, so "Connect a tenant" names exactly one button.
    expect(screen.getAllByRole('button', { name: 'Connect a tenant' })).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Connect a tenant' }));
    expect(await screen.findByRole('dialog', { name: 'Connect a tenant' })).toBeInTheDocument();
    expect(await screen.findByRole('radio', { name: 'Google Workspace' })).toBeInTheDocument();
  });

  test('lists each connection with its status, account, tenant, scope count, what it may change and storage', async () => {
    const missing = googleAuditScopes.slice(0, -1);
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({}, {
        connections: [
          connectionView(),
          connectionView({ id: 'conn-ms', label: 'Contoso', provider: 'microsoft', providerLabel: 'Microsoft Entra ID / Microsoft 365', family: 'microsoft', account: 'it@contoso.example', tenant: 'contoso.onmicrosoft.com', capabilities: [{ id: 'revoke_grants', allowed: true, held: true, extraScopes: microsoftRevokeScopes }], status: 'expiring_soon', storage: 'session-only', scopesGranted: missing }),
        ],
      }),
    );
    const table = await screen.findByTestId('connections-table');
    const acme = within(table).getByRole('row', { name: /Acme Workspace/ });
    expect(acme).toHaveTextContent('Google Workspace');
    expect(acme).toHaveTextContent('admin@acme.example');
    expect(acme).toHaveTextContent('acme.example');
    expect(within(acme).getByText('Active')).toBeInTheDocument();
    expect(acme).toHaveTextContent(`${googleAuditScopes.length} of ${googleAuditScopes.length}`);
    expect(within(acme).getByText('Read only')).toBeInTheDocument();
    expect(within(acme).queryByText('Session only')).not.toBeInTheDocument();
    expect(within(acme).getByText('10 minutes ago')).toHaveAttribute('datetime');
    expect(within(acme).getByText('in 45 minutes')).toBeInTheDocument();

    const contoso = within(table).getByRole('row', { name: /Contoso/ });
    expect(within(contoso).getByText('Expiring soon')).toBeInTheDocument();
    expect(within(contoso).getByText('Revokes grants')).toBeInTheDocument();
    expect(within(contoso).getByText('Session only')).toBeInTheDocument();
    expect(within(contoso).getByLabelText(`${missing.length} of ${googleAuditScopes.length}; 1 requested scope was not granted`)).toBeInTheDocument();
    // With connections listed, the header carries the way to add another.
    expect(screen.getByRole('button', { name: 'Connect a tenant' })).toBeInTheDocument();
  });

  test('shows a needs-reconnect badge and the next step', async () => {
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({}, {
        connections: [
          connectionView({
            status: 'needs_reconnect',
            statusDetail: 'Google no longer accepts this sign-in: the refresh token was revoked.',
            nextRefreshAt: null,
            lastError: { code: 'needs_reconnect', message: 'The refresh token was revoked.', nextStep: 'Reconnect to sign in again.', at: new Date().toISOString() },
          }),
        ],
      }),
    );
    const row = await screen.findByRole('row', { name: /Acme Workspace/ });
    expect(within(row).getByText('Needs reconnect')).toBeInTheDocument();
    expect(row).toHaveTextContent('Google no longer accepts this sign-in: the refresh token was revoked.');
    expect(row).toHaveTextContent('Next step: Reconnect to sign in again.');
    await openRowMenu('Acme Workspace');
    expect(screen.getByRole('menuitem', { name: 'Refresh now' })).toBeDisabled();
    expect(screen.getByRole('menuitem', { name: 'Reconnect' })).toBeEnabled();
    expect(screen.getByRole('menuitem', { name: 'Remove from list' })).toBeInTheDocument();
  });

  test('offers Remove from list only for connections that no longer work', async () => {
    renderWithConsole(<ConnectionsPage />, consoleAnswering({}, { connections: [connectionView()] }));
    await openRowMenu('Acme Workspace');
    expect(screen.getByRole('menuitem', { name: 'Disconnect' })).toBeInTheDocument();
    expect(screen.queryByRole('menuitem', { name: 'Remove from list' })).not.toBeInTheDocument();
  });

  test('removes a revoked connection after confirmation', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'connections.remove': () => ok({ removed: true }) }, { connections: [connectionView({ status: 'revoked' })] }),
    );
    await openRowMenu('Acme Workspace');
    expect(screen.queryByRole('menuitem', { name: 'Disconnect' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('menuitem', { name: 'Remove from list' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove Acme Workspace from the list?' });
    expect(dialog).toHaveTextContent('Nothing is sent to Google Workspace');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByText('Removed from the list')).toBeInTheDocument();
    expect(requestsTo('connections.remove')).toEqual([{ id: 'conn-acme' }]);
  });

  test('offers session-only mode when encryption is unavailable', async () => {
    const unavailable = VaultStatusSchema.parse({
      mode: 'unavailable',
      problem: 'The system keychain (libsecret) is not available, so secrets cannot be encrypted at rest.',
      nextStep: 'Install and unlock a keyring such as GNOME Keyring, then restart Consentry.',
    });
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'vault.useSessionOnly': () => ok({ mode: 'session-only', problem: unavailable.problem, nextStep: null }) }, { vault: unavailable }),
    );
    const alert = await screen.findByRole('alert', { name: /Tokens cannot be stored encrypted/ });
    expect(alert).toHaveTextContent('libsecret');
    expect(alert).toHaveTextContent('Next step: Install and unlock a keyring such as GNOME Keyring, then restart Consentry.');
    await userEvent.click(within(alert).getByRole('button', { name: 'Keep tokens for this session only' }));
    expect(await screen.findByText('Tokens kept for this session only')).toBeInTheDocument();
    expect(requestsTo('vault.useSessionOnly')).toEqual([{ enabled: true }]);
  });

  test('warns that tokens are lost on quit in session-only mode and lets the admin turn it off', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering(
        { 'vault.useSessionOnly': () => ok({ mode: 'unavailable', problem: 'No keychain.', nextStep: 'Install a keyring.' }) },
        { vault: { mode: 'session-only', problem: null, nextStep: null } },
      ),
    );
    expect(await screen.findByText('Tokens are kept for this session only')).toBeInTheDocument();
    expect(screen.getByText(/When Consentry quits they are lost/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Turn off session-only mode' }));
    await waitFor(() => expect(requestsTo('vault.useSessionOnly')).toEqual([{ enabled: false }]));
  });

  test('shows the disconnect outcome with where to revoke by hand', async () => {
    const where = 'Google Admin console › Security › API controls › Manage third-party app access';
    const outcome = DisconnectOutcomeSchema.parse({
      connection: connectionView({ status: 'revoked' }),
      revocation: 'failed',
      message: 'Google Workspace could not be told to revoke the tokens (network unreachable). Local tokens were deleted anyway; revoke the grant by hand.',
      manualRevocation: { where, url: 'https://myaccount.google.com/permissions' },
    });
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering(
        { 'connections.disconnect': () => ok(outcome), 'app.openExternal': () => ok({ opened: true }) },
        { connections: [connectionView()] },
      ),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect Acme Workspace?' });
    expect(dialog).toHaveTextContent('Ask Google Workspace to revoke Consentry’s tokens');
    expect(dialog).toHaveTextContent('Delete the tokens and the client secret stored on this computer, even if Google Workspace cannot be reached.');
    expect(requestsTo('connections.disconnect')).toEqual([]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Disconnect' }));
    const report = await within(dialog).findByTestId('disconnect-outcome');
    expect(report).toHaveTextContent('Revocation at the provider failed');
    expect(report).toHaveTextContent(outcome.message);
    expect(report).toHaveTextContent(`Revoke by hand: ${where}`);
    await userEvent.click(within(report).getByRole('button', { name: 'Open revocation page' }));
    await waitFor(() => expect(requestsTo('app.openExternal')).toEqual([{ url: 'https://myaccount.google.com/permissions' }]));
    expect(requestsTo('connections.disconnect')).toEqual([{ id: 'conn-acme' }]);
  });

  test('says before disconnecting when the provider cannot revoke tokens itself', async () => {
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({}, { connections: [connectionView({ provider: 'pipedrive', providerLabel: 'Pipedrive', family: 'generic' })] }),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Disconnect' }));
    const dialog = await screen.findByRole('dialog', { name: 'Disconnect Acme Workspace?' });
    await waitFor(() => expect(dialog).toHaveTextContent('Not end the grant at Pipedrive: it offers no call that revokes an app’s tokens.'));
  });

  test('refreshes a connection now and reports the renewal', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'connections.refresh': () => ok(connectionView({ lastRefreshAt: new Date().toISOString() })) }, { connections: [connectionView()] }),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Refresh now' }));
    expect(await screen.findByText('Acme Workspace refreshed')).toBeInTheDocument();
    expect(requestsTo('connections.refresh')).toEqual([{ id: 'conn-acme' }]);
  });

  test('reports a renewal that failed with main’s reason and next step', async () => {
    const failing = connectionView({
      status: 'refresh_failing',
      statusDetail: 'Renewal failed once.',
      lastError: { code: 'network', message: 'Google Workspace could not be reached.', nextStep: 'Check the network; Consentry retries on its own.', at: new Date().toISOString() },
    });
    renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'connections.refresh': () => ok(failing) }, { connections: [connectionView()] }));
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Refresh now' }));
    expect(await screen.findByText('Acme Workspace: refresh failing')).toBeInTheDocument();
    expect(screen.getByText('Google Workspace could not be reached. Check the network; Consentry retries on its own.')).toBeInTheDocument();
  });

  test('the details say what Consentry may do; allowing Google’s revoking asks for nothing and opens no browser', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'connections.enableCapability': () => ok(connectionView({ capabilities: googleCapabilityViews(['revoke_grants']) })) }, { connections: [connectionView()] }),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Details' }));
    const revoke = await screen.findByTestId('connection-capability-revoke_grants');
    expect(revoke).toHaveTextContent('Off');
    expect(revoke).toHaveTextContent('Adds no scope: the audit scopes already allow it.');
    // In this build since the Offboarding page: it can be allowed, and the scopes it adds are named first.
    const offboarding = screen.getByTestId('connection-capability-offboarding');
    expect(offboarding).not.toHaveTextContent('Arrives with');
    expect(within(offboarding).getByRole('button', { name: 'Allow' })).toBeEnabled();
    for (const added of googleScopes.offboarding) expect(offboarding).toHaveTextContent(added.scope);

    await userEvent.click(within(revoke).getByRole('button', { name: 'Allow' }));
    const dialog = await screen.findByRole('dialog', { name: 'Allow revoking grants for Acme Workspace' });
    expect(within(dialog).getByTestId('no-new-scope')).toHaveTextContent('nothing is asked for and no browser opens');
    expect(within(dialog).queryByTestId('scope-table')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Allow revoking grants' }));
    expect(await screen.findByText('Revoke grants: allowed')).toBeInTheDocument();
    expect(requestsTo('connections.enableCapability')).toEqual([{ connectionId: 'conn-acme', attemptId: expect.stringMatching(/^[0-9a-f-]{36}$/), capability: 'revoke_grants' }]);
    expect(requestsTo('connections.preview')).toEqual([]);
    expect(requestsTo('connections.reconnect')).toEqual([]);
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Allow revoking grants for Acme Workspace' })).not.toBeInTheDocument());
  });

  test('allowing a capability that adds scopes lists exactly those, then signs in again in the browser', async () => {
    const revokeScopes = microsoftRevokeScopes.map(({ scope, reason }) => ({ scope, reason, purpose: 'revoke_grants' as const }));
    const microsoftConnection = (allowed: boolean) =>
      connectionView({
        id: 'conn-ms', label: 'Contoso', provider: 'microsoft', providerLabel: 'Microsoft Entra ID / Microsoft 365', family: 'microsoft',
        scopesRequested: ['openid', 'Directory.Read.All', ...(allowed ? microsoftRevokeScopes.map((added) => added.scope) : [])],
        scopesGranted: ['openid', 'Directory.Read.All', ...(allowed ? microsoftRevokeScopes.map((added) => added.scope) : [])],
        capabilities: [{ id: 'revoke_grants', allowed, held: allowed, extraScopes: microsoftRevokeScopes }],
      });
    let finish: (value: ReturnType<typeof ok>) => void = () => undefined;
    const { requestsTo, emit } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering(
        {
          'connections.preview': () => ok(preview({ scopes: [googleScopes.signIn[0]!, ...revokeScopes], authorizationHost: 'login.microsoftonline.com' })),
          'connections.enableCapability': () => new Promise((resolve) => (finish = resolve)),
        },
        { connections: [microsoftConnection(false)] },
      ),
    );
    await openRowMenu('Contoso');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Details' }));
    await userEvent.click(within(await screen.findByTestId('connection-capability-revoke_grants')).getByRole('button', { name: 'Allow' }));
    const dialog = await screen.findByRole('dialog', { name: 'Allow revoking grants for Contoso' });
    const table = await within(dialog).findByTestId('scope-table');
    for (const added of revokeScopes) expect(within(table).getByText(added.scope).closest('tr')).toHaveTextContent(added.reason);
    // Scopes the connection holds already are not presented as new.
    expect(within(table).queryByText('openid')).not.toBeInTheDocument();
    expect(requestsTo('connections.preview')).toEqual([{ provider: 'microsoft', settings: {}, capabilities: ['revoke_grants'] }]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Open browser and allow' }));
    const [request] = requestsTo('connections.enableCapability') as { connectionId: string; attemptId: string; capability: string }[];
    expect(request).toMatchObject({ connectionId: 'conn-ms', capability: 'revoke_grants' });
    emit('connections.attempt', { attemptId: request!.attemptId, stage: 'waiting_for_browser', authorizationHost: 'login.microsoftonline.com', message: 'Finish signing in to Microsoft in your browser (login.microsoftonline.com).' });
    expect(await within(dialog).findByText('Finish signing in to Microsoft in your browser (login.microsoftonline.com).')).toBeInTheDocument();
    finish(ok(microsoftConnection(true)));
    expect(await screen.findByText('Revoke grants: allowed')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Allow revoking grants for Contoso' })).not.toBeInTheDocument());
  });

  test('stopping a capability needs no sign-in and says so', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'connections.disableCapability': () => ok(connectionView()) }, { connections: [connectionView({ capabilities: googleCapabilityViews(['revoke_grants']) })] }),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Details' }));
    const revoke = await screen.findByTestId('connection-capability-revoke_grants');
    expect(revoke).toHaveTextContent('Allowed');
    await userEvent.click(within(revoke).getByRole('button', { name: 'Stop' }));
    expect(await screen.findByText('Revoke grants: stopped')).toBeInTheDocument();
    expect(requestsTo('connections.disableCapability')).toEqual([{ connectionId: 'conn-acme', capability: 'revoke_grants' }]);
    expect(screen.queryByRole('dialog', { name: /Allow/ })).not.toBeInTheDocument();
  });

  test('shows every detail of a connection, with the scopes not granted, and never a secret', async () => {
    const granted = googleAuditScopes.filter((scope) => !scope.endsWith('admin.reports.audit.readonly'));
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({}, {
        connections: [
          connectionView({
            scopesGranted: granted,
            settings: { redirectPort: 53_682 },
            lastError: { code: 'network', message: 'The provider could not be reached.', nextStep: 'Check the network.', at: new Date().toISOString() },
          }),
        ],
      }),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Details' }));
    const details = await screen.findByTestId('connection-details');
    expect(details).toHaveTextContent('1234-desktop.apps.googleusercontent.com');
    expect(details).toHaveTextContent('Stored in the vault (never shown)');
    expect(details).toHaveTextContent('http://127.0.0.1/callback');
    expect(within(details).getByRole('button', { name: 'Copy redirect URI' })).toBeInTheDocument();
    expect(details).toHaveTextContent('Redirect port53682');
    expect(details).toHaveTextContent('Next step: Check the network.');
    expect(within(details).getByTestId('scopes-not-granted')).toHaveTextContent('https://www.googleapis.com/auth/admin.reports.audit.readonly');
    expect(details).toHaveTextContent('Google Admin console › Security › API controls › Manage third-party app access');
  });

  test('changes the API calls per minute of one connection, and goes back to the default', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering(
        { 'connections.setApiQuota': (request) => ok(connectionView({ settings: { apiQuotaPerMinute: (request as { quotaPerMinute: number }).quotaPerMinute } })) },
        { connections: [connectionView({ settings: { apiQuotaPerMinute: 600 } })] },
      ),
    );
    await openRowMenu('Acme Workspace');
    await userEvent.click(screen.getByRole('menuitem', { name: 'Details' }));
    const details = await screen.findByTestId('connection-details');
    const input = within(details).getByLabelText('API calls per minute');
    expect(input).toHaveValue('600');
    await userEvent.clear(input);
    await userEvent.type(input, '1200');
    await userEvent.click(within(details).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(requestsTo('connections.setApiQuota')).toEqual([{ id: 'conn-acme', quotaPerMinute: 1_200 }]));
    await userEvent.click(within(details).getByRole('button', { name: 'Use the default' }));
    await waitFor(() => expect(requestsTo('connections.setApiQuota')).toEqual([{ id: 'conn-acme', quotaPerMinute: 1_200 }, { id: 'conn-acme', quotaPerMinute: null }]));
  });

  test('reloads the list when main reports a change', async () => {
    const { requestsTo, emit } = renderWithConsole(<ConnectionsPage />, consoleAnswering());
    await screen.findByTestId('connections-empty');
    const before = requestsTo('connections.list').length;
    emit('connections.changed', { connectionId: 'conn-acme' });
    await waitFor(() => expect(requestsTo('connections.list').length).toBeGreaterThan(before));
  });

  test('raises main’s connection alerts as notifications with the next step', async () => {
    const { emit } = renderWithConsole(<ConnectionAlertNotifier />, consoleAnswering());
    emit('connections.alert', {
      connectionId: 'conn-acme',
      label: 'Acme Workspace',
      code: 'needs_reconnect',
      message: 'Google no longer accepts this sign-in.',
      nextStep: 'Reconnect Acme Workspace.',
    });
    expect(await screen.findByText('Acme Workspace needs attention')).toBeInTheDocument();
    expect(screen.getByText('Google no longer accepts this sign-in. Reconnect Acme Workspace.')).toBeInTheDocument();
  });
});
