import { Button, Skeleton, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import type { RunDetail } from '../../../src-shared/contract/offboarding';
import { useOffboardingRun } from '../bridge/offboarding-queries';
import { FailureAlert } from '../components/FailureAlert';

/** One run read from main (and read again as its job moves), with its loading and failure views. */
export function RunView({ runId, children }: { runId: string; children: (run: RunDetail) => ReactNode }) {
  const run = useOffboardingRun(runId);
  if (run.error) {
    return (
      <FailureAlert title="The run could not be read" error={run.error}>
        <Button size="xs" variant="light" color="red" w="fit-content" onClick={() => void run.refetch()}>
          Try again
        </Button>
      </FailureAlert>
    );
  }
  if (!run.data) {
    return (
      <Stack gap="md" aria-busy>
        <Skeleton h={150} radius="md" />
        <Skeleton h={220} radius="md" />
      </Stack>
    );
  }
  return <>{children(run.data)}</>;
}
