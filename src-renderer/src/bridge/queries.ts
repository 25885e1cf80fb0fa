import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ActivityFilter } from '../../../src-shared/contract/activity';
import type { ConnectionPreviewRequest } from '../../../src-shared/contract/connections';
import type { GrantAppPage, GrantAppQuery, GrantAuditStatus, GrantFilter, GrantPage, GrantQuery, ScanProgress } from '../../../src-shared/contract/grants';
import type { Settings, SettingsPatch } from '../../../src-shared/contract/settings';
import type { CapabilityId } from '../../../src-shared/domain/ids';
import { useConsentry, useConsentryEvent } from './consentry-bridge';

export const queryKeys = {
  settings: ['settings'] as const,
  activity: ['activity'] as const,
  app: ['app'] as const,
  profileProblems: ['profile-problems'] as const,
  connections: ['connections'] as const,
  providerCatalog: ['provider-catalog'] as const,
  connectionPreview: ['connection-preview'] as const,
  /** Everything read from the last grant scan; invalidated as a whole on 'grants.changed'. */
  grants: ['grants'] as const,
  grantStatus: ['grants', 'status'] as const,
  grantApps: ['grants', 'apps'] as const,
  grantList: ['grants', 'list'] as const,
  grantApp: ['grants', 'app'] as const,
  grantChanges: ['grants', 'changes'] as const,
  /** Outside 'grants': a plan must not be silently replaced while the admin confirms it. */
  revocationPlan: ['grant-revocation-plan'] as const,
};

/** Often enough that "in 3 minutes" and "expiring soon" stay true while the page is open. */
const connectionListRefreshMs = 30_000;

export function useAppDescription() {
  const client = useConsentry();
  return useQuery({ queryKey: queryKeys.app, queryFn: () => client.call('app.describe', {}), staleTime: Infinity });
}

/** Profile files found damaged at start and not dismissed yet; they are only found at start. */
export function useProfileProblems() {
  const client = useConsentry();
  return useQuery({ queryKey: queryKeys.profileProblems, queryFn: () => client.call('app.profileProblems', {}), staleTime: Infinity });
}

export function useDismissProfileProblems() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => client.call('app.dismissProfileProblems', { ids }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.profileProblems }),
  });
}

export function useSettings() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  useConsentryEvent(
    'settings.changed',
    useCallback((settings: Settings) => queryClient.setQueryData(queryKeys.settings, settings), [queryClient]),
  );
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => client.call('settings.get', {}) });
}

export function useUpdateSettings() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => client.call('settings.update', patch),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.settings, settings),
  });
}

/**
 * Refetches activity whenever main reports a new entry, and every 2 s while main is still checking
 * a large log's chain or counting the total in the background.
 */
export function useActivityPage(filter: ActivityFilter, offset: number, limit: number) {
  const client = useConsentry();
  const queryClient = useQueryClient();
  useConsentryEvent(
    'activity.appended',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.activity }), [queryClient]),
  );
  return useQuery({
    queryKey: [...queryKeys.activity, filter, offset, limit],
    queryFn: () => client.call('activity.list', { filter, offset, limit }),
    placeholderData: (previous) => previous,
    refetchInterval: ({ state }) => (state.data && (!state.data.totalExact || state.data.integrity.verification === 'checking') ? 2_000 : false),
  });
}

/** The connections and the vault's state; reloaded when main reports a change, and every 30 s. */
export function useConnectionList() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  useConsentryEvent(
    'connections.changed',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.connections }), [queryClient]),
  );
  return useQuery({
    queryKey: queryKeys.connections,
    queryFn: () => client.call('connections.list', {}),
    refetchInterval: connectionListRefreshMs,
  });
}

/** The providers Consentry can connect to; fixed for the life of the app. */
export function useProviderCatalog() {
  const client = useConsentry();
  return useQuery({ queryKey: queryKeys.providerCatalog, queryFn: () => client.call('connections.catalog', {}), staleTime: Infinity });
}

/**
 * Main's view of a draft: the redirect URI to register and exactly the scopes to be asked for.
 * `null` asks nothing (the draft is not complete enough to send). A refusal is an answer here,
 * not a glitch, so it is not retried.
 */
export function useConnectionPreview(draft: ConnectionPreviewRequest | null) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...queryKeys.connectionPreview, draft],
    queryFn: () => client.call('connections.preview', draft!),
    enabled: draft !== null,
    retry: false,
    staleTime: Infinity,
    // While the admin types, the last answer stays up; never one about another provider.
    placeholderData: (previous, previousQuery) => ((previousQuery?.queryKey[1] as ConnectionPreviewRequest | null | undefined)?.provider === draft?.provider ? previous : undefined),
  });
}

function useConnectionMutation<Variables, Result>(mutationFn: (variables: Variables) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.connections }),
  });
}

export function useRefreshConnection() {
  const client = useConsentry();
  return useConnectionMutation((id: string) => client.call('connections.refresh', { id }));
}

export function useDisconnectConnection() {
  const client = useConsentry();
  return useConnectionMutation((id: string) => client.call('connections.disconnect', { id }));
}

export function useRemoveConnection() {
  const client = useConsentry();
  return useConnectionMutation((id: string) => client.call('connections.remove', { id }));
}

/** Calls per minute Consentry may make to a tenant's API; null is the provider's default. */
export function useSetApiQuota() {
  const client = useConsentry();
  return useConnectionMutation(({ id, quotaPerMinute }: { id: string; quotaPerMinute: number | null }) => client.call('connections.setApiQuota', { id, quotaPerMinute }));
}

/**
 * Allows a capability on a connection: main signs in again asking for base + held + it, or asks
 * nothing when it adds no scope. Run it inside a sign-in attempt (`useConnectAttempt().start`).
 */
export function useEnableCapability() {
  const client = useConsentry();
  return useConnectionMutation(({ connectionId, attemptId, capability }: { connectionId: string; attemptId: string; capability: CapabilityId }) =>
    client.call('connections.enableCapability', { connectionId, attemptId, capability }),
  );
}

/** Stops a capability at once; no sign-in. */
export function useDisableCapability() {
  const client = useConsentry();
  return useConnectionMutation(({ connectionId, capability }: { connectionId: string; capability: CapabilityId }) => client.call('connections.disableCapability', { connectionId, capability }));
}

/** Keeps tokens in memory only (lost on quit) when the OS keychain cannot encrypt them. */
export function useSessionOnlyVault() {
  const client = useConsentry();
  return useConnectionMutation((enabled: boolean) => client.call('vault.useSessionOnly', { enabled }));
}

export function useOpenExternal() {
  const client = useConsentry();
  return useMutation({ mutationFn: (url: string) => client.call('app.openExternal', { url }) });
}

/** Disconnects every sample connection, forgets them and stops the sample workspace. */
export function useRemoveSampleWorkspace() {
  const client = useConsentry();
  return useConnectionMutation(() => client.call('sample.remove', {}));
}

// ---------- grant audit ----------

const finishedScanStates: readonly ScanProgress['state'][] = ['finished', 'cancelled', 'failed'];

/**
 * The last scan's summary, the scan under way and what can be scanned. Follows main's scan
 * progress live, and reloads everything read from the grant audit when a scan or a revocation
 * changes the snapshot ('grants.changed'). Mount it once per page: it owns those subscriptions.
 */
export function useGrantAuditStatus() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  useConsentryEvent(
    'grants.scanProgress',
    useCallback(
      (progress: ScanProgress) => {
        queryClient.setQueryData<GrantAuditStatus>(queryKeys.grantStatus, (status) => {
          if (!status) return status;
          // A late "running" report must not bring back a scan that has already ended.
          const current = status.scan;
          if (current && current.scanId === progress.scanId && finishedScanStates.includes(current.state) && !finishedScanStates.includes(progress.state)) return status;
          return { ...status, scan: progress };
        });
        if (finishedScanStates.includes(progress.state)) void queryClient.invalidateQueries({ queryKey: queryKeys.grantStatus });
      },
      [queryClient],
    ),
  );
  useConsentryEvent(
    'grants.changed',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.grants }), [queryClient]),
  );
  // A connection added, removed or given remediation changes what can be scanned.
  useConsentryEvent(
    'connections.changed',
    useCallback(() => void queryClient.invalidateQueries({ queryKey: queryKeys.grantStatus }), [queryClient]),
  );
  return useQuery({ queryKey: queryKeys.grantStatus, queryFn: () => client.call('grants.status', {}) });
}

export function useStartGrantScan() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (connectionIds?: string[]) => client.call('grants.scan', connectionIds ? { connectionIds } : {}),
    onSuccess: (progress) => queryClient.setQueryData<GrantAuditStatus>(queryKeys.grantStatus, (status) => (status ? { ...status, scan: progress } : status)),
  });
}

export function useCancelGrantScan() {
  const client = useConsentry();
  return useMutation({ mutationFn: (scanId: string) => client.call('grants.cancelScan', { scanId }) });
}

/** Shows a connection's newer read that was kept aside because it read less than the one shown. */
export function useShowNewerRead() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (connectionId: string) => client.call('grants.useNewerRead', { connectionId }),
    // Main reports the new scan too ('grants.changed'); this covers a missed event.
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.grants }),
  });
}

/** Rows per request when a grant table fetches the window the admin scrolls to. */
export const grantPageSize = 200;

export type GrantAppSort = NonNullable<GrantAppQuery['sort']>;
export type GrantSort = NonNullable<GrantQuery['sort']>;

interface RowPage<Row> {
  snapshotId: string | null;
  total: number;
  rows: Row[];
}

/** The pages of one grant table that cover the rows in view; page 0 always (it carries the total). */
export interface GrantRowWindow<Row> {
  /** Null until the first page of this filter and sort has arrived. */
  total: number | null;
  snapshotId: string | null;
  /** The row at an absolute index, when its page has arrived. */
  rowAt: (index: number) => Row | undefined;
  /** Every row of the pages held for this window, in order. */
  loadedRows: Row[];
  /** The first page shown is still the previous filter's, while this one's loads. */
  stale: boolean;
  error: unknown;
  refetch: () => void;
}

/** Grant data is refreshed on 'grants.changed'; until then a page is as good as when read. */
const grantPageStaleMs = Number.POSITIVE_INFINITY;
/** Pages scrolled away from are dropped after a minute, so scrolling 100,000 rows does not hold them all. */
const grantPageGcMs = 60_000;

function useGrantRowWindow<Row>(key: readonly unknown[], fetchPage: (offset: number) => Promise<RowPage<Row>>, pageIndexes: readonly number[]): GrantRowWindow<Row> {
  const queryClient = useQueryClient();
  const head = useQuery({
    queryKey: [...key, 0],
    queryFn: () => fetchPage(0),
    staleTime: grantPageStaleMs,
    gcTime: grantPageGcMs,
    // While a new filter's first page loads, the old one stays up (marked stale) instead of a blank table.
    placeholderData: keepPreviousData,
  });
  // Only pages that exist: a window left over from a longer list asks nothing past the end.
  const others = pageIndexes.filter((page) => page > 0 && head.data !== undefined && page * grantPageSize < head.data.total);
  const rest: UseQueryResult<RowPage<Row>>[] = useQueries({
    queries: others.map((page) => ({
      queryKey: [...key, page * grantPageSize],
      queryFn: () => fetchPage(page * grantPageSize),
      staleTime: grantPageStaleMs,
      gcTime: grantPageGcMs,
      enabled: !head.isPlaceholderData && head.data !== undefined,
    })),
  });
  const pages = new Map<number, Row[]>();
  if (head.data && !head.isPlaceholderData) pages.set(0, head.data.rows);
  others.forEach((page, position) => {
    const data = rest[position]?.data;
    if (data) pages.set(page, data.rows);
  });
  const stalePage = head.isPlaceholderData ? head.data?.rows : undefined;
  const loadedRows = [...pages.entries()].sort(([a], [b]) => a - b).flatMap(([, rows]) => rows);
  // A page read before and still cached shows at once, before the window's queries catch up with the scroll.
  const pageAt = (page: number) => pages.get(page) ?? queryClient.getQueryData<RowPage<Row>>([...key, page * grantPageSize])?.rows;
  return {
    total: head.data?.total ?? null,
    snapshotId: head.data?.snapshotId ?? null,
    rowAt: (index) => (stalePage ? stalePage[index] : pageAt(Math.floor(index / grantPageSize))?.[index % grantPageSize]),
    loadedRows,
    stale: head.isPlaceholderData,
    error: head.error ?? rest.find((query) => query.error)?.error ?? null,
    refetch: () => {
      void head.refetch();
      for (const query of rest) if (query.error) void query.refetch();
    },
  };
}

/** The app-centric table's rows around `pageIndexes` (pages of `grantPageSize`). */
export function useGrantAppWindow(filter: GrantFilter, sort: GrantAppSort, pageIndexes: readonly number[]): GrantRowWindow<GrantAppPage['rows'][number]> {
  const client = useConsentry();
  return useGrantRowWindow([...queryKeys.grantApps, filter, sort], (offset) => client.call('grants.apps', { filter, sort, offset, limit: grantPageSize }), pageIndexes);
}

/** The user-centric table's rows (one per grant) around `pageIndexes`. */
export function useGrantListWindow(filter: GrantFilter, sort: GrantSort, pageIndexes: readonly number[]): GrantRowWindow<GrantPage['rows'][number]> {
  const client = useConsentry();
  return useGrantRowWindow([...queryKeys.grantList, filter, sort], (offset) => client.call('grants.list', { filter, sort, offset, limit: grantPageSize }), pageIndexes);
}

/** One app with its scopes explained, its first users and the provider's records. */
export function useGrantApp(key: string | null) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...queryKeys.grantApp, key],
    queryFn: () => client.call('grants.app', { key: key! }),
    enabled: key !== null,
  });
}

/** What changed since the scan before the last: new apps, new risky grants, grants gone. */
export function useGrantChanges(enabled: boolean) {
  const client = useConsentry();
  return useQuery({ queryKey: queryKeys.grantChanges, queryFn: () => client.call('grants.changes', {}), enabled });
}

export interface RevocationSelection {
  snapshotId: string;
  appKeys: string[];
  grantKeys: string[];
}

/**
 * What revoking `selection` would do, worked out by main. Not retried: a refusal (nothing left to
 * revoke, snapshot replaced) is an answer to show.
 */
export function useRevocationPlan(selection: RevocationSelection | null) {
  const client = useConsentry();
  return useQuery({
    queryKey: [...queryKeys.revocationPlan, selection],
    queryFn: () => client.call('grants.planRevocation', selection!),
    enabled: selection !== null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });
}

export function useRevokeGrants() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { planId: string; revokeSessions: boolean; confirmation: string }) => client.call('grants.revoke', request),
    // Main reports the changed snapshot too ('grants.changed'); this covers a missed event.
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.grants }),
  });
}
