import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient } from '@tanstack/react-query';
import { act, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { createConsentryClient } from '../../../src-preload/client';
import type { ConsentryTransport, EventName, EventPayloadOf } from '../../../src-shared/contract/channels';
import type { Envelope } from '../../../src-shared/contract/envelope';
import { ConsentryBridgeProvider } from '../../../src-renderer/src/bridge/consentry-bridge';

/**
 * Renders UI against a transport whose answers the test decides, channel by channel (an answer may
 * be a promise the test settles later), and whose events the test emits.
 */
export function renderWithConsole(ui: ReactNode, answer: (channel: string, request: unknown) => Envelope | Promise<Envelope>) {
  const invoke = vi.fn(async (channel: string, request: unknown) => answer(channel, request));
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const transport: ConsentryTransport = {
    invoke: invoke as ConsentryTransport['invoke'],
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <MantineProvider env="test">
      <Notifications />
      <ConsentryBridgeProvider client={createConsentryClient(transport)} queryClient={queryClient}>
        <MemoryRouter>{ui}</MemoryRouter>
      </ConsentryBridgeProvider>
    </MantineProvider>,
  );
  /** Main → renderer, as the preload would deliver it. */
  const emit = <E extends EventName>(event: E, payload: EventPayloadOf<E>) =>
    act(() => {
      for (const listener of listeners) listener(event, payload);
    });
  /** The requests sent on one channel, in order. */
  const requestsTo = (channel: string) => invoke.mock.calls.filter(([name]) => name === channel).map(([, request]) => request);
  return { ...view, invoke, emit, requestsTo, queryClient };
}
