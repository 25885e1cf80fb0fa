import { Group, Loader, Stack, Text } from '@mantine/core';
import { isJobActive, useJob, useRevocationReport } from '../bridge/job-queries';
import { FailureAlert } from '../components/FailureAlert';
import { JobProgress } from '../jobs/JobProgress';
import { RevocationResults } from './RevocationResults';

/**
 * A revocation job as it runs (progress with pause and cancel), then its result per grant. A
 * paused or interrupted job shows both: where it stands and what has been done so far.
 */
export function RevocationJobView({ jobId }: { jobId: string }) {
  const job = useJob(jobId);
  const stopped = job !== undefined && !isJobActive(job);
  const report = useRevocationReport(jobId, stopped);
  if (!job) {
    return (
      <Group gap="sm" py="lg">
        <Loader size="sm" aria-hidden />
        <Text size="sm">Starting the revocation…</Text>
      </Group>
    );
  }
  const ended = job.state === 'finished' || job.state === 'cancelled';
  return (
    <Stack gap="lg">
      {!ended && <JobProgress job={job} unit="grants" />}
      {isJobActive(job) && (
        <Text size="sm" c="dimmed">
          Each grant is revoked at its provider and read back to confirm it is gone; every step is recorded as it happens, so the job can be resumed if Consentry
          stops. You can close this window: the job goes on and stays listed on the Grants page.
        </Text>
      )}
      {report.error && <FailureAlert title="The result could not be read" error={report.error} />}
      {stopped && report.data && <RevocationResults report={report.data} />}
    </Stack>
  );
}
