import { Button, Card, Modal, Stack } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { useState } from 'react';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useJobs } from '../bridge/job-queries';
import { RelativeTime } from '../components/RelativeTime';
import { JobProgress } from '../jobs/JobProgress';
import { CardHeading } from './CardHeading';
import { RevocationJobView } from './RevocationJobView';

const revocationKind = 'grants.revoke';
const unfinished = new Set<JobSummary['state']>(['running', 'pausing', 'paused', 'cancelling', 'interrupted']);

/**
 * Revocations that have not finished — running in the background, paused, or interrupted when
 * Consentry stopped — each with where it stands, resume or stop, and its result so far.
 */
export function RevocationJobs() {
  const jobs = useJobs();
  const [open, setOpen] = useState<string | null>(null);
  const shown = (jobs.data?.jobs ?? []).filter((job) => job.kind === revocationKind && unfinished.has(job.state));
  if (shown.length === 0) return null;
  return (
    <>
      <Stack gap="sm" data-testid="revocation-jobs">
        {shown.map((job) => (
          <Card key={job.id} withBorder padding="md">
            <Stack gap="sm">
              <CardHeading
                title={job.title}
                description={
                  <>
                    Confirmed <RelativeTime iso={job.createdAt} />
                  </>
                }
              >
                <Button size="xs" variant="subtle" leftSection={<IconListDetails size={14} />} onClick={() => setOpen(job.id)}>
                  Result so far
                </Button>
              </CardHeading>
              <JobProgress job={job} unit="grants" />
            </Stack>
          </Card>
        ))}
      </Stack>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title="Revocation" size="xl" closeButtonProps={{ 'aria-label': 'Close' }}>
        {open && <RevocationJobView jobId={open} />}
      </Modal>
    </>
  );
}
