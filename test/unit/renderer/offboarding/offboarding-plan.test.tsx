import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { OffboardingPage } from '../../../../src-renderer/src/pages/OffboardingPage';
import { ok, preview } from '../connection-fixtures';
import { layOutVirtualTables } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { departed, dryRun, listRow, offboardingConsole, offboardingList, plan, runDetail, runSummaryOf } from './offboarding-fixtures';

layOutVirtualTables();

const missingScopes = [
  { scope: 'https://www.googleapis.com/auth/admin.directory.user', reason: 'Suspends departed users, once their access is removed.' },
  { scope: 'https://www.googleapis.com/auth/admin.datatransfer', reason: "Transfers a departed user's Drive and Calendar data to a manager." },
];

describe('the plan, the dry run and the confirmation', { timeout: 30_000 }, () => {
  test('the plan shows people × steps, each connection’s steps in order, and asks for the capability a connection lacks', async () => {
    const lacking = plan();
    lacking.connections[0]!.missingScopes = missingScopes;
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list: offboardingList() }),
        'offboarding.currentPlan': () => ok({ plan: lacking }),
        'offboarding.plan': () => ok(plan()),
        'connections.preview': () => ok(preview({ scopes: missingScopes.map(({ scope, reason }) => ({ scope, reason, purpose: 'offboarding' })) })),
      }),
    );
    expect(await screen.findByTestId('plan-size')).toHaveTextContent('2 people × 5 steps');
    const google = screen.getByTestId('plan-connection-conn-acme');
    const order = within(google).getByRole('list', { name: 'Steps at Acme Workspace' });
    expect(within(order).getAllByRole('listitem').map((item) => item.querySelector('p')?.textContent)).toEqual(['Remove app passwords', 'Remove OAuth tokens', 'Suspend the account']);
    const microsoft = screen.getByTestId('plan-connection-conn-contoso');
    expect(microsoft).toHaveTextContent('Wipe Teams Rooms devicesBy hand');
    expect(microsoft).toHaveTextContent('Where: Teams admin center › Devices');
    expect(screen.getByTestId('plan-warnings')).toHaveTextContent(`${departed.sam}: Not found at Contoso: nothing to do there.`);
    expect(screen.getByText('1 row with errors left out')).toBeInTheDocument();

    const needed = within(google).getByTestId('offboarding-capability-needed');
    for (const { scope, reason } of missingScopes) expect(needed).toHaveTextContent(`${scope}${reason}`);
    await userEvent.click(within(needed).getByRole('button', { name: 'Allow offboarding for Acme Workspace' }));
    const signIn = await screen.findByRole('dialog', { name: 'Allow offboarding for Acme Workspace' });
    expect(await within(signIn).findByText(missingScopes[0]!.scope)).toBeInTheDocument();
    // Given up or done, the plan is worked out again: main's answer says what is still missing.
    await userEvent.click(within(signIn).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(requestsTo('offboarding.plan')).toEqual([{ options: { suspend: true, transferData: true, connectionIds: [] } }]));
    await waitFor(() => expect(screen.queryByTestId('offboarding-capability-needed')).not.toBeInTheDocument());
  });

  test('the plan is asked for with the options chosen: keep the accounts, only the connections ticked', async () => {
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list: offboardingList() }),
        'offboarding.plan': () => ok(plan({ options: { suspend: false, transferData: true, connectionIds: ['conn-acme'] } })),
      }),
    );
    await screen.findByTestId('list-table');
    await userEvent.click(screen.getByRole('button', { name: 'Continue to the plan' }));
    await userEvent.click(await screen.findByRole('switch', { name: /Suspend or disable the accounts/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /Contoso/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Work out the plan' }));
    await waitFor(() => expect(requestsTo('offboarding.plan')).toEqual([{ options: { suspend: false, transferData: true, connectionIds: ['conn-acme'] } }]));
    expect(await screen.findByTestId('plan-size')).toHaveTextContent('2 people × 5 steps');
    expect(screen.queryByText('This plan is out of date')).not.toBeInTheDocument();
  });

  test('a plan worked out before the list changed is out of date: no dry run until it is worked out again', async () => {
    let list = offboardingList();
    let current = plan();
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list }),
        'offboarding.currentPlan': () => ok({ plan: current }),
        'offboarding.editRow': () => {
          list = offboardingList([...list.rows, listRow({ id: 'row-added', line: null, email: 'max.ruiz@acme.example', transferTo: null })]);
          return ok(list);
        },
        'offboarding.plan': () => {
          current = plan({ id: 'plan-2' });
          return ok(current);
        },
      }),
    );
    expect(await screen.findByRole('button', { name: 'Start the dry run' })).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: /^Review/ }));
    await userEvent.click(await screen.findByRole('button', { name: 'Add a person' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a person' });
    await userEvent.click(within(dialog).getByRole('textbox', { name: 'Email' }));
    await userEvent.paste('max.ruiz@acme.example');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add and check' }));
    await screen.findByText('max.ruiz@acme.example');

    await userEvent.click(screen.getByRole('button', { name: 'Continue to the plan' }));
    expect(await screen.findByText('This plan is out of date')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start the dry run' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Work out the plan again' }));
    await waitFor(() => expect(requestsTo('offboarding.plan')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByText('This plan is out of date')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Start the dry run' })).toBeEnabled();
  });

  test('the dry run follows main’s reports, then counts what each step would change', async () => {
    let current = plan();
    const { requestsTo, emit } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list: offboardingList() }),
        'offboarding.currentPlan': () => ok({ plan: current }),
        'offboarding.dryRun': () => {
          current = plan({ dryRun: dryRun({ state: 'running', finishedAt: null, done: 1, people: [], totals: [] }) });
          return ok(current);
        },
      }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Start the dry run' }));
    expect(requestsTo('offboarding.dryRun')).toEqual([{ planId: 'plan-1' }]);
    expect(await screen.findByText('Reading 1 of 2 people… nothing is changed')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Cancel the dry run' })).toBeEnabled();

    current = plan({ dryRun: dryRun() });
    emit('offboarding.changed', { what: 'dryRun' });
    expect(await screen.findByText('37 items from 18 people')).toBeInTheDocument();
    const totals = screen.getByTestId('dry-run-totals');
    expect(within(totals).getByText('Remove OAuth tokens').closest('tr')).toHaveTextContent('37 items from 18 people');
    expect(within(totals).getByText('Revoke sign-in sessions').closest('tr')).toHaveTextContent('Nothing to do1 person');
    expect(screen.getByTestId('dry-run-failures')).toHaveTextContent(`${departed.ana} · Revoke sign-in sessions: Microsoft Graph refused: the connection lacks User.RevokeSessions.All.`);

    await userEvent.click(screen.getByRole('button', { name: new RegExp(departed.ana) }));
    const steps = await screen.findByText('37 OAuth tokens');
    expect(steps.closest('tr')).toHaveTextContent('Would change');
  });

  test('the run starts only once the plan’s phrase is typed exactly, then shows its progress', async () => {
    const started = runDetail({ persons: [], manual: [] });
    let runs: ReturnType<typeof runSummaryOf>[] = [];
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      offboardingConsole({
        'offboarding.list': () => ok({ list: offboardingList() }),
        'offboarding.currentPlan': () => ok({ plan: plan({ dryRun: dryRun() }) }),
        'offboarding.runs': () => ok({ runs }),
        'offboarding.start': () => {
          runs = [runSummaryOf(started)];
          return ok(runs[0]);
        },
        'offboarding.run': () => ok(started),
      }),
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Continue to the run' }));
    const form = await screen.findByTestId('start-run');
    // Each person named whole before the phrase is typed.
    expect(within(form).getByTestId('run-people-to-offboard')).toHaveTextContent(`${departed.ana} → data to ${departed.lee}${departed.sam}`);
    const start = within(form).getByRole('button', { name: 'Offboard 2 people' });
    const phrase = within(form).getByRole('textbox', { name: /To start, type/ });
    await userEvent.type(phrase, 'offboard 2');
    expect(start).toBeDisabled();
    await userEvent.clear(phrase);
    await userEvent.type(phrase, 'OFFBOARD 2');
    expect(start).toBeEnabled();
    await userEvent.click(start);
    await waitFor(() => expect(requestsTo('offboarding.start')).toEqual([{ planId: 'plan-1', confirmation: 'OFFBOARD 2' }]));
    expect(await screen.findByTestId('run-progress')).toHaveTextContent('5 of 8 steps ended · 12 steps/min');
  });
});
