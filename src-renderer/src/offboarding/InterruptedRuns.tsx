import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconPlayerPlay, IconPlugConnectedX } from '@tabler/icons-react';
import type { RunSummary } from '../../../src-shared/contract/offboarding';
import { useJobControl } from '../bridge/job-queries';
import { useOffboardingRun, useReadRunAgain } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatCount, plural } from '../grants/grant-format';
import { ReconnectFirst } from './ReconnectFirst';

function InterruptedRun({ run, onResumed, onReview }: { run: RunSummary; onResumed: (runId: string) => void; onReview: (runId: string) => void }) {
  const detail = useOffboardingRun(run.job.id);
  const { resume } = useJobControl();
  const readRunAgain = useReadRunAgain();
  const { job } = run;
  const done = detail.data ? detail.data.persons.filter((person) => person.state === 'done').length : null;
  const ended = job.succeeded + job.failed + job.skipped;
  const stepsEnded = `${formatCount(ended)} of ${plural(job.total, 'step')} ended`;
  return (
    <Alert color="orange" variant="light" icon={<IconPlugConnectedX size={20} />} title="A run was interrupted when Consentry stopped" data-testid="interrupted-run">
      <Stack gap="xs">
        <Text size="sm" role="status">
          {job.title}:{' '}
          {done === null ? `${stepsEnded}.` : `${formatCount(done)} of ${plural(run.people, 'person', 'people')} done. ${stepsEnded}.`} Resuming goes on where it
          stopped: each step left in doubt reads the provider first, so nothing is done twice.
        </Text>
        <ReconnectFirst run={run} testId="interrupted-run-reconnect" />
        {resume.error && <FailureAlert title="The run did not resume" error={resume.error} />}
        <Group gap="sm">
          <Button color="orange" leftSection={<IconPlayerPlay size={16} />} loading={resume.isPending} onClick={() => resume.mutate(job.id, { onSuccess: () => onResumed(job.id), onSettled: () => readRunAgain(job.id) })}>
            Resume
          </Button>
          <Button variant="default" onClick={() => onReview(job.id)}>
            Review
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** Runs a stop of Consentry left unfinished, offered for resume at the top of the page. */
export function InterruptedRuns({ runs, onResumed, onReview }: { runs: RunSummary[]; onResumed: (runId: string) => void; onReview: (runId: string) => void }) {
  const interrupted = runs.filter((run) => run.job.state === 'interrupted');
  if (interrupted.length === 0) return null;
  return (
    <Stack gap="sm" mb="md">
      {interrupted.map((run) => (
        <InterruptedRun key={run.job.id} run={run} onResumed={onResumed} onReview={onReview} />
      ))}
    </Stack>
  );
}
