import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { ConnectionDraft } from '../../../src-shared/contract/connections';
import type { Envelope } from '../../../src-shared/contract/envelope';
import { ConnectionsPage } from '../../../src-renderer/src/pages/ConnectionsPage';
import { connectionView, consoleAnswering, googleScopes, microsoftRevokeScopes, ok, preview, refused } from './connection-fixtures';
import { renderWithConsole } from './render-with-console';

type ConnectRequest = { attemptId: string; draft: ConnectionDraft };

/** A 'connections.connect' answer the test settles when it chooses, as main does after the browser. */
function pendingConnect() {
  let settle: (envelope: Envelope) => void = () => undefined;
  const handler = () => new Promise<Envelope>((resolve) => (settle = resolve));
  return { handler, settle: (envelope: Envelope) => settle(envelope) };
}

async function openWizard() {
  await userEvent.click(await screen.findByRole('button', { name: 'Connect a tenant' }));
  return screen.findByRole('dialog', { name: 'Connect a tenant' });
}

async function chooseProvider(name: string | RegExp) {
  await userEvent.click(await screen.findByRole('radio', { name }));
  await userEvent.click(screen.getByRole('button', { name: 'Next' }));
}

/** Pastes a value into an input, as an admin copying from a provider's console would. */
async function paste(input: HTMLElement, text: string) {
  await userEvent.click(input);
  await userEvent.paste(text);
}

/** Next, once it is ready: on the Client step it waits for main's preview of the latest values. */
async function clickNext() {
  const next = screen.getByRole('button', { name: 'Next' });
  await waitFor(() => expect(next).toBeEnabled());
  await userEvent.click(next);
}

async function fillGoogleClient() {
  await paste(screen.getByLabelText('Client ID', { exact: false }), '1234-desktop.apps.googleusercontent.com');
  await paste(screen.getByLabelText('Client secret', { exact: false }), 'GOCSPX-not-a-real-secret');
}

/** Through Provider, Client, Access (left as it is: read only) and Scopes to the Browser step. */
async function walkToBrowserStep() {
  await chooseProvider('Google Workspace');
  await fillGoogleClient();
  await clickNext();
  await screen.findByTestId('capability-read');
  await clickNext();
  await screen.findByTestId('scope-table');
  await clickNext();
  return screen.findByRole('button', { name: 'Open browser and connect' });
}

// Each test walks the wizard, waiting for the debounced preview at every step.
describe('connect wizard', { timeout: 15_000 }, () => {
  test('shows the redirect URI to register for the chosen provider', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({
        'connections.preview': () => ok(preview({ redirectUri: 'http://127.0.0.1:53682/callback', redirectNote: 'Salesforce matches the redirect URI exactly: register it as shown, port included.' })),
        'app.openExternal': () => ok({ opened: true }),
      }),
    );
    await openWizard();
    await chooseProvider('Salesforce');
    expect(screen.getByText('Salesforce Setup › External Client Apps › New External Client App')).toBeInTheDocument();
    expect(screen.getByText('Create the app with the callback URL shown here.')).toBeInTheDocument();
    // Salesforce has no registration page to open; the field it needs comes first.
    expect(screen.queryByRole('button', { name: 'Open the registration page' })).not.toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('My Domain', { exact: false }), 'acme');

    expect(await screen.findByTestId('redirect-uri')).toHaveTextContent('http://127.0.0.1:53682/callback');
    expect(screen.getByRole('button', { name: 'Copy redirect URI' })).toBeInTheDocument();
    expect(screen.getByText(/register it as shown, port included/)).toBeInTheDocument();
    // Sent before a client ID exists (it is registered with this URI): no name, client ID or secret.
    await waitFor(() => expect(requestsTo('connections.preview').at(-1)).toMatchObject({ provider: 'salesforce', settings: { myDomain: 'acme' }, capabilities: [] }));
    for (const sent of requestsTo('connections.preview')) expect(Object.keys(sent as object).sort()).toEqual(['capabilities', 'provider', 'settings']);
  });

  test('never shows the redirect URI of the provider chosen before', async () => {
    renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'connections.preview': () => ok(preview({ redirectUri: 'http://127.0.0.1/callback' })) }));
    await openWizard();
    await chooseProvider('Google Workspace');
    expect(await screen.findByTestId('redirect-uri')).toHaveTextContent('http://127.0.0.1/callback');
    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    await chooseProvider('Salesforce');
    // Salesforce's preview waits for its My Domain; Google's URI must not stand in for it.
    expect(screen.queryByTestId('redirect-uri')).not.toBeInTheDocument();
    expect(await screen.findByText('It appears here as soon as the details below are valid.')).toBeInTheDocument();
    expect(screen.queryByTestId('redirect-uri')).not.toBeInTheDocument();
  });

  test('opens the provider’s registration page in the system browser', async () => {
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'connections.preview': () => ok(preview()), 'app.openExternal': () => ok({ opened: true }) }),
    );
    await openWizard();
    await chooseProvider('Google Workspace');
    await userEvent.click(screen.getByRole('button', { name: 'Open the registration page' }));
    await waitFor(() => expect(requestsTo('app.openExternal')).toEqual([{ url: 'https://console.cloud.google.com/apis/credentials' }]));
  });

  test('shows main’s field errors under the client fields', async () => {
    const message = 'Enter your My Domain name (e.g. acme) or its host, acme.my.salesforce.com.';
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({
        'connections.preview': (request) =>
          (request as ConnectionDraft).settings?.myDomain === 'not a domain'
            ? refused({ code: 'invalid_request', message, nextStep: 'Correct the highlighted fields; nothing was sent to the provider.', fields: [{ field: 'settings.myDomain', message }] })
            : ok(preview()),
      }),
    );
    await openWizard();
    await chooseProvider('Salesforce');
    const myDomain = screen.getByLabelText('My Domain', { exact: false });
    await userEvent.type(myDomain, 'not a domain');
    await waitFor(() => expect(myDomain).toHaveAccessibleDescription(expect.stringContaining(message)));
    expect(myDomain).toHaveAttribute('aria-invalid', 'true');
    // The step does not let a draft main refused go on to the browser.
    await paste(screen.getByLabelText('Client ID', { exact: false }), 'client-123');
    await clickNext();
    expect(screen.getByLabelText('My Domain', { exact: false })).toHaveAccessibleDescription(expect.stringContaining(message));
  });

  test('asks for the client secret only when the provider has one, and requires it when the provider does', async () => {
    const { requestsTo } = renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'connections.preview': () => ok(preview()) }));
    await openWizard();
    await chooseProvider(/Microsoft Entra ID/);
    expect(screen.queryByLabelText('Client secret', { exact: false })).not.toBeInTheDocument();
    expect(screen.getByText('Public client: Microsoft sign-in for desktop apps uses no secret.')).toBeInTheDocument();
    expect(screen.getByLabelText('Tenant')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Cloud' })).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Back' }));
    await chooseProvider('Google Workspace');
    const secret = screen.getByLabelText('Client secret', { exact: false });
    expect(secret).toHaveAttribute('type', 'password');
    expect(secret).toBeRequired();
    await paste(screen.getByLabelText('Client ID', { exact: false }), 'client-123');
    await clickNext();
    await waitFor(() => expect(secret).toHaveAccessibleDescription(expect.stringContaining('Enter the client secret.')));
    expect(requestsTo('connections.connect')).toEqual([]);
  });

  test('turns a custom provider’s scope lists into arrays, one scope per line or word', async () => {
    const { requestsTo } = renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'connections.preview': () => ok(preview()) }));
    await openWizard();
    await chooseProvider(/Other OAuth 2.0/);
    await paste(screen.getByLabelText('Audit scopes', { exact: false }), 'users.read apps.read\n  logs.read\n');
    await paste(screen.getByLabelText('Authorization endpoint'), 'https://id.example.com/authorize');
    await waitFor(() =>
      expect(requestsTo('connections.preview').at(-1)).toMatchObject({
        provider: 'custom',
        settings: { auditScopes: ['users.read', 'apps.read', 'logs.read'], authorizationEndpoint: 'https://id.example.com/authorize' },
      }),
    );
  });

  test('reads always; each capability is off until allowed and lists the scopes it adds, each with its reason', async () => {
    const revokeScopes = microsoftRevokeScopes.map(({ scope, reason }) => ({ scope, reason, purpose: 'revoke_grants' as const }));
    const { requestsTo } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({
        'connections.preview': (request) =>
          ok(
            preview({
              scopes: [...googleScopes.signIn, ...((request as ConnectionDraft).capabilities?.includes('revoke_grants') ? revokeScopes : [])],
              scopesNote: 'Microsoft takes these scopes from the request.',
              authorizationHost: 'login.microsoftonline.com',
            }),
          ),
      }),
    );
    await openWizard();
    await chooseProvider(/Microsoft Entra ID/);
    await paste(screen.getByLabelText('Client ID', { exact: false }), '00000000-aaaa-4bbb-8ccc-000000000000');
    await clickNext();

    expect(await screen.findByTestId('capability-read')).toHaveTextContent('Lists users and delegated permission grants.');
    const revoke = screen.getByRole('checkbox', { name: 'Revoke grants' });
    expect(revoke).not.toBeChecked();
    for (const added of microsoftRevokeScopes) expect(screen.getByTestId('capability-revoke_grants')).toHaveTextContent(`${added.scope}${added.reason}`);
    await userEvent.click(revoke);
    expect(revoke).toBeChecked();
    await clickNext();

    const table = await screen.findByTestId('scope-table');
    for (const added of revokeScopes) expect(within(table).getByText(added.scope).closest('tr')).toHaveTextContent(`Revoke grants${added.reason}`);
    expect(screen.getByText('Microsoft takes these scopes from the request.')).toBeInTheDocument();
    expect(screen.getByText('login.microsoftonline.com')).toBeInTheDocument();
    expect(requestsTo('connections.preview').at(-1)).toMatchObject({ capabilities: ['revoke_grants'] });
    expect(requestsTo('connections.connect')).toEqual([]);
  });

  test('says that revoking Google grants adds no scope, and offers offboarding with each scope it adds and why', async () => {
    renderWithConsole(<ConnectionsPage />, consoleAnswering({ 'connections.preview': () => ok(preview()) }));
    await openWizard();
    await chooseProvider('Google Workspace');
    await fillGoogleClient();
    await clickNext();
    expect(await screen.findByTestId('capability-revoke_grants')).toHaveTextContent('Adds no scope: the audit scopes already allow it.');
    expect(screen.getByRole('checkbox', { name: 'Revoke grants' })).toBeEnabled();
    // The Offboarding page is in this build: the capability can be chosen, each scope named with its reason.
    expect(screen.getByRole('checkbox', { name: 'Offboard departed people' })).toBeEnabled();
    const offboarding = screen.getByTestId('capability-offboarding');
    expect(offboarding).not.toHaveTextContent('Arrives with');
    for (const added of googleScopes.offboarding) expect(within(offboarding).getByText(added.scope).closest('li')).toHaveTextContent(`${added.scope}${added.reason}`);
  });

  test('connects in the browser, showing main’s stages, and keeps no secret afterwards', async () => {
    const connect = pendingConnect();
    const { requestsTo, emit } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({ 'connections.preview': () => ok(preview()), 'connections.connect': connect.handler }),
    );
    await openWizard();
    await userEvent.click(await walkToBrowserStep());

    const [request] = requestsTo('connections.connect') as ConnectRequest[];
    expect(request!.attemptId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(request!.draft).toEqual({
      provider: 'google',
      label: 'Google Workspace',
      clientId: '1234-desktop.apps.googleusercontent.com',
      clientSecret: 'GOCSPX-not-a-real-secret',
      settings: {},
      capabilities: [],
    });
    expect(screen.getByText('Starting the sign-in to Google Workspace…')).toBeInTheDocument();
    // While main waits for the browser, the wizard is closed only by cancelling the sign-in.
    expect(screen.queryByRole('button', { name: 'Close' })).not.toBeInTheDocument();

    emit('connections.attempt', { attemptId: 'another-attempt', stage: 'exchanging_code', authorizationHost: null, message: 'Not this one.' });
    emit('connections.attempt', {
      attemptId: request!.attemptId,
      stage: 'waiting_for_browser',
      authorizationHost: 'accounts.google.com',
      message: 'Finish signing in to Google Workspace in your browser (accounts.google.com).',
    });
    expect(await screen.findByText('Finish signing in to Google Workspace in your browser (accounts.google.com).')).toBeInTheDocument();
    expect(screen.queryByText('Not this one.')).not.toBeInTheDocument();
    emit('connections.attempt', { attemptId: request!.attemptId, stage: 'exchanging_code', authorizationHost: 'accounts.google.com', message: 'Sign-in received; collecting the tokens…' });
    expect(await screen.findByText('Sign-in received; collecting the tokens…')).toBeInTheDocument();

    connect.settle(ok(connectionView({ label: 'Google Workspace' })));
    expect(await screen.findByText('Connected')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Connect a tenant' })).not.toBeInTheDocument());
    expect(document.body.textContent).not.toContain('GOCSPX-not-a-real-secret');
    // Opened again, the wizard starts empty: the secret did not outlive the request.
    await userEvent.click(screen.getByRole('button', { name: 'Connect a tenant' }));
    await chooseProvider('Google Workspace');
    expect(screen.getByLabelText('Client secret', { exact: false })).toHaveValue('');
  });

  test('cancels a sign-in that is waiting for the browser', async () => {
    const connect = pendingConnect();
    const { requestsTo, emit } = renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({
        'connections.preview': () => ok(preview()),
        'connections.connect': connect.handler,
        'connections.cancelAttempt': () => {
          connect.settle(refused({ code: 'cancelled', message: 'The sign-in was cancelled.', nextStep: 'Start it again when you are ready.' }));
          return ok({ cancelled: true });
        },
      }),
    );
    await openWizard();
    await userEvent.click(await walkToBrowserStep());
    const [request] = requestsTo('connections.connect') as ConnectRequest[];
    emit('connections.attempt', {
      attemptId: request!.attemptId,
      stage: 'waiting_for_browser',
      authorizationHost: 'accounts.google.com',
      message: 'Finish signing in to Google Workspace in your browser (accounts.google.com).',
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel sign-in' }));

    expect(requestsTo('connections.cancelAttempt')).toEqual([{ attemptId: request!.attemptId }]);
    expect(await screen.findByRole('alert', { name: 'Sign-in cancelled' })).toHaveTextContent('Start it again when you are ready.');
    expect(screen.queryByRole('button', { name: 'Cancel sign-in' })).not.toBeInTheDocument();
    // The secret went with the first try; trying again asks for it on this step.
    expect(screen.getByLabelText('Client secret', { exact: false })).toHaveValue('');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back' })).toBeInTheDocument();
  });

  test('puts main’s field errors from a failed sign-in back on the client step', async () => {
    const message = 'Google did not recognise this client ID.';
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({
        'connections.preview': () => ok(preview()),
        'connections.connect': () =>
          refused({ code: 'invalid_client', message, nextStep: 'Copy the client ID again from the Google Cloud console.', fields: [{ field: 'draft.clientId', message }] }),
      }),
    );
    await openWizard();
    await userEvent.click(await walkToBrowserStep());
    const failure = await screen.findByRole('alert', { name: 'Sign-in failed' });
    expect(failure).toHaveTextContent(message);
    expect(failure).toHaveTextContent('Next step: Copy the client ID again from the Google Cloud console.');

    await userEvent.click(screen.getByRole('button', { name: 'Fix client details' }));
    const clientId = await screen.findByLabelText('Client ID', { exact: false });
    expect(clientId).toHaveAccessibleDescription(expect.stringContaining(message));
    expect(clientId).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Client secret', { exact: false })).toHaveValue('');
  });

  test('shows why a sign-in could not start, such as another one still waiting', async () => {
    renderWithConsole(
      <ConnectionsPage />,
      consoleAnswering({
        'connections.preview': () => ok(preview()),
        'connections.connect': () => refused({ code: 'attempt_in_progress', message: 'Another sign-in is already waiting in the browser.', nextStep: 'Finish or cancel it first.' }),
      }),
    );
    await openWizard();
    await userEvent.click(await walkToBrowserStep());
    const failure = await screen.findByRole('alert', { name: 'Sign-in failed' });
    expect(failure).toHaveTextContent('Another sign-in is already waiting in the browser.');
    expect(failure).toHaveTextContent('Next step: Finish or cancel it first.');
    expect(screen.queryByRole('button', { name: 'Fix client details' })).not.toBeInTheDocument();
  });
});
