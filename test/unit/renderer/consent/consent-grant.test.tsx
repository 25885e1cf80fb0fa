import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test } from 'vitest';
import { ConsentPage } from '../../../../src-renderer/src/pages/ConsentPage';
import { ok, refused } from '../connection-fixtures';
import { renderWithConsole } from '../render-with-console';
import { boardNotesAppId, boardNotesReview, consentConsole, grantJob, grantPlan, grantResult } from './consent-fixtures';

async function startFromHeader() {
  await userEvent.click(await screen.findByRole('button', { name: 'Grant admin consent…' }));
  return screen.findByRole('dialog', { name: 'Grant admin consent' });
}

async function reviewBoardNotes(dialog: HTMLElement) {
  await userEvent.type(within(dialog).getByRole('textbox', { name: /Client \(application\) id/ }), boardNotesAppId);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Review the app' }));
  return screen.findByRole('dialog', { name: 'Grant admin consent: Board Notes' });
}

describe('granting admin consent', { timeout: 20_000 }, () => {
  test('a client id that is not a GUID is refused before anything is asked', async () => {
    const { requestsTo } = renderWithConsole(<ConsentPage />, consentConsole());
    const dialog = await startFromHeader();
    await userEvent.type(within(dialog).getByRole('textbox', { name: /Client \(application\) id/ }), 'board-notes');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Review the app' }));
    expect(dialog).toHaveTextContent('Enter the app’s client (application) id');
    expect(requestsTo('consent.review')).toEqual([]);
  });

  test('grants through Graph as a job, then shows each step and what the tenant holds now', async () => {
    const running = grantJob({ state: 'running', succeeded: 0, notStarted: 2 });
    const results = [grantResult({ job: running, steps: [], granted: null }), grantResult()];
    const { requestsTo, emit } = renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'consent.review': () => ok(boardNotesReview({ requestId: null, delegated: boardNotesReview().delegated.map((permission) => ({ ...permission, source: 'admin' })) })),
        'consent.planGrant': () => ok(grantPlan({ confirmationText: 'grant board notes' })),
        'consent.grant': () => ok(running),
        'consent.grantResult': () => ok(results.length > 1 ? results.shift() : results[0]),
      }),
    );
    const dialog = await reviewBoardNotes(await startFromHeader());
    expect(requestsTo('consent.review')).toEqual([{ connectionId: 'conn-contoso', appId: boardNotesAppId, delegated: [], application: [] }]);
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Keep Mail.Read' }));
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Keep Files.Read.All' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Work out the plan' }));
    await within(dialog).findByTestId('consent-grant-plan');

    const grant = within(dialog).getByRole('button', { name: 'Grant consent' });
    expect(grant).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'To confirm, type grant board notes' }), 'Grant Board Notes');
    await userEvent.click(grant);
    expect(requestsTo('consent.grant')).toEqual([{ planId: 'grant-plan-1', confirmation: 'Grant Board Notes' }]);
    expect(await within(dialog).findByTestId('job-progress')).toHaveTextContent('Running · 0 of 2 steps handled');

    emit('jobs.progress', grantJob());
    const held = await within(dialog).findByTestId('granted-consent');
    expect(held).toHaveTextContent('Exactly what you kept');
    expect(held).toHaveTextContent('User.Read');
    expect(held).toHaveTextContent('Calendars.Read');
    expect(held).not.toHaveTextContent('Mail.Read');
    expect(within(dialog).getByTestId('consent-grant-steps')).toHaveTextContent('Create the service principal of Board Notes');
    expect(within(dialog).getByRole('button', { name: 'Done' })).toBeInTheDocument();
  });

  test('through the browser prompt, reads back what was granted and shows what differs from what was kept', async () => {
    const readBack = grantResult().granted!;
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'consent.review': () => ok(boardNotesReview()),
        'consent.planGrant': () => ok(grantPlan({ method: 'browser' })),
        'consent.openConsentPrompt': () => ok({ opened: true }),
        'consent.readBack': () => ok({ ...readBack, delegated: ['User.Read', 'Calendars.Read', 'Mail.Read'], extra: ['Mail.Read'], matches: false }),
      }),
    );
    const dialog = await reviewBoardNotes(await startFromHeader());
    await userEvent.click(within(dialog).getByRole('radio', { name: /admin-consent prompt, in your browser/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Work out the plan' }));
    await within(dialog).findByTestId('consent-grant-plan');
    expect(requestsTo('consent.planGrant')).toEqual([expect.objectContaining({ method: 'browser' })]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Open the consent prompt' }));
    expect(requestsTo('consent.openConsentPrompt')).toEqual([{ planId: 'grant-plan-1' }]);
    expect(requestsTo('consent.readBack')).toEqual([]);
    await userEvent.click(await within(dialog).findByRole('button', { name: 'I’ve finished in the browser — check what was granted' }));
    const differs = await within(dialog).findByTestId('granted-differs');
    expect(differs).toHaveTextContent('Held but not kept: Mail.Read');
    expect(requestsTo('consent.readBack')).toEqual([{ planId: 'grant-plan-1' }]);
  });

  test('an expired plan is said so and can be worked out again with the same choices', async () => {
    const { requestsTo } = renderWithConsole(
      <ConsentPage />,
      consentConsole({
        'consent.review': () => ok(boardNotesReview()),
        'consent.planGrant': () => ok(grantPlan()),
        'consent.grant': () => refused({ code: 'plan_expired', message: 'This plan has expired.', nextStep: 'Work out the plan again.' }),
      }),
    );
    const dialog = await reviewBoardNotes(await startFromHeader());
    await userEvent.click(within(dialog).getByRole('button', { name: 'Work out the plan' }));
    await userEvent.click(await within(dialog).findByRole('button', { name: 'Grant consent' }));
    const alert = await within(dialog).findByRole('alert', { name: /Nothing was granted/ });
    await userEvent.click(within(alert).getByRole('button', { name: 'Work out the plan again' }));
    await waitFor(() => expect(requestsTo('consent.planGrant')).toHaveLength(2));
    expect(requestsTo('consent.planGrant')[1]).toEqual(requestsTo('consent.planGrant')[0]);
  });
});
