import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { JobList, JobSummary } from '../../../src-shared/contract/jobs';
import { useConsentry, useConsentryEvent } from './consentry-bridge';

export const jobQueryKeys = {
  jobs: ['jobs'] as const,
  revocationReport: ['jobs', 'revocation-report'] as const,
};

const activeStates = new Set<JobSummary['state']>(['running', 'pausing', 'cancelling']);

export function isJobActive(job: JobSummary): boolean {
  return activeStates.has(job.state);
}

/** Every job main knows, kept current by its progress events. */
export function useJobs() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  useConsentryEvent(
    'jobs.progress',
    useCallback(
      (summary: JobSummary) => {
        queryClient.setQueryData<JobList>(jobQueryKeys.jobs, (list) => {
          if (!list) return list;
          const others = list.jobs.filter((job) => job.id !== summary.id);
          return { jobs: [summary, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) };
        });
        // A job that stopped has a final report now.
        if (!isJobActive(summary)) void queryClient.invalidateQueries({ queryKey: [...jobQueryKeys.revocationReport, summary.id] });
      },
      [queryClient],
    ),
  );
  return useQuery({ queryKey: jobQueryKeys.jobs, queryFn: () => client.call('jobs.list', {}) });
}

/**
 * A job's result as its capability reports it (what each item did, what the tenant holds now),
 * read again on each of the job's progress events. `queryKey` is a module constant (the
 * capability's query key), so it stays the same between renders.
 */
export function useJobResult<Result>(queryKey: readonly unknown[], jobId: string | null, read: (jobId: string) => Promise<Result>) {
  const queryClient = useQueryClient();
  const key = [...queryKey, jobId];
  useConsentryEvent(
    'jobs.progress',
    useCallback(
      (job: JobSummary) => {
        if (job.id === jobId) void queryClient.invalidateQueries({ queryKey: [...queryKey, jobId] });
      },
      [queryClient, jobId, queryKey],
    ),
  );
  return useQuery({ queryKey: key, queryFn: () => read(jobId!), enabled: jobId !== null });
}

/** One job as the list holds it, live. */
export function useJob(jobId: string | null): JobSummary | undefined {
  const jobs = useJobs();
  return jobId ? jobs.data?.jobs.find((job) => job.id === jobId) : undefined;
}

export function useJobControl() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  const onSuccess = (summary: JobSummary) =>
    queryClient.setQueryData<JobList>(jobQueryKeys.jobs, (list) => (list ? { jobs: list.jobs.map((job) => (job.id === summary.id ? summary : job)) } : list));
  return {
    pause: useMutation({ mutationFn: (jobId: string) => client.call('jobs.pause', { jobId }), onSuccess }),
    resume: useMutation({ mutationFn: (jobId: string) => client.call('jobs.resume', { jobId }), onSuccess }),
    cancel: useMutation({ mutationFn: (jobId: string) => client.call('jobs.cancel', { jobId }), onSuccess }),
  };
}

/** The per-grant result of a revocation job; fetched once the job has stopped. */
export function useRevocationReport(jobId: string | null, enabled: boolean) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...jobQueryKeys.revocationReport, jobId],
    queryFn: () => client.call('grants.revocationReport', { jobId: jobId! }),
    enabled: jobId !== null && enabled,
  });
}
