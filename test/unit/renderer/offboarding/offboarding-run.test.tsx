import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, test, vi } from 'vitest';
import { saveTextFile } from '../../../../src-renderer/src/files/save-text-file';
import { OffboardingPage } from '../../../../src-renderer/src/pages/OffboardingPage';
import type { RunDetail } from '../../../../src-shared/contract/offboarding';
import { consoleAnswering, ok } from '../connection-fixtures';
import { layOutVirtualTables } from '../grant-fixtures';
import { renderWithConsole } from '../render-with-console';
import { departed, job, offboardingConsole, runDetail, runStep, runSummaryOf } from './offboarding-fixtures';

vi.mock('../../../../src-renderer/src/files/save-text-file', () => ({ saveTextFile: vi.fn() }));

layOutVirtualTables();

/** A console whose run is `current()` when asked, and whose job controls answer with the job in `state`. */
function runConsole(current: () => RunDetail, handlers: Parameters<typeof offboardingConsole>[0] = {}) {
  return offboardingConsole({
    'offboarding.runs': () => ok({ runs: [runSummaryOf(current())] }),
    'offboarding.run': () => ok(current()),
    'jobs.pause': () => ok(job({ state: 'paused', reason: 'Paused by you.' })),
    'jobs.resume': () => ok(job()),
    'jobs.cancel': () => ok(job({ state: 'cancelling' })),
    ...handlers,
  });
}

/** The run's progress once the runs and the run have been read (a first render of the whole page takes a while in jsdom). */
const runProgress = () => screen.findByTestId('run-progress', {}, { timeout: 5_000 });

describe('the run and its evidence', { timeout: 30_000 }, () => {
  test('a run under way shows its rate, time left, each connection and person, and pauses and resumes', async () => {
    let run = runDetail();
    const { requestsTo, emit } = renderWithConsole(<OffboardingPage />, runConsole(() => run));
    const progress = await runProgress();
    expect(progress).toHaveTextContent('5 of 8 steps ended · 12 steps/min');
    expect(progress).toHaveTextContent('about 3 min left');
    expect(screen.getByTestId('run-people')).toHaveTextContent('0 of 2 people done · 1 failed · 1 running');
    expect(within(screen.getByTestId('run-connections')).getByText('Acme Workspace').closest('tr')).toHaveTextContent('4 / 61');
    expect(screen.getByTestId('run-failures')).toHaveTextContent(`${departed.ana} · Suspend the account at Acme Workspace: Google refused: the user is protected by an admin role.`);

    await userEvent.click(within(progress).getByRole('button', { name: 'Pause' }));
    expect(requestsTo('jobs.pause')).toEqual([{ jobId: 'run-1' }]);
    run = runDetail({ job: job({ state: 'paused', reason: 'Paused by you.', etaSeconds: null }), stepsPerMinute: null });
    emit('jobs.progress', run.job);
    expect(await within(progress).findByText('This run is paused')).toBeInTheDocument();
    expect(screen.getByTestId('run-state')).toHaveTextContent('Paused');

    await userEvent.click(within(progress).getByRole('button', { name: 'Resume' }));
    expect(requestsTo('jobs.resume')).toEqual([{ jobId: 'run-1' }]);
    run = runDetail();
    emit('jobs.progress', run.job);
    expect(await within(progress).findByRole('button', { name: 'Pause' })).toBeInTheDocument();
  });

  test('cancel asks first and says that nothing done is undone', async () => {
    const { requestsTo } = renderWithConsole(<OffboardingPage />, runConsole(() => runDetail()));
    await userEvent.click(within(await runProgress()).getByRole('button', { name: 'Cancel the rest…' }));
    const ask = await screen.findByRole('dialog', { name: 'Cancel the rest of this run?' });
    expect(ask).toHaveTextContent('The rest stays planned and is not carried out; nothing done is undone.');
    await userEvent.click(within(ask).getByRole('button', { name: 'Keep running' }));
    expect(requestsTo('jobs.cancel')).toEqual([]);

    await userEvent.click(screen.getByRole('button', { name: 'Cancel the rest…' }));
    await userEvent.click(within(await screen.findByRole('dialog', { name: 'Cancel the rest of this run?' })).getByRole('button', { name: 'Cancel the rest' }));
    await waitFor(() => expect(requestsTo('jobs.cancel')).toEqual([{ jobId: 'run-1' }]));
  });

  test('a manual step names where to do it, and Mark done records the admin’s word', async () => {
    // As main answers: the step is the admin's word now, and no longer among the manual steps waiting.
    const marked = runDetail({ manual: [] });
    marked.persons[1]!.steps[0] = runStep({ ...marked.persons[1]!.steps[0]!, status: 'succeeded', code: 'confirmed_by_admin' });
    const { requestsTo } = renderWithConsole(<OffboardingPage />, runConsole(() => runDetail(), { 'offboarding.confirmManualStep': () => ok(marked) }));
    const manual = await screen.findByTestId('manual-steps');
    expect(manual).toHaveTextContent('Wipe Teams Rooms devices · Contoso');
    expect(manual).toHaveTextContent('1 step waiting. These providers have no admin API for them');
    expect(manual).toHaveTextContent('Where: Teams admin center › Devices');
    expect(within(manual).getByRole('button', { name: 'Open' })).toBeInTheDocument();
    await userEvent.click(within(manual).getByRole('button', { name: `Mark Wipe Teams Rooms devices done for ${departed.sam}` }));
    await waitFor(() => expect(requestsTo('offboarding.confirmManualStep')).toEqual([{ runId: 'run-1', email: departed.sam, connectionId: 'conn-contoso', kind: 'microsoft.teams_devices' }]));
    await waitFor(() => expect(screen.getByTestId('manual-steps')).toHaveTextContent('All marked done by you (1).'));
    expect(within(screen.getByTestId('manual-steps')).queryByRole('button', { name: /^Mark / })).not.toBeInTheDocument();
  });

  test('a run interrupted by a stop is offered for resume at the top, counting the people done', async () => {
    const twenty = Array.from({ length: 20 }, (_, index) => ({ email: `person${index + 1}@acme.example`, state: index < 12 ? ('done' as const) : ('pending' as const), steps: [runStep()] }));
    let run = runDetail({ job: job({ title: 'Offboard 20 people', state: 'interrupted', reason: 'Consentry was closed while the run went on.', etaSeconds: null }), people: 20, persons: twenty, manual: [] });
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      runConsole(() => run, {
        'jobs.resume': () => {
          run = { ...run, job: job({ title: 'Offboard 20 people' }) };
          return ok(run.job);
        },
      }),
    );
    const offer = await screen.findByTestId('interrupted-run');
    expect(offer).toHaveTextContent('A run was interrupted when Consentry stopped');
    await waitFor(() => expect(offer).toHaveTextContent('Offboard 20 people: 12 of 20 people done.'));
    await userEvent.click(within(offer).getByRole('button', { name: 'Resume' }));
    expect(requestsTo('jobs.resume')).toEqual([{ jobId: 'run-1' }]);
    await waitFor(() => expect(screen.queryByTestId('interrupted-run')).not.toBeInTheDocument());
    expect(await screen.findByTestId('run-state')).toHaveTextContent('Running');
  });

  test('Review opens an interrupted run in the history, without resuming it', async () => {
    const run = runDetail({ job: job({ state: 'interrupted', reason: 'Consentry was closed while the run went on.', etaSeconds: null }) });
    const { requestsTo } = renderWithConsole(<OffboardingPage />, runConsole(() => run));
    await userEvent.click(within(await screen.findByTestId('interrupted-run')).getByRole('button', { name: 'Review' }));
    expect(await screen.findByText('This run was interrupted')).toBeInTheDocument();
    expect(screen.getByTestId('evidence')).toBeInTheDocument();
    expect(requestsTo('jobs.resume')).toEqual([]);
  });

  test('the history lists each run; one opened exports its evidence as CSV and JSON and shows every step with its proof', async () => {
    const finished = runDetail({ job: job({ state: 'finished', succeeded: 6, failed: 1, skipped: 1, notStarted: 0, etaSeconds: null }), stepsPerMinute: null });
    const { requestsTo } = renderWithConsole(
      <OffboardingPage />,
      runConsole(() => finished, {
        'offboarding.exportEvidence': (request) =>
          ok({
            fileName: `consentry-offboarding-run-1.${(request as { format: string }).format}`,
            content: (request as { format: string }).format === 'csv' ? '\uFEFFemail,step\r\n' : '{"steps":[]}',
            rows: 8,
          }),
      }),
    );
    await userEvent.click(await screen.findByRole('tab', { name: /History/ }));
    const history = await screen.findByTestId('run-history');
    expect(within(history).getByText('Offboard 2 people').closest('tr')).toHaveTextContent('8 / 81 failedFinished');
    await userEvent.click(within(history).getByRole('button', { name: /^Open Offboard 2 people/ }));

    const evidence = await screen.findByTestId('evidence');
    await userEvent.click(within(evidence).getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(saveTextFile).toHaveBeenCalledWith('consentry-offboarding-run-1.csv', '\uFEFFemail,step\r\n', 'text/csv;charset=utf-8'));
    await userEvent.click(within(evidence).getByRole('button', { name: 'Export JSON' }));
    await waitFor(() => expect(saveTextFile).toHaveBeenCalledWith('consentry-offboarding-run-1.json', '{"steps":[]}', 'application/json;charset=utf-8'));
    expect(requestsTo('offboarding.exportEvidence')).toEqual([
      { runId: 'run-1', format: 'csv' },
      { runId: 'run-1', format: 'json' },
    ]);

    const people = within(evidence).getByRole('region', { name: 'Evidence per person' });
    const ana = within(people).getByRole('button', { name: new RegExp(departed.ana) });
    await userEvent.click(ana);
    const steps = within(ana.closest<HTMLElement>('[data-accordion-item], .mantine-Accordion-item')!).getByTestId('evidence-steps');
    const tokens = within(steps).getByText('Remove OAuth tokens').closest('tr')!;
    expect(tokens).toHaveTextContent('Doneremoved');
    expect(tokens).toHaveTextContent('37 OAuth tokens → No OAuth tokens');
    expect(tokens).toHaveTextContent('req-7f3a');
    expect(within(steps).getByText('Suspend the account').closest('tr')).toHaveTextContent('Google refused: the user is protected by an admin role.');
  });

  test('with nothing connected and no run yet, the page leads to Connections; with no run, the history says so', async () => {
    const empty = renderWithConsole(<OffboardingPage />, consoleAnswering({ 'offboarding.runs': () => ok({ runs: [] }) }));
    expect(await screen.findByTestId('offboarding-no-connection')).toHaveTextContent('No tenant connected');
    empty.unmount();

    renderWithConsole(<OffboardingPage />, offboardingConsole());
    expect(await screen.findByTestId('list-drop-zone')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: /History/ }));
    expect(await screen.findByTestId('runs-empty')).toHaveTextContent('No offboarding runs yet');
  });
});
