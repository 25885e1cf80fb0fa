import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ActivityFilter } from '../../../src-shared/contract/activity';
import type { AppAccessDecision, BlockMode, ConsentPolicies, PolicyChange, TenantConsentPolicy } from '../../../src-shared/contract/consent';
import type { GrantFilter } from '../../../src-shared/contract/grants';
import type { JobSummary } from '../../../src-shared/contract/jobs';
import { useConsentry, useConsentryEvent } from './consentry-bridge';
import { isJobActive, useJobResult } from './job-queries';
import { queryKeys, useActivityPage } from './queries';

export const consentQueryKeys = {
  /** Everything read for the Consent page; invalidated as a whole when main says consent changed. */
  consent: ['consent'] as const,
  policies: ['consent', 'policies'] as const,
  requests: ['consent', 'requests'] as const,
  googleDecisions: ['consent', 'google-decisions'] as const,
  grantResult: ['consent', 'grant-result'] as const,
  /** Outside 'consent': a review must not be replaced while the admin ticks its permissions. */
  review: ['consent-review'] as const,
  /** Tenant-wide consents come from the last grant scan, so they sit under the grant keys too. */
  tenantWide: [...queryKeys.grants, 'tenant-wide'] as const,
};

/** A consent job's kind starts with `consent.` (e.g. the grant through Graph). */
function isConsentJob(job: JobSummary): boolean {
  return job.kind.startsWith('consent.');
}

/**
 * Re-reads the Consent page when main reports a change on a tenant, when a consent job moves, and
 * when a new grant scan replaces the tenant-wide consents. Mount it once, on the page.
 */
export function useConsentUpdates() {
  const queryClient = useQueryClient();
  useConsentryEvent(
    'consent.changed',
    useCallback(() => {
      void queryClient.invalidateQueries({ queryKey: consentQueryKeys.consent });
      void queryClient.invalidateQueries({ queryKey: consentQueryKeys.tenantWide });
    }, [queryClient]),
  );
  useConsentryEvent(
    'jobs.progress',
    useCallback(
      (job: JobSummary) => {
        // A consent job that stopped changed the tenant: its policies, requests and consents are read again.
        if (isConsentJob(job) && !isJobActive(job)) void queryClient.invalidateQueries({ queryKey: consentQueryKeys.consent });
      },
      [queryClient],
    ),
  );
  useConsentryEvent(
    'grants.changed',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.grants }), [queryClient]),
  );
}

// ---------- policies ----------

function withTenant(policies: ConsentPolicies | undefined, tenant: TenantConsentPolicy): ConsentPolicies | undefined {
  if (!policies) return policies;
  return { ...policies, tenants: policies.tenants.map((known) => (known.connectionId === tenant.connectionId ? tenant : known)) };
}

/** Every connected tenant's consent settings, read live and checked against the baselines. */
export function useConsentPolicies() {
  const client = useConsentry();
  return useQuery({ queryKey: consentQueryKeys.policies, queryFn: () => client.call('consent.policies', {}) });
}

/** Reads one tenant's settings again and puts its card in place. */
export function useRefreshConsentPolicy() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (connectionId: string) => client.call('consent.policies', { connectionIds: [connectionId] }),
    onSuccess: (read) => {
      for (const tenant of read.tenants) queryClient.setQueryData<ConsentPolicies>(consentQueryKeys.policies, (policies) => withTenant(policies, tenant));
    },
  });
}

export function usePlanPolicyChange() {
  const client = useConsentry();
  return useMutation({ mutationFn: ({ connectionId, change }: { connectionId: string; change: PolicyChange }) => client.call('consent.planPolicyChange', { connectionId, change }) });
}

/** Applies a planned change; the card shows the policy main read back. */
export function useChangePolicy() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { planId: string; confirmation: string }) => client.call('consent.changePolicy', request),
    onSuccess: (result) => queryClient.setQueryData<ConsentPolicies>(consentQueryKeys.policies, (policies) => withTenant(policies, result.policy)),
  });
}

// ---------- requests ----------

export function useConsentRequests() {
  const client = useConsentry();
  return useQuery({ queryKey: consentQueryKeys.requests, queryFn: () => client.call('consent.requests', {}) });
}

export function useDenyConsentRequest() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { connectionId: string; requestId: string; reason: string }) => client.call('consent.deny', request),
    onSettled: () => queryClient.invalidateQueries({ queryKey: consentQueryKeys.requests }),
  });
}

// ---------- review and grant ----------

/**
 * Everything an app asks for and holds, rated. Main keeps each review for the plan made from it, so
 * one is read per target and never re-read behind the admin's back.
 */
export function useConsentReview(target: { connectionId: string; appId: string; requestId?: string; delegated: string[]; application: string[] } | null) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...consentQueryKeys.review, target],
    queryFn: () => client.call('consent.review', target!),
    enabled: target !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export function usePlanConsentGrant() {
  const client = useConsentry();
  return useMutation({
    mutationFn: (request: { reviewId: string; keepDelegated: string[]; keepApplication: string[]; method: 'graph' | 'browser' }) => client.call('consent.planGrant', request),
  });
}

export function useStartConsentGrant() {
  const client = useConsentry();
  return useMutation({ mutationFn: (request: { planId: string; confirmation: string }) => client.call('consent.grant', request) });
}

/** What a grant job did and what the tenant holds now; re-read as the job moves. */
export function useConsentGrantResult(jobId: string | null) {
  const client = useConsentry();
  return useJobResult(consentQueryKeys.grantResult, jobId, (id) => client.call('consent.grantResult', { jobId: id }));
}

export function useOpenConsentPrompt() {
  const client = useConsentry();
  return useMutation({ mutationFn: (planId: string) => client.call('consent.openConsentPrompt', { planId }) });
}

export function useConsentReadBack() {
  const client = useConsentry();
  return useMutation({ mutationFn: (planId: string) => client.call('consent.readBack', { planId }) });
}

// ---------- block ----------

export function usePlanBlock() {
  const client = useConsentry();
  return useMutation({ mutationFn: (request: { connectionId: string; appId: string; mode: BlockMode }) => client.call('consent.planBlock', request) });
}

export function useBlockApp() {
  const client = useConsentry();
  return useMutation({ mutationFn: (request: { planId: string; confirmation: string }) => client.call('consent.block', request) });
}

// ---------- tenant-wide consents (from the last grant scan) ----------

/** Enough for every tenant-wide consent of a scan: admins consent for an app far less often than users do. */
export const tenantWideLimit = 1_000;

export function useTenantWideConsents(filter: Omit<GrantFilter, 'consent'>) {
  const client = useConsentry();
  const tenantFilter: GrantFilter = { ...filter, consent: 'tenant' };
  return useQuery({
    queryKey: [...consentQueryKeys.tenantWide, tenantFilter],
    queryFn: async () => {
      // Grant rows carry the app's key, not its client id; the app rows give it.
      const [grants, apps] = await Promise.all([
        client.call('grants.list', { filter: tenantFilter, sort: { column: 'app', direction: 'asc' }, offset: 0, limit: tenantWideLimit }),
        client.call('grants.apps', { filter: tenantFilter, sort: { column: 'name', direction: 'asc' }, offset: 0, limit: tenantWideLimit }),
      ]);
      return { grants, apps: new Map(apps.rows.map((app) => [app.key, app])) };
    },
    placeholderData: (previous) => previous,
  });
}

// ---------- Google app access ----------

/** The apps of the last Google scan, to decide on. */
export function useGoogleScanApps() {
  const client = useConsentry();
  return useQuery({
    queryKey: [...queryKeys.grantApps, 'google-decisions'],
    queryFn: () => client.call('grants.apps', { filter: { providers: ['google'] }, sort: { column: 'name', direction: 'asc' }, offset: 0, limit: tenantWideLimit }),
  });
}

export function useGoogleDecisions() {
  const client = useConsentry();
  return useQuery({ queryKey: consentQueryKeys.googleDecisions, queryFn: () => client.call('consent.googleDecisions', {}) });
}

export function useDecideGoogleApp() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { connectionId: string; clientId: string; appName: string; decision: AppAccessDecision | null; note?: string }) =>
      client.call('consent.decideGoogleApp', request),
    onSuccess: (list) => queryClient.setQueryData(consentQueryKeys.googleDecisions, list),
  });
}

export function useExportGoogleList() {
  const client = useConsentry();
  return useMutation({ mutationFn: (decision: AppAccessDecision) => client.call('consent.exportGoogleList', { decision }) });
}

// ---------- history ----------

/** Every consent action is named `consent.…`; main pages and totals them like any activity filter. */
const consentActions: ActivityFilter = { actionPrefix: 'consent.' };

/** One page of consent decisions and changes from the activity log, newest first. */
export function useConsentHistory(offset: number, limit: number) {
  return useActivityPage(consentActions, offset, limit);
}
