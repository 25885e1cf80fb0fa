import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { ConsentryClient } from '../../../src-preload/client';
import type { ConsentryTransport, EventName, EventPayloadOf } from '../../../src-shared/contract/channels';

declare global {
  interface Window {
    /** Put there by the preload (Electron) or by the browser bridge's script (tests, demos). */
    consentry?: ConsentryTransport;
  }
}

const ClientContext = createContext<ConsentryClient | null>(null);

export function ConsentryBridgeProvider({ client, queryClient, children }: { client: ConsentryClient; queryClient: QueryClient; children: ReactNode }) {
  return (
    <ClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ClientContext.Provider>
  );
}

export function useConsentry(): ConsentryClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useConsentry must be used inside ConsentryBridgeProvider.');
  return client;
}

/** Runs `listener` for each main → renderer event of one kind while the component is mounted. */
export function useConsentryEvent<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): void {
  const client = useConsentry();
  useEffect(() => client.on(event, listener), [client, event, listener]);
}
