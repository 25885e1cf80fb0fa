import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import type { MicrosoftConsentSettings, PolicyChangeKind } from '../../../../src-shared/contract/consent';
import { PolicyChangeDialog } from '../../../../src-renderer/src/consent/PolicyChangeDialog';
import { ok } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { consentConsole, policyChangePlan, tenantPolicy } from './consent-fixtures';

const legacySettings = tenantPolicy().microsoft as MicrosoftConsentSettings;

function openDialog(kind: PolicyChangeKind, label: string, settings: Partial<MicrosoftConsentSettings> = {}) {
  const tenant = tenantPolicy({ microsoft: { ...legacySettings, ...settings } });
  const view = renderWithConsole(
    <PolicyChangeDialog tenant={tenant} change={kind} label={label} onClose={() => undefined} />,
    consentConsole({ 'consent.planPolicyChange': () => ok(policyChangePlan()) }),
  );
  return { ...view, dialog: screen.getByRole('dialog', { name: label }) };
}

describe('policy change dialog', { timeout: 20_000 }, () => {
  test('shows the tenant’s legacy user consent before the choice and preselects “Never (an admin decides)”', async () => {
    const { dialog, requestsTo } = openDialog('user_consent', 'Let users consent to no app');
    expect(within(dialog).getByTestId('policy-change-now')).toHaveTextContent('Now: Any app, for any permission that needs no admin consent (legacy setting)');
    expect(within(dialog).getByRole('radio', { name: 'Never (an admin decides)' })).toBeChecked();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the change' }));
    await within(dialog).findByTestId('policy-change-plan');
    expect(requestsTo('consent.planPolicyChange')).toEqual([{ connectionId: 'conn-contoso', change: { kind: 'user_consent', value: 'none' } }]);
  });

  test.each([
    { kind: 'app_registration' as const, label: 'Allow only administrators to register apps', settings: { allowedToCreateApps: true } },
    { kind: 'group_owner_consent' as const, label: 'Stop group owners from consenting', settings: { groupOwnerConsent: true } },
  ])('$kind: shows “Now: Allowed” and preselects “Not allowed”', async ({ kind, label, settings }) => {
    const { dialog, requestsTo } = openDialog(kind, label, settings);
    expect(within(dialog).getByTestId('policy-change-now')).toHaveTextContent(/^Now: Allowed$/);
    expect(within(dialog).getByRole('radio', { name: 'Not allowed' })).toBeChecked();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the change' }));
    await within(dialog).findByTestId('policy-change-plan');
    expect(requestsTo('consent.planPolicyChange')).toEqual([{ connectionId: 'conn-contoso', change: { kind, allowed: false } }]);
  });

  test('the workflow shows its reviewers as they are now, and the fix keeps them and the expiry while turning notices on', async () => {
    const workflow = { isEnabled: true, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 14, reviewers: [{ query: '/users/user-megan', displayName: 'Megan Bowen' }] };
    const { dialog, requestsTo } = openDialog('admin_consent_workflow', 'Turn on the admin consent workflow', { workflow });
    expect(within(dialog).getByTestId('policy-change-now')).toHaveTextContent('Now: On: Megan Bowen; reviewers not notified; requests expire after 14 days');
    expect(within(dialog).getByRole('switch', { name: 'Email reviewers about new requests' })).toBeChecked();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the change' }));
    await within(dialog).findByTestId('policy-change-plan');
    expect(requestsTo('consent.planPolicyChange')).toEqual([
      {
        connectionId: 'conn-contoso',
        change: { kind: 'admin_consent_workflow', isEnabled: true, reviewers: ['user-megan'], notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 14 },
      },
    ]);
  });

  test('a workflow that is off shows “Now: Off” and cannot be reviewed until a reviewer is named', () => {
    const workflow = { isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 0, reviewers: [] };
    const { dialog } = openDialog('admin_consent_workflow', 'Turn on the admin consent workflow', { workflow });
    expect(within(dialog).getByTestId('policy-change-now')).toHaveTextContent(/^Now: Off$/);
    expect(within(dialog).getByRole('switch', { name: /Users can ask an admin/ })).toBeChecked();
    expect(within(dialog).getByRole('textbox', { name: 'Requests expire after (days)' })).toHaveValue('30');
    expect(within(dialog).getByRole('button', { name: 'Review the change' })).toBeDisabled();
  });
});
