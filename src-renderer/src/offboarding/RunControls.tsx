import { Button, Group, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useState } from 'react';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useJobControl } from '../bridge/job-queries';
import { useReadRunAgain } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * Pause, resume and cancel of a run (the kernel's job controls). Cancel asks first: what is done
 * stays done, the rest stays planned.
 */
export function RunControls({ job }: { job: JobSummary }) {
  const control = useJobControl();
  const readRunAgain = useReadRunAgain();
  const [asking, setAsking] = useState(false);
  const reread = { onSettled: () => readRunAgain(job.id) };
  const canResume = job.state === 'paused' || job.state === 'interrupted';
  const canCancel = job.state !== 'finished' && job.state !== 'cancelled' && job.state !== 'cancelling';
  const failure = control.pause.error ?? control.resume.error ?? control.cancel.error;
  if (!canCancel && !canResume && job.state !== 'running') return null;
  return (
    <>
      <Group gap="sm">
        {job.state === 'running' && (
          <Button variant="default" leftSection={<IconPlayerPause size={16} />} loading={control.pause.isPending} onClick={() => control.pause.mutate(job.id, reread)}>
            Pause
          </Button>
        )}
        {canResume && (
          <Button leftSection={<IconPlayerPlay size={16} />} loading={control.resume.isPending} onClick={() => control.resume.mutate(job.id, reread)}>
            Resume
          </Button>
        )}
        {canCancel && (
          <Button variant="light" color="red" leftSection={<IconPlayerStop size={16} />} onClick={() => setAsking(true)}>
            Cancel the rest…
          </Button>
        )}
      </Group>
      {failure && <FailureAlert title="The run could not be changed" error={failure} />}
      <ConfirmDialog
        opened={asking}
        title="Cancel the rest of this run?"
        keepLabel={canResume ? 'Keep it for later' : 'Keep running'}
        confirmLabel="Cancel the rest"
        busy={control.cancel.isPending}
        onKeep={() => setAsking(false)}
        onConfirm={() =>
          control.cancel.mutate(job.id, {
            onSettled: () => {
              setAsking(false);
              readRunAgain(job.id);
            },
          })
        }
      >
        <Text size="sm">
          The rest stays planned and is not carried out; nothing done is undone. Steps already sent finish first, and the evidence records where each person stands.
        </Text>
      </ConfirmDialog>
    </>
  );
}
