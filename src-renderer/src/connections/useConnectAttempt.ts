import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import type { BridgeError } from '../../../src-preload/client';
import type { ConnectAttempt, ConnectionView } from '../../../src-shared/contract/connections';
import { asBridgeError } from '../bridge/bridge-failure';
import { useConsentry, useConsentryEvent } from '../bridge/consentry-bridge';
import { queryKeys } from '../bridge/queries';
import { notifyFailure } from '../components/failure-notification';

export type AttemptState =
  | { phase: 'idle' }
  | { phase: 'running'; attemptId: string; progress: ConnectAttempt | null; cancelling: boolean }
  | { phase: 'failed'; error: BridgeError }
  | { phase: 'connected'; connection: ConnectionView };

export type AttemptOutcome = { ok: true; connection: ConnectionView } | { ok: false; error: BridgeError };

/**
 * One sign-in in the system browser (connect or reconnect): names the attempt, follows main's
 * 'connections.attempt' events for it, and cancels it on request.
 */
export function useConnectAttempt() {
  const client = useConsentry();
  const queryClient = useQueryClient();
  const [state, setState] = useState<AttemptState>({ phase: 'idle' });
  // A ref, not state: events for the attempt can arrive before React re-renders with its ID.
  const currentAttempt = useRef<string | null>(null);

  useConsentryEvent(
    'connections.attempt',
    useCallback((progress: ConnectAttempt) => {
      if (progress.attemptId !== currentAttempt.current) return;
      setState((previous) => (previous.phase === 'running' && previous.attemptId === progress.attemptId ? { ...previous, progress } : previous));
    }, []),
  );

  const start = useCallback(
    async (run: (attemptId: string) => Promise<ConnectionView>): Promise<AttemptOutcome> => {
      const attemptId = crypto.randomUUID();
      currentAttempt.current = attemptId;
      setState({ phase: 'running', attemptId, progress: null, cancelling: false });
      try {
        const connection = await run(attemptId);
        setState({ phase: 'connected', connection });
        return { ok: true, connection };
      } catch (caught) {
        const error = asBridgeError(caught);
        setState({ phase: 'failed', error });
        return { ok: false, error };
      } finally {
        if (currentAttempt.current === attemptId) currentAttempt.current = null;
        void queryClient.invalidateQueries({ queryKey: queryKeys.connections });
      }
    },
    [queryClient],
  );

  const cancel = useCallback(async () => {
    const attemptId = currentAttempt.current;
    if (!attemptId) return;
    setState((previous) => (previous.phase === 'running' ? { ...previous, cancelling: true } : previous));
    try {
      const { cancelled } = await client.call('connections.cancelAttempt', { attemptId });
      // Main did not know the attempt: it had just ended, or had not registered it yet.
      if (!cancelled && currentAttempt.current === attemptId) {
        notifications.show({
          color: 'gray',
          title: 'Sign-in not cancelled',
          message: 'No sign-in was under way to cancel at that moment. If it is still running, cancel it again.',
        });
      }
    } catch (error) {
      notifyFailure('Sign-in not cancelled', error);
    } finally {
      setState((previous) => (previous.phase === 'running' && previous.attemptId === attemptId ? { ...previous, cancelling: false } : previous));
    }
  }, [client]);

  const reset = useCallback(() => setState({ phase: 'idle' }), []);

  return { state, start, cancel, reset };
}
