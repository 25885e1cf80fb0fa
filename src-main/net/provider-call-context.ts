/**
 * What every capability needs to call one tenant's provider API: where, with which token, through
 * the tenant's one scheduler. The tenant gateway builds it; provider adapters only read it.
 */
import type { ConnectionSettings } from '../../src-shared/contract/connections';
import type { HttpFetch } from './http-fetch';
import type { RequestScheduler } from './request-scheduler';

export interface ProviderCallContext {
  /**
   * The provider API's base URL when it is not the provider's public one: the sample workspace's
   * simulator, a national cloud, a Salesforce instance or Zendesk subdomain URL.
   */
  apiBaseUrl: string | undefined;
  settings: ConnectionSettings;
  /** A fresh access token of the connection (refreshed by the connection service when due). */
  accessToken(): Promise<string>;
  /** The tenant's one scheduler: every call goes through it. */
  scheduler: RequestScheduler;
  signal?: AbortSignal;
  /**
   * The outbound HTTP port to call the API with. The tenant gateway always sets it (the app's is
   * Electron's network stack); only a test or benchmark that calls an adapter directly leaves it
   * out, and gets Node's fetch.
   */
  fetch?: HttpFetch;
}

/** The context's outbound fetch; Node's for a test or benchmark that left it out. */
export function outboundFetch(context: Pick<ProviderCallContext, 'fetch'>): HttpFetch {
  return context.fetch ?? fetch;
}
