import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ActivityFilter, ConnectionPreviewRequest, Settings, SettingsPatch } from '../../../src-preload/contract';
import { useConsentry, useConsentryEvent } from './consentry-bridge';

export const queryKeys = {
  settings: ['settings'] as const,
  activity: ['activity'] as const,
  app: ['app'] as const,
  connections: ['connections'] as const,
  providerCatalog: ['provider-catalog'] as const,
  connectionPreview: ['connection-preview'] as const,
};

/** Often enough that "in 3 minutes" and "expiring soon" stay true while the page is open. */
const connectionListRefreshMs = 30_000;

export function useAppDescription() {
  const client = useConsentry();
  return useQuery({ queryKey: queryKeys.app, queryFn: () => client.call('app.describe', {}), staleTime: Infinity });
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

/** Refetches activity whenever main reports a new entry. */
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
