import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { BlockPlanSchema } from '../../../../src-shared/contract/consent';
import { ConsentPage } from '../../../../src-renderer/src/pages/ConsentPage';
import { ok } from '../connection-fixtures';
import { appRow, grantRow, pageOf, revocationPlan } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { boardNotesAppId, boardNotesReview, consentConsole } from './consent-fixtures';

const boardNotesApp = appRow({
  key: 'microsoft:conn-contoso:board-notes',
  provider: 'microsoft',
  connectionId: 'conn-contoso',
  connectionLabel: 'Contoso',
  clientId: boardNotesAppId,
  name: 'Board Notes',
  publisher: 'Board Notes Ltd',
  consent: ['tenant'],
  scopes: ['User.Read', 'Calendars.Read'],
  risk: 'medium',
  scopeRisk: 'medium',
});
const boardNotesConsent = grantRow({
  key: 'microsoft:conn-contoso:board-notes|*|graph|delegated',
  appKey: boardNotesApp.key,
  appName: 'Board Notes',
  provider: 'microsoft',
  connectionId: 'conn-contoso',
  user: null,
  consent: 'tenant',
  scopes: ['User.Read', 'Calendars.Read'],
  risk: 'medium',
});

function tenantWideConsole(handlers: Parameters<typeof consentConsole>[0] = {}) {
  return consentConsole({
    'grants.list': (request) => pageOf([boardNotesConsent], request),
    'grants.apps': (request) => pageOf([boardNotesApp], request),
    ...handlers,
  });
}

async function openTenantWide() {
  await userEvent.click(await screen.findByRole('tab', { name: 'Tenant-wide consents' }));
  return screen.findByTestId(`tenant-wide-${boardNotesConsent.key}`);
}

/** Each row's actions sit in its one "Actions" menu. */
async function chooseAction(row: HTMLElement, item: string) {
  await userEvent.click(within(row).getByRole('button', { name: 'Actions for Board Notes' }));
  await userEvent.click(await screen.findByRole('menuitem', { name: item }));
}

describe('tenant-wide consents', { timeout: 20_000 }, () => {
  test('without a grant scan, says so and leads to the Grants page', async () => {
    renderWithConsole(<ConsentPage />, consentConsole({ 'grants.list': () => ok({ snapshotId: null, total: 0, rows: [] }), 'grants.apps': () => ok({ snapshotId: null, total: 0, rows: [] }) }));
    await userEvent.click(await screen.findByRole('tab', { name: 'Tenant-wide consents' }));
    const empty = await screen.findByTestId('tenant-wide-no-scan');
    expect(within(empty).getByRole('link', { name: 'Open Grants' })).toHaveAttribute('href', '/grants');
  });

  test('lists only tenant-wide grants of the last scan and filters them by text and risk', async () => {
    const { requestsTo } = renderWithConsole(<ConsentPage />, tenantWideConsole());
    const row = await openTenantWide();
    expect(row).toHaveTextContent('Board Notes');
    expect(row).toHaveTextContent('Calendars.Read');
    expect(requestsTo('grants.list')[0]).toMatchObject({ filter: { consent: 'tenant' } });
    await userEvent.click(within(screen.getByRole('group', { name: 'Risk' })).getByRole('checkbox', { name: 'High' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Search' }), 'board');
    await waitFor(() => expect(requestsTo('grants.list').at(-1)).toMatchObject({ filter: { consent: 'tenant', risks: ['high'], text: 'board' } }));
  });

  test('revoking a tenant-wide consent plans the revocation of exactly that grant', async () => {
    const { requestsTo } = renderWithConsole(<ConsentPage />, tenantWideConsole({ 'grants.planRevocation': () => ok(revocationPlan()) }));
    const row = await openTenantWide();
    await chooseAction(row, 'Revoke…');
    await screen.findByRole('dialog', { name: 'Revoke 42 grants?' });
    expect(requestsTo('grants.planRevocation')).toEqual([{ snapshotId: 'snap-2', appKeys: [], grantKeys: [boardNotesConsent.key] }]);
  });

  test('changing the scopes reviews the app by its client id', async () => {
    const { requestsTo } = renderWithConsole(<ConsentPage />, tenantWideConsole({ 'consent.review': () => ok(boardNotesReview({ requestId: null })) }));
    const row = await openTenantWide();
    await chooseAction(row, 'Change scopes…');
    await screen.findByRole('dialog', { name: 'Grant admin consent: Board Notes' });
    expect(requestsTo('consent.review')).toEqual([{ connectionId: 'conn-contoso', appId: boardNotesAppId, delegated: [], application: [] }]);
  });

  test('blocking sign-in plans the change, needs the typed confirmation and shows the read-back', async () => {
    const plan = BlockPlanSchema.parse({
      planId: 'block-plan-1',
      connectionId: 'conn-contoso',
      appId: boardNotesAppId,
      appName: 'Board Notes',
      mode: 'disable_sign_in',
      before: 'Anyone in Contoso may sign in to Board Notes.',
      after: 'Nobody may sign in to Board Notes.',
      effect: 'Board Notes stops working for everyone at once; its consent stays.',
      missingScopes: [],
      confirmationText: 'block board notes',
    });
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      tenantWideConsole({
        'consent.planBlock': () => ok(plan),
        'consent.block': () => ok({ applied: true, accountEnabled: false, appRoleAssignmentRequired: false, message: 'Board Notes can no longer sign anyone in.' }),
      }),
    );
    const row = await openTenantWide();
    await chooseAction(row, 'Block sign-in…');
    const dialog = await screen.findByRole('dialog', { name: 'Block sign-in: Board Notes' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the change' }));
    expect(await within(dialog).findByTestId('block-plan')).toHaveTextContent('Nobody may sign in to Board Notes.');
    expect(requestsTo('consent.planBlock')).toEqual([{ connectionId: 'conn-contoso', appId: boardNotesAppId, mode: 'disable_sign_in' }]);
    const confirm = within(dialog).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'To confirm, type block board notes' }), 'block board notes');
    await userEvent.click(confirm);
    const result = await within(dialog).findByTestId('block-result');
    expect(result).toHaveTextContent('Board Notes can no longer sign anyone in.');
    expect(result).toHaveTextContent('sign-in enabled no');
    expect(requestsTo('consent.block')).toEqual([{ planId: 'block-plan-1', confirmation: 'block board notes' }]);
  });
});
