import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import type { ImportRequest, OffboardingList, OffboardingPlan, RowFields, RunDetail, RunOptions, RunSummary } from '../../../src-shared/contract/offboarding';
import { useConsentry, useConsentryEvent } from './consentry-bridge';
import { useJobResult } from './job-queries';

export const offboardingQueryKeys = {
  /** Everything read for the Offboarding page. */
  offboarding: ['offboarding'] as const,
  list: ['offboarding', 'list'] as const,
  plan: ['offboarding', 'plan'] as const,
  runs: ['offboarding', 'runs'] as const,
  run: ['offboarding', 'run'] as const,
  /** Outside 'offboarding': kept by this window, never read from main. */
  outdatedPlan: ['offboarding-outdated-plan'] as const,
};

/** What each `offboarding.changed` report makes stale. */
const changedKeys = {
  list: [offboardingQueryKeys.list],
  plan: [offboardingQueryKeys.plan],
  dryRun: [offboardingQueryKeys.plan],
  runs: [offboardingQueryKeys.runs, offboardingQueryKeys.run],
} as const;

/**
 * Re-reads the Offboarding page when main reports a change (a check or a dry run under way reports
 * as it goes) and when one of its runs moves. Mount it once, on the page.
 */
export function useOffboardingUpdates() {
  const queryClient = useQueryClient();
  useConsentryEvent(
    'offboarding.changed',
    useCallback(
      ({ what }: { what: keyof typeof changedKeys }) => {
        for (const queryKey of changedKeys[what]) void queryClient.invalidateQueries({ queryKey });
      },
      [queryClient],
    ),
  );
  useConsentryEvent(
    'jobs.progress',
    useCallback(
      (job: JobSummary) => {
        // The runs' list carries each run's job: the one that moved is shown as it is now.
        queryClient.setQueryData<{ runs: RunSummary[] }>(offboardingQueryKeys.runs, (answer) =>
          answer && answer.runs.some((run) => run.job.id === job.id) ? { runs: answer.runs.map((run) => (run.job.id === job.id ? { ...run, job } : run)) } : answer,
        );
      },
      [queryClient],
    ),
  );
}

// ---------- the list ----------

const setList = (queryClient: ReturnType<typeof useQueryClient>) => (list: OffboardingList | null) => {
  queryClient.setQueryData<{ list: OffboardingList | null }>(offboardingQueryKeys.list, { list });
  // The plan was worked out from the list before this change: out of date until worked out again.
  const planned = queryClient.getQueryData<{ plan: OffboardingPlan | null }>(offboardingQueryKeys.plan)?.plan;
  if (planned) queryClient.setQueryData(offboardingQueryKeys.outdatedPlan, planned.id);
  void queryClient.invalidateQueries({ queryKey: offboardingQueryKeys.plan });
};

/** The list being prepared (kept by main across restarts), or null. */
export function useOffboardingList() {
  const client = useConsentry();
  return useQuery({ queryKey: offboardingQueryKeys.list, queryFn: () => client.call('offboarding.list', {}) });
}

export function useImportOffboardingList() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (request: ImportRequest) => client.call('offboarding.importList', request), onSuccess: setList(queryClient) });
}

/** Fixes a row in place, or adds one when `rowId` is null. */
export function useEditOffboardingRow() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (request: { rowId: string | null; fields: RowFields }) => client.call('offboarding.editRow', request), onSuccess: setList(queryClient) });
}

export function useDropOffboardingRows() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (rowIds: string[]) => client.call('offboarding.dropRows', { rowIds }), onSuccess: setList(queryClient) });
}

export function useClearOffboardingList() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: () => client.call('offboarding.clearList', {}), onSuccess: (answer) => setList(queryClient)(answer.list) });
}

/** Reads each connection's directory again; every row's verdict is worked out again. */
export function useCheckOffboardingList() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: () => client.call('offboarding.checkList', {}), onSuccess: setList(queryClient) });
}

// ---------- the plan and its dry run ----------

export function useOffboardingPlan() {
  const client = useConsentry();
  return useQuery({ queryKey: offboardingQueryKeys.plan, queryFn: () => client.call('offboarding.currentPlan', {}) });
}

/** The plan whose list the admin changed in this window since it was worked out; null when none. */
export function useOutdatedPlanId(): string | null {
  return useQuery({ queryKey: offboardingQueryKeys.outdatedPlan, queryFn: () => null as string | null, staleTime: Number.POSITIVE_INFINITY, gcTime: Number.POSITIVE_INFINITY }).data ?? null;
}

function usePlanMutation<Variables>(call: (variables: Variables) => Promise<OffboardingPlan>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: (plan) => queryClient.setQueryData<{ plan: OffboardingPlan | null }>(offboardingQueryKeys.plan, { plan }) });
}

export function useMakeOffboardingPlan() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return usePlanMutation(async (options: RunOptions) => {
    const plan = await client.call('offboarding.plan', { options });
    // Worked out from the list as it is now, whatever id main gives it.
    queryClient.setQueryData(offboardingQueryKeys.outdatedPlan, null);
    return plan;
  });
}

export function useStartDryRun() {
  const client = useConsentry();
  return usePlanMutation((planId: string) => client.call('offboarding.dryRun', { planId }));
}

export function useCancelDryRun() {
  const client = useConsentry();
  return usePlanMutation((planId: string) => client.call('offboarding.cancelDryRun', { planId }));
}

// ---------- runs ----------

/** Confirms the plan with the phrase the admin typed: its steps become a job. */
export function useStartOffboarding() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { planId: string; confirmation: string }) => client.call('offboarding.start', request),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: offboardingQueryKeys.runs }),
  });
}

export function useOffboardingRuns() {
  const client = useConsentry();
  return useQuery({ queryKey: offboardingQueryKeys.runs, queryFn: () => client.call('offboarding.runs', {}) });
}

/** One run, per person and per step; read again on each of its job's progress events. */
export function useOffboardingRun(runId: string | null) {
  const client = useConsentry();
  return useJobResult(offboardingQueryKeys.run, runId, (id) => client.call('offboarding.run', { runId: id }));
}

/**
 * Reads a run and the runs' list again, after the admin paused, resumed or cancelled it (main's
 * progress event says so too; this covers a missed one).
 */
export function useReadRunAgain() {
  const queryClient = useQueryClient();
  return useCallback(
    (runId: string) => {
      void queryClient.invalidateQueries({ queryKey: [...offboardingQueryKeys.run, runId] });
      void queryClient.invalidateQueries({ queryKey: offboardingQueryKeys.runs });
    },
    [queryClient],
  );
}

/** Records the admin's word that a manual step is done. */
export function useConfirmManualStep() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { runId: string; email: string; connectionId: string; kind: string }) => client.call('offboarding.confirmManualStep', request),
    onSuccess: (run: RunDetail) => queryClient.setQueryData([...offboardingQueryKeys.run, run.job.id], run),
  });
}

export function useExportEvidence() {
  const client = useConsentry();
  return useMutation({ mutationFn: (request: { runId: string; format: 'csv' | 'json' }) => client.call('offboarding.exportEvidence', request) });
}
