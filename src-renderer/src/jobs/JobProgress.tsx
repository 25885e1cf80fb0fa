import { Alert, Button, Group, Progress, Stack, Text, useComputedColorScheme } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useJobControl } from '../bridge/job-queries';
import { FailureAlert } from '../components/FailureAlert';
import { formatCount, formatDuration } from '../grants/grant-format';

const stateWords: Record<JobSummary['state'], string> = {
  running: 'Running',
  pausing: 'Pausing after the calls in flight…',
  paused: 'Paused',
  cancelling: 'Stopping after the calls in flight…',
  cancelled: 'Cancelled',
  finished: 'Finished',
  interrupted: 'Interrupted',
};

/** Where a job stands (counts, ETA, why it stopped) with pause, resume and cancel. */
export function JobProgress({ job, unit }: { job: JobSummary; unit: string }) {
  const control = useJobControl();
  const colorScheme = useComputedColorScheme('light');
  const ended = job.succeeded + job.failed + job.skipped;
  const percent = job.total > 0 ? (ended / job.total) * 100 : 0;
  const moving = job.state === 'running' || job.state === 'pausing' || job.state === 'cancelling';
  const canResume = job.state === 'paused' || job.state === 'interrupted';
  const canCancel = job.state !== 'finished' && job.state !== 'cancelled' && job.state !== 'cancelling';
  const failure = control.pause.error ?? control.resume.error ?? control.cancel.error;
  const eta = job.etaSeconds === null ? (job.state === 'running' ? 'estimating time left…' : null) : `${formatDuration(job.etaSeconds)} left`;
  return (
    <Stack gap="sm" data-testid="job-progress">
      <Group justify="space-between" align="baseline">
        <Text size="sm" fw={600} role="status">
          {stateWords[job.state]} · {formatCount(ended)} of {formatCount(job.total)} {unit} handled
        </Text>
        {eta && (
          <Text size="sm" c="dimmed">
            {eta}
          </Text>
        )}
      </Group>
      <Progress value={percent} animated={moving} size="lg" aria-label={`${job.title}: progress`} />
      <Text size="sm" c="dimmed">
        {formatCount(job.succeeded)} done, {formatCount(job.failed)} failed
        {job.skipped > 0 ? `, ${formatCount(job.skipped)} skipped` : ''}
        {job.notStarted > 0 ? `, ${formatCount(job.notStarted)} not started` : ''}
        {job.inDoubt > 0 ? `, ${formatCount(job.inDoubt)} unknown` : ''}.
      </Text>
      {(job.state === 'paused' || job.state === 'interrupted') && job.reason && (
        // Interrupted by a stop is news; paused is the admin's own choice or a reason to act, read calmly.
        <Alert
          color={job.state === 'interrupted' ? 'orange' : 'gray'}
          variant={colorScheme === 'dark' ? 'outline' : 'light'}
          title={job.state === 'interrupted' ? 'This job was interrupted' : 'This job is paused'}
        >
          <Text size="sm">
            {job.reason}
            {/* An interruption's reason says so already; said twice it reads as two problems. */}
            {job.inDoubt > 0 && job.state === 'paused' ? ' Calls whose answer was not recorded are not counted as done; resuming checks them again.' : ''}
          </Text>
        </Alert>
      )}
      {failure && <FailureAlert title="The job could not be changed" error={failure} />}
      <Group gap="sm">
        {job.state === 'running' && (
          <Button size="xs" variant="default" leftSection={<IconPlayerPause size={14} />} loading={control.pause.isPending} onClick={() => control.pause.mutate(job.id)}>
            Pause
          </Button>
        )}
        {canResume && (
          <Button size="xs" leftSection={<IconPlayerPlay size={14} />} loading={control.resume.isPending} onClick={() => control.resume.mutate(job.id)}>
            Resume
          </Button>
        )}
        {canCancel && (
          <Button size="xs" variant="light" color="red" leftSection={<IconPlayerStop size={14} />} loading={control.cancel.isPending} onClick={() => control.cancel.mutate(job.id)}>
            {canResume ? 'Stop and report' : 'Cancel the rest'}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
