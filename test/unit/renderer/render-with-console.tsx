import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { createConsentryClient } from '../../../src-preload/client';
import type { ConsentryTransport, Envelope } from '../../../src-preload/contract';
import { ConsentryBridgeProvider } from '../../../src-renderer/src/bridge/consentry-bridge';

/** Renders UI against a transport whose answers the test decides, channel by channel. */
export function renderWithConsole(ui: ReactNode, answer: (channel: string, request: unknown) => Envelope) {
  const invoke = vi.fn(async (channel: string, request: unknown) => answer(channel, request));
  const transport: ConsentryTransport = { invoke: invoke as ConsentryTransport['invoke'], subscribe: () => () => undefined };
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <MantineProvider>
      <Notifications />
      <ConsentryBridgeProvider client={createConsentryClient(transport)} queryClient={queryClient}>
        <MemoryRouter>{ui}</MemoryRouter>
      </ConsentryBridgeProvider>
    </MantineProvider>,
  );
  return { ...view, invoke };
}
