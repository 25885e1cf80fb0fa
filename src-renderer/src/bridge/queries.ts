import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ActivityFilter, Settings, SettingsPatch } from '../../../src-preload/contract';
import { useConsentry, useConsentryEvent } from './consentry-bridge';

export const queryKeys = {
  settings: ['settings'] as const,
  activity: ['activity'] as const,
  app: ['app'] as const,
};

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
