import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { CredentialInventory, Rotation, RotationAction } from '../../../src-shared/contract/credentials';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useConsentry, useConsentryEvent } from './consentry-bridge';
import { isJobActive, useJobResult } from './job-queries';

export const credentialQueryKeys = {
  /** Everything read for the Credentials page; invalidated as a whole when main says credentials changed. */
  credentials: ['credentials'] as const,
  inventory: ['credentials', 'inventory'] as const,
  history: ['credentials', 'history'] as const,
  rotations: ['credentials', 'rotations'] as const,
  cloudProjects: ['credentials', 'cloud-projects'] as const,
  revokeReport: ['credentials', 'revoke-report'] as const,
  /** Outside 'credentials': the rotation a wizard shows is kept current by events, never re-planned behind it. */
  rotation: ['credential-rotation'] as const,
  /** Outside 'credentials': a plan the admin is confirming must not be replaced under them. */
  revokePlan: ['credential-revoke-plan'] as const,
};

const isRevokeJob = (job: JobSummary) => job.kind === 'credentials.revoke';

/**
 * Re-reads the Credentials page when main reports a change, when a rotation moves and when a
 * revocation ends. Mount it once, on the page.
 */
export function useCredentialUpdates() {
  const queryClient = useQueryClient();
  useConsentryEvent(
    'credentials.changed',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: credentialQueryKeys.credentials }), [queryClient]),
  );
  useConsentryEvent(
    'credentials.rotationChanged',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: credentialQueryKeys.rotations }), [queryClient]),
  );
  useConsentryEvent(
    'jobs.progress',
    useCallback(
      (job: JobSummary) => {
        // A revocation that stopped changed the tenants: the inventory is read again.
        if (isRevokeJob(job) && !isJobActive(job)) void queryClient.invalidateQueries({ queryKey: credentialQueryKeys.inventory });
      },
      [queryClient],
    ),
  );
}

// ---------- inventory ----------

export function useCredentialInventory() {
  const client = useConsentry();
  return useQuery({ queryKey: credentialQueryKeys.inventory, queryFn: () => client.call('credentials.inventory', {}) });
}

/** Reads the named connections again (all when none); the answer is the whole inventory. */
export function useReadCredentials() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (connectionIds?: string[]) => client.call('credentials.read', connectionIds ? { connectionIds } : {}),
    onSuccess: (inventory) => queryClient.setQueryData<CredentialInventory>(credentialQueryKeys.inventory, inventory),
  });
}

export function useCredentialHistory(key: string | null) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...credentialQueryKeys.history, key],
    queryFn: () => client.call('credentials.history', { key: key! }),
    enabled: key !== null,
  });
}

export function useExportCredentialsCsv() {
  const client = useConsentry();
  return useMutation({ mutationFn: () => client.call('credentials.exportCsv', {}) });
}

export function useCloudProjects() {
  const client = useConsentry();
  return useQuery({ queryKey: credentialQueryKeys.cloudProjects, queryFn: () => client.call('credentials.cloudProjects', {}) });
}

/** Names a Google connection's projects, then reads that connection's keys. */
export function useSetCloudProjects() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  const read = useReadCredentials();
  return useMutation({
    mutationFn: (request: { connectionId: string; projects: string[] }) => client.call('credentials.setCloudProjects', request),
    onSuccess: (projects, request) => {
      queryClient.setQueryData(credentialQueryKeys.cloudProjects, projects);
      read.mutate([request.connectionId]);
    },
  });
}

// ---------- rotation ----------

/** Every unfinished rotation and those finished in the last 30 days. */
export function useRotations() {
  const client = useConsentry();
  return useQuery({ queryKey: credentialQueryKeys.rotations, queryFn: () => client.call('credentials.rotations', {}) });
}

/**
 * The rotation of one credential: planned when the wizard opens (main sends nothing to the tenant
 * for that), or the one already under way. Kept current by events and by each step's answer.
 */
export function useCredentialRotation(credentialKey: string) {
  const client = useConsentry();
  const queryClient = useQueryClient();
  useConsentryEvent(
    'credentials.rotationChanged',
    useCallback(
      (rotation: Rotation) => {
        if (rotation.credentialKey !== credentialKey) return;
        // A newer rotation of the same credential (after a cancel) replaces the one shown; a late event of an older one does not.
        queryClient.setQueryData<Rotation>([...credentialQueryKeys.rotation, credentialKey], (shown) =>
          shown && shown.id !== rotation.id && shown.startedAt > rotation.startedAt ? shown : rotation,
        );
      },
      [queryClient, credentialKey],
    ),
  );
  return useQuery({
    queryKey: [...credentialQueryKeys.rotation, credentialKey],
    queryFn: () => client.call('credentials.startRotation', { key: credentialKey }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export function useAdvanceRotation() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ rotationId, step }: { rotationId: string; step: RotationAction }) => client.call('credentials.advanceRotation', { rotationId, step }),
    // A step may carry Consentry's new client secret: the cache forgets it as soon as the wizard closes.
    gcTime: 0,
    onSuccess: (rotation) => {
      queryClient.setQueryData([...credentialQueryKeys.rotation, rotation.credentialKey], rotation);
      void queryClient.invalidateQueries({ queryKey: credentialQueryKeys.rotations });
    },
  });
}

// ---------- revoke now ----------

export function useRevokePlan(keys: readonly string[]) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...credentialQueryKeys.revokePlan, keys],
    queryFn: () => client.call('credentials.planRevoke', { keys: [...keys] }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export function useRevokeCredentials() {
  const client = useConsentry();
  return useMutation({ mutationFn: (request: { planId: string; typed: string }) => client.call('credentials.revoke', request) });
}

/** What a revocation did per credential; re-read as its job moves. */
export function useRevokeReport(jobId: string | null) {
  const client = useConsentry();
  return useJobResult(credentialQueryKeys.revokeReport, jobId, (id) => client.call('credentials.revokeReport', { jobId: id }));
}
