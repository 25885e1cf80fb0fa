import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { ConsentPage } from '../../../../src-renderer/src/pages/ConsentPage';
import { consoleAnswering, ok } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { boardNotesAppId, boardNotesRequest, boardNotesReview, consentConsole, grantPlan, policyChangePlan, policyCheck, tenantPolicy } from './consent-fixtures';

async function openRequests() {
  await userEvent.click(await screen.findByRole('tab', { name: /Requests/ }));
  return screen.findByTestId('consent-requests');
}

// A whole working page per test; jsdom draws it slowly on a busy machine.
describe('consent page', { timeout: 20_000 }, () => {
  test('with no tenant connected, says to connect one or open the sample workspace, and reads nothing', async () => {
    const { requestsTo } = renderWithConsole(<ConsentPage />, consoleAnswering());
    const empty = await screen.findByTestId('consent-no-connection');
    expect(empty).toHaveTextContent('No tenant connected');
    expect(empty).toHaveTextContent('open the sample workspace');
    expect(within(empty).getByRole('link', { name: 'Open Connections' })).toHaveAttribute('href', '/connections');
    expect(screen.queryByRole('button', { name: 'Grant admin consent…' })).not.toBeInTheDocument();
    expect(requestsTo('consent.policies')).toEqual([]);
    expect(requestsTo('consent.requests')).toEqual([]);
  });

  test('a policy card shows a failing check with its control id, and its fix plans the change, applies it and shows the read-back', async () => {
    const fixed = tenantPolicy({ checks: [policyCheck({ result: 'pass', value: 'Nobody: an admin decides', reason: 'Users cannot consent.', fix: null })] });
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'consent.planPolicyChange': () => ok(policyChangePlan()),
        'consent.changePolicy': () => ok({ applied: true, message: 'Read back: users cannot consent to apps.', policy: fixed }),
      }),
    );
    const check = await screen.findByTestId('policy-check-microsoft.user_consent');
    expect(check).toHaveTextContent('Fail');
    expect(check).toHaveTextContent('MS.AAD.5.2v1 · CIS M365 5.1.5.1 · Shall');
    expect(screen.getByTestId('consent-policy-conn-contoso')).toHaveTextContent('Read 1 minute ago');
    expect(check).toHaveTextContent('Users who consent on their own let apps read company data without review.');
    expect(check).toHaveTextContent('Expected: Nobody: an admin decides');
    expect(screen.getByTestId('policy-check-microsoft.app_registration')).toHaveTextContent('Pass');

    await userEvent.click(within(check).getByRole('button', { name: 'Fix: Stop users consenting to apps' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stop users consenting to apps' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the change' }));
    const plan = await within(dialog).findByTestId('policy-change-plan');
    expect(requestsTo('consent.planPolicyChange')).toEqual([{ connectionId: 'conn-contoso', change: { kind: 'user_consent', value: 'none' } }]);
    expect(plan).toHaveTextContent('Any user, to any app (legacy setting)');
    expect(plan).toHaveTextContent('PATCH /policies/authorizationPolicy');
    expect(requestsTo('consent.changePolicy')).toEqual([]);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Confirm the change' }));
    expect(await within(dialog).findByTestId('policy-change-result')).toHaveTextContent('Read back: users cannot consent to apps.');
    expect(requestsTo('consent.changePolicy')).toEqual([{ planId: 'policy-plan-1', confirmation: '' }]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.getByTestId('policy-check-microsoft.user_consent')).toHaveTextContent('Pass'));
  });

  test('a card read a moment ago says "Read just now", and one never read "Not read yet"', async () => {
    const tenants = [tenantPolicy({ readAt: new Date().toISOString() }), tenantPolicy({ connectionId: 'conn-fabrikam', label: 'Fabrikam', readAt: null, state: 'failed', checks: [] })];
    renderWithConsole(<ConsentPage />, consentConsole({ 'consent.policies': () => ok({ tenants, unsupported: [] }) }));
    expect(await screen.findByTestId('consent-policy-conn-contoso')).toHaveTextContent('Read just now');
    expect(screen.getByTestId('consent-policy-conn-fabrikam')).toHaveTextContent('Not read yet');
  });

  test('a request says whose app it is, or that the app is not in the tenant yet, or that its publisher could not be read', async () => {
    const requests = [
      boardNotesRequest({ publisher: null, verifiedPublisher: null, inTenant: false }),
      boardNotesRequest({ id: 'request-survey', appName: 'Survey Hub', publisher: null, verifiedPublisher: null, inTenant: null }),
      boardNotesRequest({ id: 'request-grammar', appName: 'Grammar Helper', publisher: 'WriteRight', verifiedPublisher: true, inTenant: true }),
    ];
    renderWithConsole(<ConsentPage />, consentConsole({ 'consent.requests': () => ok({ requests, unavailable: [] }) }));
    const table = await openRequests();
    expect(within(table).getByTestId('consent-request-request-board-notes')).toHaveTextContent('Not in this tenant yet');
    expect(within(table).getByTestId('consent-request-request-survey')).toHaveTextContent('Publisher not read');
    const grammar = within(table).getByTestId('consent-request-request-grammar');
    expect(grammar).toHaveTextContent('WriteRight');
    expect(grammar).toHaveTextContent('Verified');
    expect(table).not.toHaveTextContent('Publisher unknown');
  });

  test('a change that needs the consent capability cannot be confirmed and offers to allow it', async () => {
    renderWithConsole(<ConsentPage />, consentConsole({ 'consent.planPolicyChange': () => ok(policyChangePlan({ missingScopes: ['Policy.ReadWrite.Authorization'] })) }));
    const check = await screen.findByTestId('policy-check-microsoft.user_consent');
    await userEvent.click(within(check).getByRole('button', { name: 'Fix: Stop users consenting to apps' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stop users consenting to apps' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the change' }));
    const needed = await within(dialog).findByTestId('consent-capability-needed');
    expect(needed).toHaveTextContent('Policy.ReadWrite.Authorization');
    expect(within(needed).getByRole('button', { name: 'Allow managing admin consent for Contoso' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Confirm the change' })).toBeDisabled();
  });

  test('approving a request keeps the scopes the admin leaves ticked: two of four unticked, the plan asks for exactly the other two', async () => {
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({ 'consent.review': () => ok(boardNotesReview()), 'consent.planGrant': () => ok(grantPlan()) }),
    );
    const requests = await openRequests();
    expect(within(requests).getByTestId('consent-request-request-board-notes')).toHaveTextContent('2 people');
    await userEvent.click(within(requests).getByRole('button', { name: 'Review and approve…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Grant admin consent: Board Notes' });
    expect(requestsTo('consent.review')).toEqual([{ connectionId: 'conn-contoso', appId: boardNotesAppId, requestId: 'request-board-notes', delegated: [], application: [] }]);
    const delegated = within(dialog).getByTestId('review-delegated');
    for (const scope of ['User.Read', 'Calendars.Read', 'Mail.Read', 'Files.Read.All']) expect(within(delegated).getByRole('checkbox', { name: `Keep ${scope}` })).toBeChecked();
    expect(delegated).toHaveTextContent('From the request');

    await userEvent.click(within(delegated).getByRole('checkbox', { name: 'Keep Mail.Read' }));
    await userEvent.click(within(delegated).getByRole('checkbox', { name: 'Keep Files.Read.All' }));
    expect(dialog).toHaveTextContent('2 of 4 kept');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Work out the plan' }));
    const plan = await within(dialog).findByTestId('consent-grant-plan');
    expect(requestsTo('consent.planGrant')).toEqual([{ reviewId: 'review-1', keepDelegated: ['User.Read', 'Calendars.Read'], keepApplication: [], method: 'graph' }]);
    expect(within(plan).getByTestId('consent-plan-steps')).toHaveTextContent('Create the service principal of Board Notes');
  });

  test('a permission Microsoft Graph does not publish cannot be kept', async () => {
    const review = boardNotesReview({
      delegated: [...boardNotesReview().delegated, { scope: 'Notes.Everything', level: 'high', reason: 'Unknown permission.', unrated: true, known: false, granted: false, source: 'admin' }],
    });
    renderWithConsole(<ConsentPage />, consentConsole({ 'consent.review': () => ok(review) }));
    const requests = await openRequests();
    await userEvent.click(within(requests).getByRole('button', { name: 'Review and approve…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Grant admin consent: Board Notes' });
    const unknown = within(dialog).getByRole('checkbox', { name: 'Keep Notes.Everything' });
    expect(unknown).toBeDisabled();
    expect(unknown).not.toBeChecked();
    expect(dialog).toHaveTextContent('Not published by Microsoft Graph');
  });

  test('denying a request needs a reason, and says whether Microsoft recorded it', async () => {
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({ 'consent.deny': () => ok({ atProvider: 'local_only', message: 'Microsoft’s queue keeps the request; Consentry’s log has the denial.' }) }),
    );
    const requests = await openRequests();
    await userEvent.click(within(requests).getByRole('button', { name: 'Deny…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Deny Board Notes?' });
    const deny = within(dialog).getByRole('button', { name: 'Deny the request' });
    expect(deny).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Reason/ }), '   ');
    expect(deny).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Reason/ }), 'Reads all mail; use the approved client.');
    await userEvent.click(deny);
    expect(await within(dialog).findByTestId('deny-result')).toHaveTextContent('Recorded by Consentry only');
    expect(requestsTo('consent.deny')).toEqual([{ connectionId: 'conn-contoso', requestId: 'request-board-notes', reason: 'Reads all mail; use the approved client.' }]);
  });
});
