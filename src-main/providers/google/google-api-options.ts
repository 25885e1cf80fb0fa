import type { HttpFetch } from '../../net/http-fetch';
import { outboundFetch, type ProviderCallContext } from '../../net/provider-call-context';

/**
 * What every googleapis client of a tenant is built with: the API root when it is not Google's
 * (the sample workspace's simulator), and the context's outbound fetch. Without one, gaxios would
 * send through its own bundled node-fetch, past Electron's network stack.
 */
export function googleApiOptions(context: Pick<ProviderCallContext, 'apiBaseUrl' | 'fetch'>): { rootUrl?: string; fetchImplementation: HttpFetch } {
  return { ...(context.apiBaseUrl ? { rootUrl: context.apiBaseUrl.replace(/\/?$/, '/') } : {}), fetchImplementation: outboundFetch(context) };
}
