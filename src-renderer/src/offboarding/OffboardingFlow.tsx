import { Alert, Button, Group, Skeleton, Stack, Stepper } from '@mantine/core';
import { IconArrowRight, IconCircleCheck, IconInfoCircle, IconPlus } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import type { OffboardingList, OffboardingPlan } from '../../../src-shared/contract/offboarding';
import { useOffboardingList, useOffboardingPlan, useOffboardingRun, useOutdatedPlanId } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { plural } from '../grants/grant-format';
import { DryRunStep } from './DryRunStep';
import { EvidenceView } from './EvidenceView';
import { ImportStep } from './ImportStep';
import { isRunOpen, runStateLooks } from './offboarding-format';
import { PlanStep } from './PlanStep';
import { ReviewStep } from './ReviewStep';
import { RunProgressView } from './RunProgressView';
import { RunView } from './RunView';
import { StartRunForm } from './StartRunForm';

const steps = { import: 0, review: 1, plan: 2, dryRun: 3, run: 4, evidence: 5 } as const;

/**
 * The plan still fits the list as main holds it: the same list, each of its people a row without
 * an error and with the same email, and the same rows left out. (A change made in this window
 * since is caught by `useOutdatedPlanId`, which also sees rows added.)
 */
function planFitsList(plan: OffboardingPlan, list: OffboardingList): boolean {
  if (plan.listId !== list.id || plan.excludedRows !== list.counts.error) return false;
  const rows = new Map(list.rows.filter((row) => row.verdict !== 'error').map((row) => [row.id, row]));
  return plan.people.every((person) => rows.get(person.rowId)?.email.trim().toLowerCase() === person.email.trim().toLowerCase());
}

/** A step that needs an earlier one first: what is missing, and the way back to it. */
function NeedsEarlierStep({ children, action, onAction }: { children: ReactNode; action: string; onAction: () => void }) {
  return (
    <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />}>
      <Group justify="space-between" gap="sm">
        {children}
        <Button size="xs" variant="light" onClick={onAction}>
          {action}
        </Button>
      </Group>
    </Alert>
  );
}

/**
 * import → review → plan → dry run → run → evidence, as one Stepper a first-time admin follows
 * step by step. Where it opens follows from what main holds (the list, the plan, a run under way);
 * the admin can go back to any step reached.
 */
export function OffboardingFlow({
  runId,
  onRunChange,
  pasted,
  onPastedChange,
}: {
  /** The run this flow started or follows; null before one is started. */
  runId: string | null;
  onRunChange: (runId: string | null) => void;
  pasted: string;
  onPastedChange: (text: string) => void;
}) {
  const listQuery = useOffboardingList();
  const planQuery = useOffboardingPlan();
  const outdatedPlanId = useOutdatedPlanId();
  // The same read as the run's view (one query): the step names how the run stands.
  const run = useOffboardingRun(runId);
  const [chosen, setChosen] = useState<number | null>(null);

  const failure = listQuery.error ?? planQuery.error;
  if (failure) {
    return (
      <FailureAlert title="The offboarding list could not be read" error={failure}>
        <Button
          size="xs"
          variant="light"
          color="red"
          w="fit-content"
          onClick={() => {
            void listQuery.refetch();
            void planQuery.refetch();
          }}
        >
          Try again
        </Button>
      </FailureAlert>
    );
  }
  if (!listQuery.data || !planQuery.data) {
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={60} radius="md" />
        <Skeleton h={320} radius="md" />
      </Stack>
    );
  }

  const list = listQuery.data.list;
  const plan = list && planQuery.data.plan?.listId === list.id ? planQuery.data.plan : null;
  const fresh = plan !== null && list !== null && plan.id !== outdatedPlanId && planFitsList(plan, list);
  const reachable = [
    true,
    list !== null,
    list !== null && list.rows.length > 0,
    fresh,
    fresh || runId !== null,
    runId !== null,
  ];
  const derived = runId !== null ? steps.run : plan?.dryRun && fresh ? steps.dryRun : plan ? steps.plan : list ? steps.review : steps.import;
  const step = chosen !== null && reachable[chosen] ? chosen : derived;
  const go = (next: number) => setChosen(next);

  const body = (() => {
    switch (step) {
      case steps.import:
        return <ImportStep list={list} pasted={pasted} onPastedChange={onPastedChange} onImported={() => go(steps.review)} onReview={() => go(steps.review)} />;
      case steps.review:
        return list && <ReviewStep list={list} onContinue={() => go(steps.plan)} onImportAnother={() => go(steps.import)} />;
      case steps.plan:
        return list && <PlanStep list={list} plan={plan} fresh={fresh} onReview={() => go(steps.review)} onDryRun={() => go(steps.dryRun)} onSkipDryRun={() => go(steps.run)} />;
      case steps.dryRun:
        return plan && <DryRunStep plan={plan} onContinue={() => go(steps.run)} />;
      case steps.run:
        if (runId !== null) {
          return (
            <RunView runId={runId}>
              {(run) => (
                <Stack gap="md">
                  {!isRunOpen(run.job.state) && (
                    <Alert color={run.job.state === 'finished' ? 'teal' : 'gray'} variant="light" icon={<IconCircleCheck size={18} />} title={`The run is ${runStateLooks[run.job.state].label.toLowerCase()}`}>
                      <Group justify="space-between" gap="sm">
                        {run.job.failed > 0 ? `${plural(run.job.failed, 'step')} failed: the evidence says why.` : 'Every step ended; the evidence records each one.'}
                        <Group gap="sm">
                          <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => onRunChange(null)}>
                            Start another offboarding
                          </Button>
                          <Button size="xs" rightSection={<IconArrowRight size={14} />} onClick={() => go(steps.evidence)}>
                            See the evidence
                          </Button>
                        </Group>
                      </Group>
                    </Alert>
                  )}
                  <RunProgressView run={run} />
                </Stack>
              )}
            </RunView>
          );
        }
        return plan && <StartRunForm plan={plan} onStarted={(run) => onRunChange(run.job.id)} onDryRun={() => go(steps.dryRun)} />;
      case steps.evidence:
        return runId !== null ? (
          <RunView runId={runId}>{(run) => <EvidenceView run={run} />}</RunView>
        ) : (
          <NeedsEarlierStep action="Go to the run" onAction={() => go(steps.run)}>
            The evidence appears once a run has started.
          </NeedsEarlierStep>
        );
      default:
        return null;
    }
  })();

  const dryRunState = plan?.dryRun ? { running: 'Reading…', finished: 'Done', cancelled: 'Cancelled', failed: 'Stopped' }[plan.dryRun.state] : 'Read only';
  return (
    <Stack gap="lg">
      <Stepper active={step} onStepClick={go} size="sm" aria-label="Offboarding steps">
        <Stepper.Step label="Import" description={list ? (list.source.fileName ?? 'Pasted') : 'File or paste'} allowStepSelect={reachable[0]} />
        <Stepper.Step label="Review" description={list ? plural(list.counts.ready + list.counts.warning, 'person', 'people') : 'Each row checked'} allowStepSelect={reachable[1]} />
        <Stepper.Step label="Plan" description={plan ? `${plural(plan.people.length, 'person', 'people')}` : 'Steps in order'} allowStepSelect={reachable[2]} />
        <Stepper.Step label="Dry run" description={dryRunState} allowStepSelect={reachable[3]} />
        <Stepper.Step label="Run" description={runId ? (run.data ? runStateLooks[run.data.job.state].label : 'Started') : 'Confirm'} allowStepSelect={reachable[4]} />
        <Stepper.Step label="Evidence" description="CSV, JSON" allowStepSelect={reachable[5]} />
      </Stepper>
      {body}
    </Stack>
  );
}
